// `linkmesh-agent snapshot [--since 15m] [--out FILE]`: writes the scrubbed support archive and says what it holds.

import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { hostPaths } from "../paths/index.js";
import { buildSnapshot, DEFAULT_SNAPSHOT_MAX_BYTES, parseSince } from "./collect.js";

export function registerSnapshotCommand(program: Command, agentVersion: string): void {
  program
    .command("snapshot")
    .description("write a scrubbed .tar.gz for support: config, recent journal, agent log, doctor verdict, host facts")
    .option(
      "--since <duration>",
      "how much journal to include, e.g. 15m, 2h",
      (value: string) => {
        const ms = parseSince(value);
        if (ms === null) throw new InvalidArgumentError("use a number with s, m or h, e.g. 15m");
        return ms;
      },
      15 * 60_000,
    )
    .option("--out <file>", "where to write the archive (default: ./<marker id>.tar.gz)")
    .option(
      "--collector-http <url>",
      "the collector's local HTTP server (default: Alloy 127.0.0.1:12345, otelcol :8888)",
    )
    .option("--unit <name>", "the collector's systemd unit (default: alloy.service / otelcol-contrib.service)")
    .option("--max-bytes <n>", "cap of the archive; logs are cut (oldest first) to fit", (v) => {
      const n = Number.parseInt(v, 10);
      if (!Number.isFinite(n) || n < 4096) throw new InvalidArgumentError("at least 4096 bytes");
      return n;
    })
    .option("--sample-interval <seconds>", "time between the doctor's two /metrics scrapes", "5")
    .action(
      async (opts: {
        since: number;
        out?: string;
        collectorHttp?: string;
        unit?: string;
        maxBytes?: number;
        sampleInterval: string;
      }) => {
        const globals = program.opts<{ root: string; journalDir?: string }>();
        const snapshot = await buildSnapshot({
          paths: hostPaths(globals.root),
          agentVersion,
          sinceMs: opts.since,
          maxBytes: opts.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES,
          sampleIntervalMs: Math.max(100, Number(opts.sampleInterval) * 1000 || 5_000),
          ...(globals.journalDir !== undefined ? { journalDir: globals.journalDir } : {}),
          ...(opts.collectorHttp !== undefined ? { collectorHttp: opts.collectorHttp } : {}),
          ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
        });
        const out = resolve(opts.out ?? snapshot.fileName);
        await writeFile(out, snapshot.archive, { mode: 0o600 });
        const lines = [
          `snapshot written: ${out} (${snapshot.archive.length} bytes, sha256 ${snapshot.sha256})`,
          `marker id: ${snapshot.markerId} (quote it in the support ticket)`,
          ...snapshot.notes.map((n) => `note: ${n}`),
        ];
        if (snapshot.truncated) lines.push("the archive was cut at its size cap: the oldest log lines are missing");
        process.stdout.write(`${lines.join("\n")}\n`);
      },
    );
}

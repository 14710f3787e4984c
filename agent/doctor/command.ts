// `linkmesh-agent doctor [--json]`: gathers, checks, prints; exit 1 when a check fails.

import { type Command, Option } from "commander";
import { hostPaths } from "../paths/index.js";
import { runDoctor } from "./gather.js";
import { renderVerdict } from "./render.js";

const positiveSeconds = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, got "${value}"`);
  return Math.round(n * 1000);
};

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("check, top-down, why this collector's throughput may not show in LinkMesh, and say how to fix it")
    .option("--json", "print the verdict as JSON")
    .option(
      "--collector-http <url>",
      "the collector's local HTTP server (default: Alloy 127.0.0.1:12345, otelcol :8888)",
    )
    .option("--unit <name>", "the collector's systemd unit (default: alloy.service / otelcol-contrib.service)")
    .addOption(
      new Option("--collector <type>", "which collector runs here (default: from enrollment)").choices([
        "alloy",
        "otelcol-contrib",
      ]),
    )
    .option(
      "--sample-interval <seconds>",
      "time between the two /metrics scrapes",
      positiveSeconds("--sample-interval"),
      5_000,
    )
    .option("--timeout <seconds>", "limit for each step", positiveSeconds("--timeout"), 10_000)
    .action(
      async (opts: {
        json?: boolean;
        collectorHttp?: string;
        unit?: string;
        collector?: "alloy" | "otelcol-contrib";
        sampleInterval: number;
        timeout: number;
      }) => {
        const globals = program.opts<{ root: string; journalDir?: string }>();
        const verdict = await runDoctor({
          paths: hostPaths(globals.root),
          ...(globals.journalDir !== undefined ? { journalDir: globals.journalDir } : {}),
          ...(opts.collectorHttp !== undefined ? { collectorHttp: opts.collectorHttp } : {}),
          ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
          ...(opts.collector !== undefined ? { collectorType: opts.collector } : {}),
          sampleIntervalMs: opts.sampleInterval,
          stepTimeoutMs: opts.timeout,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(verdict)}\n` : renderVerdict(verdict));
        process.exitCode = verdict.ok ? 0 : 1;
      },
    );
}

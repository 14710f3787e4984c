// P3 agent footprint: RSS and CPU of a real `linkmesh-agent run` at idle and while its collector logs 1k journal
// lines/s (real journal files via systemd-journal-remote). Ready for the bench registry; runnable on its own:
//   node scripts/build.mjs && npx tsx bench/agent-footprint.ts [seconds]
// BENCH_NODE_ARGS replaces the node flags the shipped launcher uses (default "--max-semi-space-size=1");
// BENCH_NODE_OPTIONS adds NODE_OPTIONS; BENCH_DEBUG=1 shows the agent's stderr.

import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { enrollSandboxHost, spawnAgent, startRelay } from "../test/rig/index.js";

/** What the shipped launcher (scripts/package.mjs LAUNCHER) sets, so the bench measures the agent as installed. */
const AGENT_RUNTIME = {
  env: { MALLOC_ARENA_MAX: "2" },
  nodeArgs: (process.env.BENCH_NODE_ARGS ?? "--max-semi-space-size=1").split(" ").filter(Boolean),
};

import { registerBench } from "./registry.js";

export interface AgentFootprint {
  name: "P3 agent footprint";
  seconds: number;
  idle: { cpuPercent: number; rssMb: number };
  loaded: { cpuPercent: number; rssMb: number; linesPerSecond: number; linesClassified: number };
  targets: { rssMb: 60; idleCpuPercent: 1 };
  pass: boolean;
  rerun: string;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

async function processSample(pid: number): Promise<{ cpuSeconds: number; rssMb: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / CLOCK_TICKS, rssMb: rssKb / 1024 };
}

async function measure(pid: number, seconds: number, during: (stopAt: number) => Promise<void>) {
  const start = await processSample(pid);
  const started = Date.now();
  let peakRss = start.rssMb;
  const sampler = setInterval(() => {
    void processSample(pid).then((s) => {
      peakRss = Math.max(peakRss, s.rssMb);
    });
  }, 1_000);
  await during(started + seconds * 1000);
  const remaining = started + seconds * 1000 - Date.now();
  if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
  clearInterval(sampler);
  const end = await processSample(pid);
  const wall = (Date.now() - started) / 1000;
  return { cpuPercent: (100 * (end.cpuSeconds - start.cpuSeconds)) / wall, rssMb: Math.max(peakRss, end.rssMb) };
}

export async function benchAgentFootprint(
  options: { seconds?: number; linesPerSecond?: number } = {},
): Promise<AgentFootprint> {
  const seconds = options.seconds ?? 60;
  const linesPerSecond = options.linesPerSecond ?? 1_000;
  const relay = await startRelay();
  const host = await enrollSandboxHost(relay, {
    hostname: "bench-01",
    components: [
      { id: "prometheus.scrape.linkmesh", ratePerSecond: 100 },
      { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: 100 },
      { id: "otelcol.exporter.otlphttp.linkmesh", ratePerSecond: 100 },
    ],
  });
  const { root, journal, alloy } = host;
  // Spawned here, not with startHostAgent: nothing but BENCH_DEBUG reads its output while it is measured.
  const agent = spawnAgent(root, ["run", "--collector-http", host.alloyUrl], {
    journalDir: host.journalDir,
    env: { ...AGENT_RUNTIME.env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "" },
    nodeArgs: AGENT_RUNTIME.nodeArgs,
  });
  if (process.env.BENCH_DEBUG) agent.stderr?.pipe(process.stderr);
  try {
    await new Promise((r) => setTimeout(r, 3_000)); // start-up is not idle
    const pid = agent.pid as number;
    const idle = await measure(pid, seconds, async () => {});
    let written = 0;
    const line = {
      message:
        'ts=2026-01-01T00:00:00Z level=info msg="Exporting failed. Will retry the request after interval." component_path=/ component_id=otelcol.exporter.otlphttp.linkmesh error="connection refused" interval=5s',
      unit: "alloy.service",
    };
    const loaded = await measure(pid, seconds, async (stopAt) => {
      const batch = Math.max(1, Math.round(linesPerSecond / 10));
      while (Date.now() < stopAt) {
        const tick = Date.now();
        await journal.write(Array.from({ length: batch }, () => line));
        written += batch;
        const wait = 100 - (Date.now() - tick);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    });
    const status = JSON.parse(await readFile(join(root, "var/lib/linkmesh/status.json"), "utf8")) as {
      journal: { lastEntryAtMs: number | null };
    };
    const result: AgentFootprint = {
      name: "P3 agent footprint",
      seconds,
      idle,
      loaded: {
        ...loaded,
        linesPerSecond: written / seconds,
        linesClassified: status.journal.lastEntryAtMs === null ? 0 : written,
      },
      targets: { rssMb: 60, idleCpuPercent: 1 },
      pass: Math.max(idle.rssMb, loaded.rssMb) <= 60 && idle.cpuPercent <= 1,
      rerun: `node scripts/build.mjs && npx tsx bench/agent-footprint.ts ${seconds}`,
    };
    return result;
  } finally {
    agent.kill("SIGTERM");
    await new Promise((r) => agent.once("exit", r));
    await alloy.close();
    await relay.stop();
  }
}

const NAME = "P3 agent footprint";

/**
 * The registry row runs this file from source in a child (tsx, repo root as cwd): the test rig finds dist/
 * relative to its own source file, which a bundled dist/bench.js would break.
 */
registerBench({
  name: NAME,
  async run() {
    const seconds = Number(process.env.LINKMESH_BENCH_SECONDS ?? 60);
    const child = spawn(process.execPath, ["--import", "tsx", "bench/agent-footprint.ts", String(seconds), "--json"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`${NAME} failed (exit ${code})`);
    const r = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as AgentFootprint;
    return {
      numbers: {
        "idle CPU %": Number(r.idle.cpuPercent.toFixed(2)),
        "idle RSS MB": Number(r.idle.rssMb.toFixed(1)),
        "journal lines/s written": Math.round(r.loaded.linesPerSecond),
        "loaded CPU %": Number(r.loaded.cpuPercent.toFixed(1)),
        "loaded RSS MB": Number(r.loaded.rssMb.toFixed(1)),
        seconds: r.seconds,
      },
      target: "RSS <= 60 MB, idle CPU <= 1 % of a core",
      pass: r.pass,
      notes:
        "the load generator spawns systemd-journal-remote per 100-line batch, so on 2 cores it may write fewer than 1k lines/s; " +
        `standalone: ${r.rerun}`,
    };
  },
});

// Only when this source file is the script (the registry row runs it that way); never inside the dist/bench.js bundle.
if (process.argv[1]?.endsWith("agent-footprint.ts")) {
  const seconds = Number(process.argv[2] ?? 60);
  const r = await benchAgentFootprint({ seconds });
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    process.stdout.write(
      `${r.name}: idle ${r.idle.cpuPercent.toFixed(2)} % CPU, ${r.idle.rssMb.toFixed(1)} MB RSS; ` +
        `${Math.round(r.loaded.linesPerSecond)} journal lines/s: ${r.loaded.cpuPercent.toFixed(1)} % CPU, ` +
        `${r.loaded.rssMb.toFixed(1)} MB RSS (targets: RSS <= 60 MB, idle CPU <= 1 %) ${r.pass ? "PASS" : "FAIL"}\n` +
        `rerun: ${r.rerun}\n`,
    );
  }
}

// `linkmesh-agent run` as a real process against a real relay, a real journal and the Alloy stand-in.
import type { ChildProcess } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStatus } from "../../agent/status/index.js";
import {
  JournalWriter,
  mintEnrollmentToken,
  type RelayProcess,
  runAgent,
  spawnAgent,
  startRelay,
  tempDir,
} from "../rig/index.js";
import { AlloySimulator } from "../sim/alloy.js";

const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";
const PIPELINE = [
  { id: "prometheus.scrape.linkmesh", ratePerSecond: 50 },
  { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: 50 },
  { id: EXPORTER, ratePerSecond: 50 },
];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Host {
  root: string;
  journalDir: string;
  alloy: AlloySimulator;
  alloyUrl: string;
  collectorId: string;
  agent: ChildProcess | null;
  output: string;
}

async function enrolledHost(relay: RelayProcess): Promise<Host> {
  const root = await tempDir("host");
  const journalDir = await tempDir("journal");
  await mkdir(journalDir, { recursive: true });
  const journal = new JournalWriter(journalDir);
  const alloy = new AlloySimulator({
    hostname: "web-01",
    components: [...PIPELINE, { id: "otelcol.exporter.otlphttp.ghost", ratePerSecond: 5 }],
    journal,
  });
  const alloyUrl = await alloy.listen();
  await alloy.log("info", "Alloy is starting");
  const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
  const enrolled = await runAgent(root, [
    "enroll",
    "--server",
    relay.url,
    "--token",
    token,
    "--hostname",
    "web-01",
    "--collector-http",
    alloyUrl,
  ]);
  expect(enrolled.code).toBe(0);
  const settings = JSON.parse(await readFile(join(root, "etc/linkmesh/agent.json"), "utf8")) as { collectorId: string };
  return { root, journalDir, alloy, alloyUrl, collectorId: settings.collectorId, agent: null, output: "" };
}

function startAgent(host: Host, extra: string[] = []): void {
  const child = spawnAgent(
    host.root,
    [
      "run",
      "--collector-http",
      host.alloyUrl,
      "--scrape-interval",
      "0.3",
      "--health-interval",
      "1",
      "--heartbeat",
      "1",
      "--silent-after",
      "2",
      ...extra,
    ],
    { journalDir: host.journalDir },
  );
  child.stdout?.on("data", (c: Buffer) => {
    host.output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    host.output += c.toString();
  });
  host.agent = child;
}

async function stopAgent(host: Host): Promise<void> {
  const child = host.agent;
  host.agent = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}

async function status(host: Host): Promise<{ code: number | null; status: AgentStatus | null; summary: string }> {
  const run = await runAgent(host.root, ["status", "--json"]);
  const parsed = JSON.parse(run.stdout) as { status: AgentStatus | null; summary: string };
  return { code: run.code, ...parsed };
}

async function events(relay: RelayProcess, collectorId: string) {
  const r = await relay.api(`/api/v1/collectors/${collectorId}/events?limit=1000`);
  return (r.body as { events: { id: string; type: string; message: string; detail: Record<string, unknown> }[] })
    .events;
}

describe("the agent daemon", () => {
  let relay: RelayProcess;
  let host: Host;
  beforeAll(async () => {
    relay = await startRelay();
    host = await enrolledHost(relay);
  });
  afterAll(async () => {
    await stopAgent(host);
    await host.alloy.close();
    await relay.stop();
  });

  it("goes live, reports the graph and says so in `status`", async () => {
    const before = await runAgent(host.root, ["status"]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("linkmesh-agent run");
    startAgent(host);
    const live = await until(
      "status live",
      async () => {
        const s = await status(host);
        return s.code === 0 && s.status?.scrape.exportActivity === "exporting" ? s : undefined;
      },
      15_000,
    );
    expect(live.status?.link.state).toBe("live");
    expect(live.status?.config.bootstrap).toMatchObject({ drifted: false, exporterId: EXPORTER });
    expect(host.output).toMatch(/link: connecting -> hello/);
    expect(host.output).toMatch(/link: hello -> live/);
    const text = await runAgent(host.root, ["status"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("exports exporting");
  });

  it("flags a component self-telemetry names but the config does not declare, locally and at the relay", async () => {
    const s = await until(
      "mismatch in status",
      async () => {
        const r = await status(host);
        return r.status?.mismatches.some((m) => m.component === "otelcol.exporter.otlphttp.ghost") ? r : undefined;
      },
      10_000,
    );
    expect(s.status?.mismatches.find((m) => m.component === "otelcol.exporter.otlphttp.ghost")?.reason).toBe(
      "unknown component",
    );
    const text = await runAgent(host.root, ["status"]);
    expect(text.stdout).toContain("otelcol.exporter.otlphttp.ghost");
    await until(
      "mismatch event at the relay",
      async () => {
        const list = await events(relay, host.collectorId);
        return list.find((e) => e.type === "component_naming_mismatch" && e.message.includes("ghost"));
      },
      10_000,
    );
  });

  it("classifies an export retry written to the journal within 2 s and sends it to the relay", async () => {
    const line = await host.alloy.log("info", "Exporting failed. Will retry the request after interval.", {
      component_path: "/",
      component_id: EXPORTER,
      error: 'failed to make an HTTP request: Post "https://relay/v1/metrics": dial tcp: connection refused',
      interval: "3.2s",
    });
    expect(line).toContain("level=info");
    const seen = await until(
      "retry classified",
      async () => {
        const r = await status(host);
        return r.status?.journal.recent.find((l) => l.kind === "export_retry");
      },
      5_000,
    );
    expect(seen.component).toBe(EXPORTER);
    expect(seen.classifiedAtMs - seen.timeMs).toBeLessThan(2_000);
    await until(
      "export_failure at the relay",
      async () => {
        const list = await events(relay, host.collectorId);
        return list.find((e) => e.type === "export_failure" && e.detail.component === EXPORTER);
      },
      10_000,
    );
  });

  it("survives journalctl being killed", async () => {
    const before = (await status(host)).status;
    const pid = before?.journal.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, "SIGKILL");
    await until(
      "journalctl restarted",
      async () => {
        const r = await status(host);
        return r.status && r.status.journal.restarts >= 1 && r.status.journal.state === "following" ? true : undefined;
      },
      10_000,
    );
    await host.alloy.log("error", "Exporting failed. Dropping data.", {
      component_path: "/",
      component_id: EXPORTER,
      error: "not retryable error: Permanent error: responded with HTTP Status Code 400",
      dropped_items: "7",
    });
    const dropped = await until(
      "drop classified after the restart",
      async () => {
        const r = await status(host);
        return r.status?.journal.recent.find((l) => l.kind === "export_dropped");
      },
      5_000,
    );
    expect(dropped.classifiedAtMs - dropped.timeMs).toBeLessThan(2_000);
    expect(host.output).toContain("journalctl killed by SIGKILL");
  });
});

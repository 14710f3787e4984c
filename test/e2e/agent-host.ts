// Shared by the agent end-to-end suites: an enrolled sandbox host with the Alloy stand-in and a real journal,
// the agent daemon as a child process, and its `status --json`.
import type { ChildProcess } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { hostPaths } from "../../agent/paths/index.js";
import { type AgentStatus, readStatus, statusVerdict } from "../../agent/status/index.js";
import { JournalWriter, mintEnrollmentToken, type RelayProcess, runAgent, spawnAgent, tempDir } from "../rig/index.js";
import { AlloySimulator } from "../sim/alloy.js";

export const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";
const PIPELINE = [
  { id: "prometheus.scrape.linkmesh", ratePerSecond: 50 },
  { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: 50 },
  { id: EXPORTER, ratePerSecond: 50 },
];

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Host {
  root: string;
  journalDir: string;
  alloy: AlloySimulator;
  alloyUrl: string;
  collectorId: string;
  agent: ChildProcess | null;
  output: string;
}

export async function enrolledHost(relay: RelayProcess): Promise<Host> {
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

export function startAgent(host: Host, extra: string[] = []): void {
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
      "--reconnect-max",
      "1.5",
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

export async function stopAgent(host: Host): Promise<void> {
  const child = host.agent;
  host.agent = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}

/** `linkmesh-agent status --json`, the real command. */
export async function statusCli(
  host: Host,
): Promise<{ code: number | null; status: AgentStatus | null; summary: string }> {
  const run = await runAgent(host.root, ["status", "--json"]);
  const parsed = JSON.parse(run.stdout) as { status: AgentStatus | null; summary: string };
  return { code: run.code, ...parsed };
}

/** The same verdict the command gives, read in-process: cheap enough to poll on a loaded machine. */
export async function status(
  host: Host,
): Promise<{ code: number | null; status: AgentStatus | null; summary: string }> {
  const reading = await readStatus(hostPaths(host.root));
  const verdict = statusVerdict(reading, Date.now(), (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  return { code: verdict.code, status: reading.kind === "status" ? reading.status : null, summary: verdict.summary };
}

export async function events(relay: RelayProcess, collectorId: string) {
  const r = await relay.api(`/api/v1/collectors/${collectorId}/events?limit=1000`);
  return (r.body as { events: { id: string; type: string; message: string; detail: Record<string, unknown> }[] })
    .events;
}

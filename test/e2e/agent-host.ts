// Shared by the agent end-to-end suites: an enrolled sandbox host with the Alloy stand-in and a real journal,
// the agent daemon as a child process, and its `status --json`.
import { expect } from "vitest";
import { hostPaths } from "../../agent/paths/index.js";
import { type AgentStatus, readStatus, statusVerdict } from "../../agent/status/index.js";
import {
  enrollSandboxHost,
  type RelayProcess,
  runAgent,
  type SandboxHost,
  startHostAgent,
  stopHostAgent,
} from "../rig/index.js";

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

export type Host = SandboxHost;

export function enrolledHost(relay: RelayProcess): Promise<Host> {
  return enrollSandboxHost(relay, {
    hostname: "web-01",
    components: [...PIPELINE, { id: "otelcol.exporter.otlphttp.ghost", ratePerSecond: 5 }],
  });
}

export function startAgent(host: Host, extra: string[] = []): void {
  startHostAgent(host, [
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
  ]);
}

/** Stops the running agent, which must exit 0 on SIGTERM. */
export async function stopAgent(host: Host): Promise<void> {
  const code = await stopHostAgent(host);
  if (code !== undefined) expect(code).toBe(0);
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

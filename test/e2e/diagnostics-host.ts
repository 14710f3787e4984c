// Shared by the diagnostics suites: a sandbox host enrolled with a relay, the Alloy stand-in with a chosen pipeline
// and a real journal, and `linkmesh-agent doctor --json` run against it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import type { DoctorVerdict } from "../../common/protocol/index.js";
import {
  enrollSandboxHost,
  type RelayProcess,
  runAgent,
  type SandboxHost,
  startHostAgent,
  stopHostAgent,
} from "../rig/index.js";
import type { SimComponent } from "../sim/alloy.js";

export const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";

export type DiagHost = SandboxHost;

export function pipeline(exporterRate: number, extra: SimComponent[] = []): SimComponent[] {
  return [
    { id: "prometheus.scrape.linkmesh", ratePerSecond: 50 },
    { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: 50 },
    { id: EXPORTER, ratePerSecond: exporterRate },
    ...extra,
  ];
}

export async function diagHost(
  relay: RelayProcess,
  options: { hostname: string; components: SimComponent[]; operatorConfig?: string; bootstrap?: boolean },
): Promise<DiagHost> {
  const { bootstrap, ...rest } = options;
  const host = await enrollSandboxHost(relay, { ...rest, enrollFlags: bootstrap === false ? ["--no-bootstrap"] : [] });
  expect(host.enrolled.stderr).toBe("");
  return host;
}

export async function collectorToken(host: DiagHost): Promise<string> {
  return readFile(join(host.root, "etc/alloy/linkmesh.token"), "utf8");
}

export async function agentToken(host: DiagHost): Promise<string> {
  return (await readFile(join(host.root, "etc/linkmesh/agent.token"), "utf8")).trim();
}

/** Pushes like the LinkMesh exporter does, with the token Alloy reads from its token file. */
export async function pushAsAlloy(relay: RelayProcess, host: DiagHost): Promise<{ ok: boolean; error?: string }> {
  return host.alloy.push({ url: `${relay.url}/v1/metrics`, bearer: await collectorToken(host) });
}

export async function doctor(host: DiagHost): Promise<{ code: number | null; verdict: DoctorVerdict; text: string }> {
  const common = ["--collector-http", host.alloyUrl, "--sample-interval", "1", "--timeout", "5"];
  const json = await runAgent(host.root, ["doctor", "--json", ...common], { journalDir: host.journalDir });
  expect(json.stderr).toBe("");
  const text = await runAgent(host.root, ["doctor", ...common], { journalDir: host.journalDir });
  expect(text.code).toBe(json.code);
  return { code: json.code, verdict: JSON.parse(json.stdout) as DoctorVerdict, text: text.stdout };
}

export function startAgent(host: DiagHost): void {
  startHostAgent(host, [
    "run",
    "--collector-http",
    host.alloyUrl,
    "--scrape-interval",
    "0.5",
    "--heartbeat",
    "1",
    "--reconnect-max",
    "1",
  ]);
}

export async function stopAgent(host: DiagHost): Promise<void> {
  await stopHostAgent(host);
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

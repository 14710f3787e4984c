// Shared by the diagnostics suites: a sandbox host enrolled with a relay, the Alloy stand-in with a chosen pipeline
// and a real journal, and `linkmesh-agent doctor --json` run against it.
import type { ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import type { DoctorVerdict } from "../../common/protocol/index.js";
import { JournalWriter, mintEnrollmentToken, type RelayProcess, runAgent, spawnAgent, tempDir } from "../rig/index.js";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";

export const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";

export interface DiagHost {
  hostname: string;
  root: string;
  journalDir: string;
  alloy: AlloySimulator;
  alloyUrl: string;
  collectorId: string;
  agent: ChildProcess | null;
  output: string;
}

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
  const root = await tempDir("host");
  const journalDir = await tempDir("journal");
  await mkdir(journalDir, { recursive: true });
  const alloy = new AlloySimulator({
    hostname: options.hostname,
    components: options.components,
    journal: new JournalWriter(journalDir),
  });
  const alloyUrl = await alloy.listen();
  await alloy.log("info", "Alloy is starting");
  if (options.operatorConfig !== undefined) {
    await mkdir(join(root, "etc/alloy"), { recursive: true });
    await writeFile(join(root, "etc/alloy/config.alloy"), options.operatorConfig);
  }
  const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
  const enrolled = await runAgent(root, [
    "enroll",
    "--server",
    relay.url,
    "--token",
    token,
    "--hostname",
    options.hostname,
    "--collector-http",
    alloyUrl,
    ...(options.bootstrap === false ? ["--no-bootstrap"] : []),
  ]);
  expect(enrolled.stderr).toBe("");
  expect(enrolled.code).toBe(0);
  const settings = JSON.parse(await readFile(join(root, "etc/linkmesh/agent.json"), "utf8")) as { collectorId: string };
  return {
    hostname: options.hostname,
    root,
    journalDir,
    alloy,
    alloyUrl,
    collectorId: settings.collectorId,
    agent: null,
    output: "",
  };
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
  const child = spawnAgent(
    host.root,
    ["run", "--collector-http", host.alloyUrl, "--scrape-interval", "0.5", "--heartbeat", "1", "--reconnect-max", "1"],
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

export async function stopAgent(host: DiagHost): Promise<void> {
  const child = host.agent;
  host.agent = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
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

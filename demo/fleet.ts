// Brings a planned fleet to life against a running relay: per Alloy host a sandbox root, its own journal, the
// Alloy stand-in and a real `linkmesh-agent run` process; per otelcol host an OpAMP-enrolled simulator. One loop
// pushes self-telemetry for every host and applies the scripted breakages. stop() leaves nothing running.

import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JournalWriter, runAgent, spawnAgent } from "../test/rig/index.js";
import { AlloySimulator } from "../test/sim/alloy.js";
import { OtelcolSimulator } from "../test/sim/otelcol.js";
import { pushOtlp } from "../test/sim/push.js";
import { type AlloyHostPlan, type HostPlan, type OtelcolHostPlan, planFleet } from "./plan.js";

export interface FleetOptions {
  relayUrl: string;
  adminToken: string;
  hosts: number;
  /** Sandbox roots, journals and agent logs go under here. */
  workDir: string;
  /** Real time between two pushes of every collector. */
  pushIntervalMs: number;
  /**
   * Collector time between two samples. Equal to pushIntervalMs: samples carry the wall clock. Larger: time is
   * compressed (samples start 30 min in the past and advance this much per push), so rates appear sooner.
   */
  sampleStepMs: number;
  /** The agents' scrape, health and heartbeat interval. */
  agentIntervalSeconds: number;
  /** How long the fresh collector waits before its second push. */
  freshHoldMs: number;
  /** After how many pushes the destination is deleted. */
  breakAfterPushes: number;
  log: (line: string) => void;
}

export const DEFAULT_FLEET_OPTIONS = {
  hosts: 12,
  pushIntervalMs: 15_000,
  sampleStepMs: 15_000,
  agentIntervalSeconds: 15,
  freshHoldMs: 90_000,
  breakAfterPushes: 3,
} as const;

export interface FleetHost {
  plan: HostPlan;
  /** The collector id the relay gave it (from the agent's settings; otelcol: looked up by hostname). */
  collectorId: string | null;
  agent: ChildProcess | null;
  pushes: number;
  rejected: number;
  lastError: string | null;
}

export interface Fleet {
  hosts: FleetHost[];
  /** Pids of the agent processes still running. */
  agentPids(): number[];
  stop(): Promise<void>;
}

interface Running {
  host: FleetHost;
  alloy: AlloySimulator | null;
  otel: OtelcolSimulator | null;
  root: string;
  collectorToken: string | null;
  firstPushAt: number | null;
}

const REVOKED_HOST_ADDRESS = "127.0.0.2";
const EXPORT_RETRY = "Exporting failed. Will retry the request after interval.";

async function api(options: FleetOptions, path: string, body?: unknown, bearer: string | null = options.adminToken) {
  const response = await fetch(`${options.relayUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function mintToken(options: FleetOptions): Promise<string> {
  return (await api(options, "/api/v1/tokens", { expiresIn: "1h", maxUses: 1 })).token as string;
}

/** Starts every planned host one after the other, logging progress; pushes begin once all are up. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const plans = planFleet(options.hosts);
  const running: Running[] = [];
  const virtualStart = Date.now() - 30 * 60_000;
  const compressed = options.sampleStepMs !== options.pushIntervalMs;
  const processStart = (compressed ? virtualStart : Date.now()) - 3_600_000;
  let tick = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  const logs: NodeJS.WritableStream[] = [];

  const stopAll = async () => {
    stopping = true;
    if (timer) clearTimeout(timer);
    await Promise.all(
      running.map(async (r) => {
        await stopAgent(r.host.agent);
        await r.alloy?.close();
        await r.otel?.close();
      }),
    );
    for (const log of logs) log.end();
  };

  try {
    for (const [index, plan] of plans.entries()) {
      const host: FleetHost = { plan, collectorId: null, agent: null, pushes: 0, rejected: 0, lastError: null };
      const r: Running = { host, alloy: null, otel: null, root: "", collectorToken: null, firstPushAt: null };
      running.push(r);
      if (plan.kind === "alloy") await startAlloyHost(options, r, plan, processStart, logs);
      else await startOtelHost(options, r, plan, processStart);
      const what = plan.kind === "alloy" ? `Alloy, agent pid ${host.agent?.pid}` : "otelcol-contrib over OpAMP";
      options.log(
        `  [${index + 1}/${plans.length}] ${plan.hostname} up (${what})${plan.broken ? ` - broken: ${plan.broken}` : ""}`,
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const sampleTime = () => (compressed ? virtualStart + tick * options.sampleStepMs : Date.now());

  const pushAll = async () => {
    const atMs = sampleTime();
    await Promise.all(
      running.map((r) =>
        pushOne(options, r, atMs, tick).catch((error: unknown) => {
          // Reported once per host, so a broken demo says why instead of showing an empty canvas.
          if (r.host.lastError === null) options.log(`  ${r.host.plan.hostname}: push failed: ${String(error)}`);
          r.host.lastError = String(error);
        }),
      ),
    );
    tick++;
  };

  const loop = () => {
    if (stopping) return;
    timer = setTimeout(() => {
      void pushAll().finally(loop);
    }, options.pushIntervalMs);
  };
  await pushAll();
  loop();

  return {
    hosts: running.map((r) => r.host),
    agentPids: () =>
      running.flatMap((r) => {
        const child = r.host.agent;
        return child?.pid !== undefined && child.exitCode === null && child.signalCode === null ? [child.pid] : [];
      }),
    stop: stopAll,
  };
}

async function startAlloyHost(
  options: FleetOptions,
  r: Running,
  plan: AlloyHostPlan,
  processStart: number,
  logs: NodeJS.WritableStream[],
): Promise<void> {
  const dir = join(options.workDir, plan.hostname);
  const root = join(dir, "root");
  const journalDir = join(dir, "journal");
  r.root = root;
  await mkdir(join(root, "etc/alloy"), { recursive: true });
  await mkdir(journalDir, { recursive: true });
  await writeFile(join(root, "etc/alloy/config.alloy"), plan.config);
  let journal: JournalWriter | undefined;
  try {
    journal = new JournalWriter(journalDir);
  } catch (error) {
    options.log(`  ${plan.hostname}: no journal (${(error as Error).message})`);
  }
  const alloy = new AlloySimulator({
    hostname: plan.hostname,
    components: plan.components,
    startTimeMs: processStart,
    ...(journal ? { journal } : {}),
  });
  r.alloy = alloy;
  const alloyUrl = await alloy.listen();
  if (journal) await alloy.log("info", "starting complete graph evaluation");
  const token = await mintToken(options);
  const enrolled = await runAgent(root, [
    "enroll",
    "--server",
    options.relayUrl,
    "--token",
    token,
    "--hostname",
    plan.hostname,
    "--collector-http",
    alloyUrl,
    ...(plan.broken === "no_bootstrap" ? ["--no-bootstrap"] : []),
  ]);
  if (enrolled.code !== 0) throw new Error(`${plan.hostname}: enroll failed (${enrolled.code}): ${enrolled.stderr}`);
  const settings = JSON.parse(await readFile(join(root, "etc/linkmesh/agent.json"), "utf8")) as { collectorId: string };
  r.host.collectorId = settings.collectorId;
  r.collectorToken =
    plan.broken === "no_bootstrap" ? null : (await readFile(join(root, "etc/alloy/linkmesh.token"), "utf8")).trim();
  if (plan.broken === "revoked_token") {
    // The hostname was enrolled again elsewhere (a reimaged machine, a copied disk): the relay revoked this host's
    // credentials before its agent and collector ever got going, so both are refused from the start.
    await api(
      options,
      "/api/v1/enroll",
      { token: await mintToken(options), hostname: plan.hostname, collectorType: "alloy" },
      null,
    );
  }
  const seconds = String(options.agentIntervalSeconds);
  const child = spawnAgent(
    root,
    [
      "run",
      "--collector-http",
      alloyUrl,
      "--scrape-interval",
      seconds,
      "--health-interval",
      seconds,
      "--heartbeat",
      seconds,
      "--reconnect-max",
      // A revoked agent retries from 127.0.0.1 like every other agent here; slow retries keep it under the
      // relay's failed-login limit for that address.
      plan.broken === "revoked_token" ? "120" : String(Math.max(2, options.agentIntervalSeconds * 2)),
    ],
    journal ? { journalDir } : {},
  );
  const log = createWriteStream(join(dir, "agent.log"));
  logs.push(log);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  r.host.agent = child;
}

async function startOtelHost(
  options: FleetOptions,
  r: Running,
  plan: OtelcolHostPlan,
  processStart: number,
): Promise<void> {
  const otel = new OtelcolSimulator({ ...plan, startTimeMs: processStart });
  r.otel = otel;
  await otel.enroll(options.relayUrl, await mintToken(options));
  const fleet = (await api(options, "/api/v1/collectors")).collectors as { id: string; hostname: string }[];
  r.host.collectorId = fleet.find((c) => c.hostname === plan.hostname)?.id ?? null;
}

/** One push for one host at sample time `atMs`, plus whatever its breakage does at this point. */
async function pushOne(options: FleetOptions, r: Running, atMs: number, tick: number): Promise<void> {
  const { plan } = r.host;
  if (plan.broken === "fresh_collector" && r.firstPushAt !== null && Date.now() - r.firstPushAt < options.freshHoldMs)
    return;
  if (tick === options.breakAfterPushes) await breakHost(options, r);
  if (plan.broken === "exporter_failing" && r.alloy) {
    await r.alloy
      .log("info", EXPORT_RETRY, {
        component_path: "/",
        component_id: "otelcol.exporter.otlphttp.backend",
        error:
          'failed to make an HTTP request: Post "https://otlp.example.net:4318/v1/traces": dial tcp 203.0.113.7:4318: connect: connection refused',
        interval: `${(3 + (tick % 5) * 1.3).toFixed(1)}s`,
      })
      .catch(() => {});
  }
  let result: { ok: boolean; error?: string } | null = null;
  if (r.otel) {
    if (tick % 2 === 0) r.otel.heartbeat();
    result = await r.otel.push(atMs);
  } else if (r.alloy && r.collectorToken !== null) {
    // The revoked host pushes from its own loopback address, so its 401s do not lock the rest of the fleet out.
    const from = plan.broken === "revoked_token" ? REVOKED_HOST_ADDRESS : undefined;
    const url = `${options.relayUrl}/v1/metrics`;
    result = await pushOtlp(url, `Bearer ${r.collectorToken}`, r.alloy.resourceMetrics(atMs), from);
  }
  if (result === null) return;
  r.firstPushAt ??= Date.now();
  if (result.ok) r.host.pushes++;
  else {
    if (r.host.rejected++ === 0) options.log(`  ${plan.hostname}: push refused: ${result.error ?? "push failed"}`);
    r.host.lastError = result.error ?? "push failed";
  }
}

/** The scripted breakage that needs a few good pushes first (so the relay has throughput to orphan). */
async function breakHost(options: FleetOptions, r: Running): Promise<void> {
  const { plan } = r.host;
  if (plan.kind !== "alloy") return;
  if (plan.broken === "deleted_destination" && plan.configAfter !== null && plan.componentsAfter !== null) {
    const file = join(r.root, "etc/alloy/config.alloy");
    const current = await readFile(file, "utf8");
    const temp = join(r.root, "etc/alloy/.config.alloy.tmp");
    await writeFile(temp, current.replace(plan.config, plan.configAfter));
    await rename(temp, file);
    r.alloy?.setComponents(plan.componentsAfter);
    options.log(`  ${plan.hostname}: destination loki.write.archive deleted from the config`);
  }
}

async function stopAgent(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

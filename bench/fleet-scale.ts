// "P2 fleet scale": one real relay process (dist/relay.js, SQLite) with N agent WebSockets (default 10,000) and N
// collectors pushing every 30 s, compressed in time; then a relay restart and the reconnect storm.
// - Enrolment: the public API in a loop (one enrollment token with maxUses N, N x POST /api/v1/enroll), so every
//   WebSocket and push authenticates with a real agent / collector token.
// - Agents: plain `ws` clients speaking the wire protocol (hello -> welcome, heartbeat every 30 s); on close they
//   reconnect with the agent's own policy (agent/link reconnectDelay, full jitter, DEFAULT_BACKOFF, honouring the
//   relay's goaway retryAfterMs).
// - Pushes: each collector's real OTLP body (the Alloy stand-in through the OpenTelemetry serializer, gzip),
//   sample times 30 s apart, offered open-loop at N/30 x COMPRESSION pushes/s over a keep-alive connection pool.
// If a phase runs out of its time budget the row continues with the collectors that made it and says so.

import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import { Pool } from "undici";
import WebSocket from "ws";
import { DEFAULT_BACKOFF, reconnectDelay } from "../agent/link/index.js";
import { AGENT_LINK_PATH } from "../common/protocol/index.js";
import { DIST_DIR, tempDir } from "../test/rig/index.js";
import { AlloySimulator } from "../test/sim/alloy.js";
import { registerBench } from "./registry.js";

const FLEET = Number(process.env.LINKMESH_BENCH_FLEET ?? 10_000);
/** Pushes run this many times faster than a real 30 s interval. */
const COMPRESSION = Number(process.env.LINKMESH_BENCH_COMPRESSION ?? 3);
/** Two compressed rounds (the second gives every collector its first rate), then one at the real 30 s load. */
const SPEEDS = [COMPRESSION, COMPRESSION, 1];
const ROUNDS = SPEEDS.length;
const ENROLL_BUDGET_MS = 120_000;
const CONNECT_BUDGET_MS = 90_000;
const STORM_BUDGET_MS = 120_000;
const ADMIN = "bench-operator-secret-0123456789";

const hostnameOf = (i: number) => `bench-${String(i).padStart(5, "0")}`;

interface Credentials {
  agentToken: string;
  collectorToken: string;
}

interface RelayChild {
  child: ChildProcess;
  url: string;
}

async function startRelayChild(dbPath: string, port: number): Promise<RelayChild> {
  const child = spawn(
    process.execPath,
    [join(DIST_DIR, "relay.js"), "--listen", `127.0.0.1:${port}`, "--db", `sqlite:${dbPath}`],
    { env: { ...process.env, LINKMESH_ADMIN_TOKEN: ADMIN }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, url });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("exit", (code) => reject(new Error(`relay exited (${code}): ${output}`)));
  });
}

async function stopRelayChild(relay: RelayChild): Promise<void> {
  if (relay.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => relay.child.once("exit", () => resolve()));
  relay.child.kill("SIGTERM");
  const timer = setTimeout(() => relay.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Runs `task(i)` for i in [0, n) with `concurrency` in flight until done or the deadline; returns how many ran. */
async function pooled(n: number, concurrency: number, deadline: number, task: (i: number) => Promise<void>) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < n && Date.now() < deadline) {
      const i = next++;
      await task(i);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

async function enrollFleet(url: string, size: number): Promise<Credentials[]> {
  const pool = new Pool(url, { connections: 8 });
  const post = async (path: string, body: unknown, bearer?: string) => {
    const response = await pool.request({
      method: "POST",
      path,
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.body.json()) as Record<string, string>;
    if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = await post("/api/v1/tokens", { expiresIn: "1h", maxUses: size }, ADMIN);
  const credentials: Credentials[] = [];
  await pooled(size, 16, Date.now() + ENROLL_BUDGET_MS, async (i) => {
    const enrolled = await post("/api/v1/enroll", {
      token,
      hostname: hostnameOf(i),
      collectorType: "alloy",
    });
    credentials.push({ agentToken: enrolled.agentToken as string, collectorToken: enrolled.collectorToken as string });
  });
  await pool.close();
  return credentials;
}

/** One simulated agent link: hello -> welcome, heartbeats, and the agent's reconnect policy on close. */
class BenchAgent {
  socket: WebSocket | null = null;
  live = false;
  attempt = 0;
  retryAfterMs: number | null = null;
  /** Delays chosen by the backoff policy since the last reset (the jitter the storm shows). */
  delays: number[] = [];
  liveAt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  stopped = false;

  constructor(
    private readonly wsUrl: string,
    private readonly token: string,
    private readonly hostname: string,
    private readonly onLive: (agent: BenchAgent) => void,
  ) {}

  connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.wsUrl, {
      headers: { authorization: `Bearer ${this.token}` },
      perMessageDeflate: false,
    });
    this.socket = ws;
    ws.on("open", () => {
      ws.send(
        JSON.stringify({
          type: "hello",
          protocol: 1,
          agentVersion: "0.1.0-bench",
          collectorType: "alloy",
          host: { hostname: this.hostname, os: "linux", arch: "x64", kernel: "6.1" },
        }),
      );
    });
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as { type: string; retryAfterMs?: number };
      if (message.type === "welcome") {
        this.live = true;
        this.attempt = 0;
        this.liveAt = performance.now();
        this.heartbeat = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "heartbeat", timeMs: Date.now() }));
        }, 30_000);
        this.onLive(this);
      } else if (message.type === "goaway") {
        this.retryAfterMs = message.retryAfterMs ?? null;
      }
    });
    ws.on("error", () => {});
    ws.on("close", () => {
      this.live = false;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      if (this.stopped) return;
      const delay = reconnectDelay(this.attempt++, DEFAULT_BACKOFF, this.retryAfterMs);
      this.retryAfterMs = null;
      this.delays.push(delay);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.retry) clearTimeout(this.retry);
    this.socket?.terminate();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** One body per round: a typical host (LinkMesh self-telemetry + an OTLP gateway), sample times 30 s apart. */
function roundBodies(): { bodies: Buffer[]; series: number } {
  const t0 = Date.now() - ROUNDS * 30_000;
  const sim = new AlloySimulator({
    hostname: "bench",
    startTimeMs: t0 - 3_600_000,
    components: [
      { id: "prometheus.scrape.linkmesh", ratePerSecond: 40 },
      { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: 40 },
      { id: "otelcol.exporter.otlphttp.linkmesh", ratePerSecond: 40 },
      { id: "otelcol.receiver.otlp.default", ratePerSecond: 420 },
      { id: "otelcol.processor.batch.default", ratePerSecond: 420 },
      { id: "otelcol.exporter.otlphttp.backend", ratePerSecond: 420 },
      { id: "prometheus.scrape.node", ratePerSecond: 1200 },
      { id: "prometheus.remote_write.mimir", ratePerSecond: 1200 },
    ],
  });
  const bodies: Buffer[] = [];
  let series = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const rm = sim.resourceMetrics(t0 + round * 30_000);
    series = rm.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0);
    const raw = ProtobufMetricsSerializer.serializeRequest(rm);
    if (!raw) throw new Error("serializer returned nothing");
    bodies.push(gzipSync(raw));
  }
  return { bodies, series };
}

/**
 * Offers every collector's push once per round, open-loop, at N/30 x `speeds[round]` pushes/s; latencies per round.
 * Rounds at speed > 1 are compressed time (sample times still 30 s apart); a round at speed 1 is the real load.
 */
async function pushRounds(url: string, fleet: Credentials[], bodies: Buffer[], speeds: number[]) {
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  const rounds: { perSecond: number; latencies: number[]; failures: number; seconds: number }[] = [];
  for (const [round, speed] of speeds.entries()) {
    const body = bodies[round] as Buffer;
    const perSecond = (fleet.length / 30) * speed;
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < fleet.length; i++) {
      const wait = started + (i / perSecond) * 1000 - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const collector = fleet[i] as Credentials;
      const t = performance.now();
      sends.push(
        pool
          .request({
            method: "POST",
            path: "/v1/metrics",
            headers: {
              "content-type": "application/x-protobuf",
              "content-encoding": "gzip",
              authorization: `Bearer ${collector.collectorToken}`,
            },
            body,
          })
          .then(async (response) => {
            await response.body.dump();
            latencies.push(performance.now() - t);
            if (response.statusCode !== 200) failures++;
          })
          .catch(() => {
            failures++;
          }),
      );
    }
    await Promise.all(sends);
    latencies.sort((a, b) => a - b);
    rounds.push({ perSecond, latencies, failures, seconds: (performance.now() - started) / 1000 });
  }
  await pool.close();
  return rounds;
}

registerBench({
  name: "P2 fleet scale",
  async run() {
    const dir = await tempDir("bench-fleet");
    const db = join(dir, "relay.db");
    let relay = await startRelayChild(db, 0);
    const port = Number(new URL(relay.url).port);
    const agents: BenchAgent[] = [];
    let peakRss = 0;
    const sampler = setInterval(() => {
      void rssMb(relay.child.pid as number).then((mb) => {
        peakRss = Math.max(peakRss, mb);
      });
    }, 500);
    try {
      const enrollStarted = performance.now();
      const fleet = await enrollFleet(relay.url, FLEET);
      const enrollSeconds = (performance.now() - enrollStarted) / 1000;

      // Connect every agent (bounded concurrency) and wait for its welcome.
      const wsUrl = `${relay.url.replace(/^http/, "ws")}${AGENT_LINK_PATH}`;
      let liveCount = 0;
      let onLive: () => void = () => {};
      const connectStarted = performance.now();
      await pooled(fleet.length, 200, Date.now() + CONNECT_BUDGET_MS, async (i) => {
        await new Promise<void>((resolve) => {
          const agent = new BenchAgent(wsUrl, (fleet[i] as Credentials).agentToken, hostnameOf(i), () => {
            liveCount++;
            onLive();
            resolve();
          });
          agents.push(agent);
          agent.connect();
          setTimeout(resolve, 10_000); // a slow one does not hold its slot forever
        });
      });
      const connectSeconds = (performance.now() - connectStarted) / 1000;
      const connected = agents.filter((a) => a.live).length;
      const rssConnected = await rssMb(relay.child.pid as number);

      const { bodies, series } = roundBodies();
      const rounds = await pushRounds(relay.url, fleet.slice(0, Math.max(1, connected)), bodies, SPEEDS);
      const compressed = rounds.slice(0, -1);
      const compressedLatencies = compressed.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const real = rounds.at(-1) as (typeof rounds)[number];
      const failures = rounds.reduce((n, r) => n + r.failures, 0);
      const rssAfterPushes = await rssMb(relay.child.pid as number);

      // Reconnect storm: restart the relay on the same port and database; every agent follows its backoff.
      for (const a of agents) a.delays = [];
      const liveBefore = agents.filter((a) => a.live).length;
      await stopRelayChild(relay);
      liveCount = 0;
      const allBack = new Promise<void>((resolve) => {
        onLive = () => {
          if (liveCount >= liveBefore) resolve();
        };
      });
      relay = await startRelayChild(db, port);
      const restartedAt = performance.now();
      await Promise.race([allBack, new Promise((r) => setTimeout(r, STORM_BUDGET_MS))]);
      const back = agents.filter((a) => a.live);
      const backTimes = back.map((a) => (a.liveAt - restartedAt) / 1000).sort((a, b) => a - b);
      const firstDelays = agents
        .map((a) => a.delays[0] ?? Number.NaN)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const perSecond = new Map<number, number>();
      for (const t of backTimes)
        perSecond.set(Math.max(0, Math.floor(t)), (perSecond.get(Math.max(0, Math.floor(t))) ?? 0) + 1);
      const peakPerSecond = Math.max(0, ...perSecond.values());
      const allBackSeconds = back.length >= liveBefore ? (backTimes.at(-1) ?? Number.NaN) : Number.NaN;

      const p99 = percentile(real.latencies, 99);
      const sizeNote =
        connected < FLEET
          ? `SIZE USED ${connected} of ${FLEET} (the rest did not enrol/connect within the time budget). `
          : "";
      const pass = connected === FLEET && p99 < 50 && peakRss < 1024 && failures === 0 && back.length >= liveBefore;
      return {
        numbers: {
          "agents connected": `${connected} / ${FLEET}`,
          "enrol s (API loop)": Number(enrollSeconds.toFixed(1)),
          "connect s": Number(connectSeconds.toFixed(1)),
          "series per push": series,
          "real load: pushes/s (N every 30 s)": Math.round(real.perSecond),
          "real load: push p50 ms": Number(percentile(real.latencies, 50).toFixed(1)),
          "real load: push p99 ms": Number(p99.toFixed(1)),
          [`${COMPRESSION}x compressed: pushes/s offered / achieved`]: `${Math.round(compressed[0]?.perSecond ?? 0)} / ${Math.round(compressed.reduce((n, r) => n + r.latencies.length, 0) / compressed.reduce((n, r) => n + r.seconds, 0))}`,
          [`${COMPRESSION}x compressed: push p50 / p99 ms`]: `${percentile(compressedLatencies, 50).toFixed(1)} / ${percentile(compressedLatencies, 99).toFixed(1)}`,
          "push failures": failures,
          "relay RSS MB (connected / after pushes / peak)": `${Math.round(rssConnected)} / ${Math.round(rssAfterPushes)} / ${Math.round(peakRss)}`,
          "storm: back / before": `${back.length} / ${liveBefore}`,
          "storm: all back s": Number(allBackSeconds.toFixed(1)),
          "storm: back p10/p50/p90 s": `${percentile(backTimes, 10).toFixed(1)} / ${percentile(backTimes, 50).toFixed(1)} / ${percentile(backTimes, 90).toFixed(1)}`,
          "storm: first delay min/p50/max ms (jitter)": `${percentile(firstDelays, 0)} / ${percentile(firstDelays, 50)} / ${firstDelays.at(-1) ?? "-"}`,
          "storm: peak reconnects in one second": peakPerSecond,
        },
        target: "p99 push < 50 ms at the real load, relay RSS < 1 GiB, all agents back after a restart",
        pass,
        notes:
          `${sizeNote}${ROUNDS} push rounds, 30 s of sample time apart: two sent ${COMPRESSION}x faster than real time, ` +
          "the last at the real rate (its p99 is the target); the bench client shares the 2 cores with the relay; " +
          "enrolment through the public API; agents reconnect with agent/link reconnectDelay (full jitter after the " +
          "relay's goaway retryAfterMs); env LINKMESH_BENCH_FLEET / LINKMESH_BENCH_COMPRESSION change size and speed",
      };
    } finally {
      clearInterval(sampler);
      for (const a of agents) a.stop();
      await stopRelayChild(relay);
    }
  },
});

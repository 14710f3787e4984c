// "P1 OTLP ingest": pushes/s and latency of a realistic ~150-series gzip protobuf push (encoded by the real
// OpenTelemetry serializer from the Alloy stand-in), through the full relay vs a bare Fastify route that only
// reads the same body. Each server runs in its own child process; autocannon drives both for the same time.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import autocannon from "autocannon";
import Fastify from "fastify";
import { buildRelay, resolveRelayConfig } from "../relay/index.js";
import { AlloySimulator, type SimComponent } from "../test/sim/alloy.js";
import { registerBench } from "./registry.js";

const COLLECTORS = 20;
const SECONDS = Number(process.env.LINKMESH_BENCH_SECONDS ?? 8);
// Enough bodies that no collector's timestamps wrap around during the run (up to ~4k pushes/s): a repeated,
// older body would be skipped by the rate engine and make the relay look cheaper than a real fleet.
const PUSHES_PER_COLLECTOR = Math.ceil((SECONDS * 4000) / COLLECTORS);
const SERVE_FLAG = "--serve-otlp";

/** ~150 series: 70 pipeline components (2 counters each, Alloy naming) + process/build series. */
function pipeline(): SimComponent[] {
  const components: SimComponent[] = [];
  for (let i = 0; i < 10; i++) components.push({ id: `otelcol.receiver.otlp.r${i}`, ratePerSecond: 100 + i });
  for (let i = 0; i < 10; i++) components.push({ id: `otelcol.processor.batch.p${i}`, ratePerSecond: 100 + i });
  for (let i = 0; i < 20; i++)
    components.push({ id: `otelcol.exporter.otlphttp.e${i}`, ratePerSecond: 100 + i, failedPerSecond: 1 });
  for (let i = 0; i < 20; i++) components.push({ id: `prometheus.remote_write.w${i}`, ratePerSecond: 1000 + i });
  for (let i = 0; i < 10; i++) components.push({ id: `loki.write.l${i}`, signal: "logs", ratePerSecond: 50 + i });
  return components;
}

export interface Served {
  url: string;
  tokens: string[];
}

/** Child-process side: start one server and print its URL (and collector tokens) as one JSON line. */
async function serve(kind: "relay" | "bare"): Promise<void> {
  if (kind === "bare") {
    const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
    app.addContentTypeParser("application/x-protobuf", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    app.post("/v1/metrics", async (request, reply) => {
      const length = (request.body as Buffer).length;
      return reply
        .code(200)
        .type("application/x-protobuf")
        .send(Buffer.alloc(length > 0 ? 0 : 0));
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, tokens: [] } satisfies Served)}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "linkmesh-bench-"));
  const admin = "bench-operator-secret-0123456789";
  // The replicas row (bench/replicas.ts) points several servers at one PostgreSQL; only the first enrolls.
  const db = process.env.LINKMESH_BENCH_DB ?? `sqlite:${join(dir, "relay.db")}`;
  const collectors = process.env.LINKMESH_BENCH_ENROLL === "0" ? 0 : COLLECTORS;
  const config = resolveRelayConfig({ listen: "127.0.0.1:0", db }, { LINKMESH_ADMIN_TOKEN: admin }, dir);
  const relay = await buildRelay(config, { logger: false });
  const url = await relay.listen();
  const tokens: string[] = [];
  for (let i = 0; i < collectors; i++) {
    const minted = await relay.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { authorization: `Bearer ${admin}` },
      payload: {},
    });
    const enrolled = await relay.app.inject({
      method: "POST",
      url: "/api/v1/enroll",
      payload: { token: (minted.json() as { token: string }).token, hostname: `bench-${i}`, collectorType: "alloy" },
    });
    tokens.push((enrolled.json() as { collectorToken: string }).collectorToken);
  }
  process.stdout.write(`${JSON.stringify({ url, tokens } satisfies Served)}\n`);
}

export function startServer(
  kind: "relay" | "bare",
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(process.execPath, [process.argv[1] as string, SERVE_FLAG, kind], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n")[0];
      if (buffer.includes("\n") && line) resolve({ child, served: JSON.parse(line) as Served });
    });
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

/** Bodies with increasing timestamps per collector, as a real fleet sends them (no "not newer" shortcut). */
export function buildBodies(): { bodies: Buffer[]; series: number; rawBytes: number } {
  const t0 = Date.now() - PUSHES_PER_COLLECTOR * 30_000;
  const sim = new AlloySimulator({ hostname: "bench", components: pipeline(), startTimeMs: t0 - 3_600_000 });
  const bodies: Buffer[] = [];
  let series = 0;
  let rawBytes = 0;
  for (let i = 0; i < PUSHES_PER_COLLECTOR; i++) {
    const rm = sim.resourceMetrics(t0 + i * 30_000);
    if (i === 0)
      series = rm.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0);
    const raw = ProtobufMetricsSerializer.serializeRequest(rm);
    if (!raw) throw new Error("serializer returned nothing");
    rawBytes = raw.length;
    bodies.push(gzipSync(raw));
  }
  return { bodies, series, rawBytes };
}

export async function drive(served: Served, bodies: Buffer[], connections = 16) {
  // Request n goes to collector n % COLLECTORS with that collector's next body in time order.
  let n = 0;
  const result = await autocannon({
    url: served.url,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/v1/metrics",
        setupRequest: (request) => {
          const fleet = served.tokens.length || COLLECTORS;
          const collector = n % fleet;
          const body = bodies[Math.floor(n / fleet) % bodies.length] as Buffer;
          n++;
          return {
            ...request,
            body,
            headers: {
              "content-type": "application/x-protobuf",
              "content-encoding": "gzip",
              ...(served.tokens.length > 0 ? { authorization: `Bearer ${served.tokens[collector]}` } : {}),
            },
          };
        },
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function measure(kind: "relay" | "bare", bodies: Buffer[]) {
  const { child, served } = await startServer(kind);
  try {
    return await drive(served, bodies);
  } finally {
    child.kill("SIGTERM");
  }
}

registerBench({
  name: "P1 OTLP ingest",
  async run() {
    const { bodies, series, rawBytes } = buildBodies();
    const bare = await measure("bare", bodies);
    const relay = await measure("relay", bodies);
    const ratio = relay.rps / Math.max(1, bare.rps);
    return {
      numbers: {
        series: series,
        "body bytes (gzip / raw)": `${bodies[0]?.length ?? 0} / ${rawBytes}`,
        "relay pushes/s": relay.rps,
        "relay p50 ms": relay.p50,
        "relay p99 ms": relay.p99,
        "relay non-2xx": relay.non2xx + relay.errors,
        "bare pushes/s": bare.rps,
        "bare p50 ms": bare.p50,
        "bare p99 ms": bare.p99,
        "relay/bare": Number(ratio.toFixed(2)),
      },
      target: "relay/bare >= 0.5",
      pass: ratio >= 0.5 && relay.non2xx + relay.errors === 0,
      notes: `${SECONDS} s each, 16 connections, ${COLLECTORS} collectors; set LINKMESH_BENCH_SECONDS to change`,
    };
  },
});

/** When dist/bench.js is started as a child server for this row. */
export async function serveIfAsked(argv: readonly string[]): Promise<boolean> {
  const at = argv.indexOf(SERVE_FLAG);
  if (at === -1) return false;
  await serve(argv[at + 1] === "relay" ? "relay" : "bare");
  return true;
}

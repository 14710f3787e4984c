// An otelcol-contrib enrolled over OpAMP shows its effective config as its graph in /api/v1/topology, and its own
// OTLP metrics (otelcol names: `otelcol_` prefix, `receiver`/`processor`/`exporter` labels, Int64 counters sent as
// as_int by the Go SDK) fill that graph's edges with rates. The push goes through the real OpenTelemetry exporter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";
import { OtelcolSimulator } from "../sim/otelcol.js";

const EFFECTIVE_CONFIG = `receivers:
  otlp:
    protocols: { grpc: {}, http: {} }
processors:
  batch: {}
exporters:
  otlp_http/backend: { endpoint: "https://backend.example:4318" }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp_http/backend] }
`;

interface TopologyCollector {
  id: string;
  hostname: string;
  graphSource: string;
  components: { id: string; kind: string }[];
  edges: { from: string; to: string; signal: string; ratePerSecond: number | null; state: string }[];
}

const RATE = 40;

describe("an OpAMP-enrolled otelcol-contrib on the canvas", () => {
  let relay: RelayProcess;
  const collectors: OtelcolSimulator[] = [];
  const byHost = new Map<string, TopologyCollector>();
  beforeAll(async () => {
    relay = await startRelay();
    const now = Date.now();
    for (const [hostname, valueType] of [
      ["otel-double", 1],
      ["otel-int", 0],
    ] as const) {
      const otelcol = new OtelcolSimulator({
        hostname,
        effectiveConfig: EFFECTIVE_CONFIG,
        signal: "traces",
        receiver: "otlp",
        processor: "batch",
        exporter: "otlp_http/backend",
        countAt: (elapsedSeconds) => RATE * elapsedSeconds,
        startTimeMs: now - 600_000,
        valueType,
      });
      collectors.push(otelcol);
      await otelcol.enroll(relay.url, await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 }));
      for (const at of [now - 30_000, now]) {
        const result = await otelcol.push(at);
        if (!result.ok) throw new Error(`push failed: ${result.error}`);
      }
    }
    const topology = await relay.api("/api/v1/topology");
    if (topology.status !== 200) throw new Error(`topology: ${topology.status}`);
    for (const c of (topology.body as { collectors: TopologyCollector[] }).collectors) byHost.set(c.hostname, c);
  });
  afterAll(async () => {
    for (const otelcol of collectors) await otelcol.close();
    await relay.stop();
  });

  const edge = (hostname: string, component: string) =>
    byHost.get(hostname)?.edges.find((e) => e.signal === "traces" && (e.from === component || e.to === component));

  it("shows the effective config as the graph and live edges; the destination edge carries the exporter rate", () => {
    const collector = byHost.get("otel-double");
    expect(collector?.graphSource).toBe("graph");
    expect(collector?.components.map((c) => c.id).sort()).toEqual(["batch", "otlp", "otlp_http/backend"]);
    expect(collector?.edges.map((e) => e.state)).toEqual(["live", "live"]);
    expect(edge("otel-double", "otlp_http/backend")?.ratePerSecond).toBeCloseTo(RATE, 0);
  });

  it("the source edge carries the receiver's accepted rate", () => {
    expect(edge("otel-double", "otlp")?.ratePerSecond).toBeCloseTo(RATE, 0);
  });

  it("int-valued points (as the otelcol Go SDK sends them) give the same rates", () => {
    expect(edge("otel-int", "otlp_http/backend")?.ratePerSecond).toBeCloseTo(RATE, 0);
  });
});

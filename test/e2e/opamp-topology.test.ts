// An otelcol-contrib enrolled over OpAMP shows its effective config as its graph in /api/v1/topology, and its own
// OTLP metrics (otelcol names: `otelcol_` prefix, `receiver`/`processor`/`exporter` labels, Int64 counters sent as
// as_int by the Go SDK) fill that graph's edges with rates. The push goes through the real OpenTelemetry exporter.
import { randomBytes } from "node:crypto";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";

const PEER_PROTO = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message AgentDescription { repeated KeyValue identifying_attributes = 1; repeated KeyValue non_identifying_attributes = 2; }
message AgentConfigFile { bytes body = 1; string content_type = 2; }
message AgentConfigMap { map<string, AgentConfigFile> config_map = 1; }
message EffectiveConfig { AgentConfigMap config_map = 1; }
message AgentToServer { bytes instance_uid = 1; uint64 sequence_num = 2; AgentDescription agent_description = 3; uint64 capabilities = 4; EffectiveConfig effective_config = 6; }
message Header { string key = 1; string value = 2; }
message Headers { repeated Header headers = 1; }
message TelemetryConnectionSettings { string destination_endpoint = 1; Headers headers = 2; }
message ConnectionSettingsOffers { bytes hash = 1; TelemetryConnectionSettings own_metrics = 3; }
message ServerToAgent { bytes instance_uid = 1; ConnectionSettingsOffers connection_settings = 4; }`;
const root = protobuf.parse(PEER_PROTO).root;
const A2S = root.lookupType("AgentToServer");
const S2A = root.lookupType("ServerToAgent");

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

/** otelcol's internal counters for one pipeline at `rate` spans/s, `secondsUp` after start. */
/** `valueType` 0 = INT (as_int on the wire, what the Go SDK sends for Int64 counters), 1 = DOUBLE (as_double). */
function otelcolMetrics(uid: string, atMs: number, startMs: number, rate: number, valueType: 0 | 1): ResourceMetrics {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
  const total = Math.round((rate * (atMs - startMs)) / 1000);
  const sum = (name: string, attributes: Record<string, string>): MetricData =>
    ({
      descriptor: { name, description: "", unit: "{span}", valueType },
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPoints: [{ startTime: hr(startMs), endTime: hr(atMs), attributes, value: total }],
    }) as MetricData;
  return {
    resource: resourceFromAttributes({ "service.name": "otelcol-contrib", "service.instance.id": uid }),
    scopeMetrics: [
      {
        scope: { name: "go.opentelemetry.io/collector/service" },
        metrics: [
          sum("otelcol_receiver_accepted_spans", { receiver: "otlp", transport: "grpc" }),
          sum("otelcol_processor_incoming_items", { processor: "batch", "otel.signal": "traces" }),
          sum("otelcol_processor_outgoing_items", { processor: "batch", "otel.signal": "traces" }),
          sum("otelcol_exporter_sent_spans", { exporter: "otlp_http/backend" }),
        ],
      },
    ],
  };
}

async function push(url: string, authorization: string, metrics: ResourceMetrics): Promise<void> {
  const exporter = new OTLPMetricExporter({ url, headers: { Authorization: authorization }, timeoutMillis: 10_000 });
  try {
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(metrics, resolve));
    if (result.code !== ExportResultCode.SUCCESS) throw new Error(`push failed: ${result.error?.message}`);
  } finally {
    await exporter.shutdown();
  }
}

interface TopologyCollector {
  id: string;
  hostname: string;
  graphSource: string;
  components: { id: string; kind: string }[];
  edges: { from: string; to: string; signal: string; ratePerSecond: number | null; state: string }[];
}

/** Enrolls over OpAMP/WebSocket with the effective config above; returns the own_metrics offer. */
async function enrollOverOpamp(relay: RelayProcess, hostname: string) {
  const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
  const uidBytes = randomBytes(16);
  const uid = uidBytes.toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  const ws = new WebSocket(`${relay.url.replace(/^http/, "ws")}/v1/opamp`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const reply = new Promise<Buffer>((resolve) => ws.once("message", (data: Buffer) => resolve(data)));
  const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const a2s = A2S.encode(
    A2S.fromObject({
      instanceUid: uidBytes,
      sequenceNum: 1,
      capabilities: 10309,
      agentDescription: {
        identifyingAttributes: [kv("service.name", "otelcol-contrib"), kv("service.instance.id", uid)],
        nonIdentifyingAttributes: [kv("host.name", hostname)],
      },
      effectiveConfig: {
        configMap: { configMap: { "": { body: Buffer.from(EFFECTIVE_CONFIG), contentType: "text/yaml" } } },
      },
    }),
  ).finish();
  ws.send(Buffer.concat([Buffer.from([0]), a2s]));
  const s2a = S2A.toObject(S2A.decode((await reply).subarray(1))) as {
    connectionSettings?: { ownMetrics?: { destinationEndpoint: string; headers: { headers: { value: string }[] } } };
  };
  ws.close();
  const offer = s2a.connectionSettings?.ownMetrics;
  if (!offer) throw new Error("no own_metrics offer in the first reply");
  return { uid, endpoint: offer.destinationEndpoint, authorization: offer.headers.headers[0]?.value ?? "" };
}

const RATE = 40;

describe("an OpAMP-enrolled otelcol-contrib on the canvas", () => {
  let relay: RelayProcess;
  const byHost = new Map<string, TopologyCollector>();
  beforeAll(async () => {
    relay = await startRelay();
    const now = Date.now();
    const started = now - 600_000;
    for (const [hostname, valueType] of [
      ["otel-double", 1],
      ["otel-int", 0],
    ] as const) {
      const enrolled = await enrollOverOpamp(relay, hostname);
      for (const at of [now - 30_000, now]) {
        await push(
          enrolled.endpoint,
          enrolled.authorization,
          otelcolMetrics(enrolled.uid, at, started, RATE, valueType),
        );
      }
    }
    const topology = await relay.api("/api/v1/topology");
    if (topology.status !== 200) throw new Error(`topology: ${topology.status}`);
    for (const c of (topology.body as { collectors: TopologyCollector[] }).collectors) byHost.set(c.hostname, c);
  });
  afterAll(async () => {
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

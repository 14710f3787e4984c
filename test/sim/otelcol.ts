// A stand-in for an otelcol-contrib managed over OpAMP (peer of alloy.ts): it enrolls on /v1/opamp (WebSocket) with
// its effective config, takes the own_metrics offer, keeps the connection open, and pushes otelcol-named
// self-telemetry (the names and Int64 as_int points the Go SDK sends) through the real OpenTelemetry exporter.
// It encodes with its own copy of the opamp.proto fields, so it checks the relay's wire format, not the relay's code.

import { randomBytes } from "node:crypto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import protobuf from "protobufjs";
import WebSocket from "ws";
import { pushOtlp } from "./push.js";

// The subset of opamp.proto a collector sends on enrolment and reads back (field numbers as upstream).
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
const proto = protobuf.parse(PEER_PROTO).root;
const A2S = proto.lookupType("AgentToServer");
const S2A = proto.lookupType("ServerToAgent");

/** ReportsStatus | AcceptsRemoteConfig | ReportsEffectiveConfig | ReportsOwnMetrics | ... as otelcol's supervisor. */
const CAPABILITIES = 10309;

export interface OtelcolSimOptions {
  hostname: string;
  /** The effective config (YAML) the collector reports over OpAMP. */
  effectiveConfig: string;
  /** The one pipeline its self-telemetry counts: receiver -> processor -> exporter. */
  signal: "traces" | "metrics";
  receiver: string;
  processor: string;
  exporter: string;
  /** Items counted `elapsedSeconds` after start through the pipeline. */
  countAt: (elapsedSeconds: number) => number;
  /** Process start, ms since epoch. */
  startTimeMs: number;
  /** 0 = Int64 points, as_int on the wire (what the Go SDK sends; the default); 1 = double points, as_double. */
  valueType?: 0 | 1;
}

export class OtelcolSimulator {
  private socket: WebSocket | null = null;
  private endpoint = "";
  private authorization = "";
  readonly uid: string;
  private readonly uidBytes = randomBytes(16);
  private sequence = 0;

  constructor(readonly options: OtelcolSimOptions) {
    this.uid = this.uidBytes.toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  }

  /** Enrolls over OpAMP with an enrollment token and keeps the WebSocket open. */
  /** Connects with an enrollment token (lme_) or the collector token an agent enrollment stored (lmc_). */
  async enroll(relayUrl: string, enrollmentToken: string): Promise<void> {
    const ws = new WebSocket(`${relayUrl.replace(/^http/, "ws")}/v1/opamp`, {
      headers: { authorization: `Bearer ${enrollmentToken}` },
    });
    this.socket = ws;
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.on("error", () => {}); // a relay going away closes the socket; the fleet or test is stopping then
    const reply = new Promise<Buffer>((resolve) => ws.once("message", (data: Buffer) => resolve(data)));
    ws.send(this.agentToServer(true));
    const s2a = S2A.toObject(S2A.decode((await reply).subarray(1))) as {
      connectionSettings?: {
        ownMetrics?: { destinationEndpoint: string; headers?: { headers?: { value: string }[] } };
      };
    };
    const offer = s2a.connectionSettings?.ownMetrics;
    if (!offer) throw new Error(`${this.options.hostname}: the relay sent no own_metrics offer`);
    this.endpoint = offer.destinationEndpoint;
    this.authorization = offer.headers?.headers?.[0]?.value ?? "";
  }

  private agentToServer(full: boolean): Buffer {
    const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const message = A2S.fromObject({
      instanceUid: this.uidBytes,
      sequenceNum: ++this.sequence,
      capabilities: CAPABILITIES,
      ...(full
        ? {
            agentDescription: {
              identifyingAttributes: [kv("service.name", "otelcol-contrib"), kv("service.instance.id", this.uid)],
              nonIdentifyingAttributes: [kv("host.name", this.options.hostname), kv("os.type", "linux")],
            },
            effectiveConfig: {
              configMap: {
                configMap: { "": { body: Buffer.from(this.options.effectiveConfig), contentType: "text/yaml" } },
              },
            },
          }
        : {}),
    });
    return Buffer.concat([Buffer.from([0]), A2S.encode(message).finish()]);
  }

  /** A status-only AgentToServer, as the collector sends between changes. */
  heartbeat(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(this.agentToServer(false));
  }

  /** otelcol's internal counters for its pipeline at `atMs`. */
  metrics(atMs: number): ResourceMetrics {
    const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
    const p = this.options;
    const total = Math.round(p.countAt(Math.max(0, (atMs - p.startTimeMs) / 1000)));
    const item = p.signal === "traces" ? "spans" : "metric_points";
    const sum = (name: string, attributes: Record<string, string>, value = total): MetricData =>
      ({
        descriptor: { name, description: "", unit: "", valueType: p.valueType ?? 0 },
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPoints: [{ startTime: hr(p.startTimeMs), endTime: hr(atMs), attributes, value }],
      }) as MetricData;
    return {
      resource: resourceFromAttributes({ "service.name": "otelcol-contrib", "service.instance.id": this.uid }),
      scopeMetrics: [
        {
          scope: { name: "go.opentelemetry.io/collector/service" },
          metrics: [
            sum(`otelcol_receiver_accepted_${item}`, { receiver: p.receiver, transport: "grpc" }),
            sum("otelcol_processor_incoming_items", { processor: p.processor, "otel.signal": p.signal }),
            sum("otelcol_processor_outgoing_items", { processor: p.processor, "otel.signal": p.signal }),
            sum(`otelcol_exporter_sent_${item}`, { exporter: p.exporter }),
            sum(`otelcol_exporter_send_failed_${item}`, { exporter: p.exporter }, 0),
          ],
        },
      ],
    };
  }

  /** One push of self-telemetry stamped `atMs` to the offered endpoint. */
  push(atMs: number): Promise<{ ok: boolean; error?: string }> {
    return pushOtlp(this.endpoint, this.authorization, this.metrics(atMs));
  }

  async close(): Promise<void> {
    const ws = this.socket;
    this.socket = null;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
    ws.close();
    const timer = setTimeout(() => ws.terminate(), 2_000);
    await closed;
    clearTimeout(timer);
  }
}

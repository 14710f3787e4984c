import { type Static, Type } from "@sinclair/typebox";
import { CollectorTypeSchema } from "./enroll.js";
import { AgentEventSchema } from "./events.js";

export const PROTOCOL_VERSION = 1;

const SignalSchema = Type.Union([
  Type.Literal("metrics"),
  Type.Literal("logs"),
  Type.Literal("traces"),
  Type.Literal("profiles"),
]);

export const ComponentGraphSchema = Type.Object({
  components: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal("source"), Type.Literal("processor"), Type.Literal("destination")]),
      type: Type.String(),
      signals: Type.Array(SignalSchema),
    }),
  ),
  edges: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), signal: Type.Optional(SignalSchema) })),
});

export const HostFactsSchema = Type.Object({
  hostname: Type.String(),
  os: Type.String(),
  arch: Type.String(),
  kernel: Type.String(),
});
export type HostFacts = Static<typeof HostFactsSchema>;

export const HostHealthSchema = Type.Object({
  cpuUtilization: Type.Number({ minimum: 0 }),
  memoryUsedBytes: Type.Number({ minimum: 0 }),
  memoryTotalBytes: Type.Number({ minimum: 0 }),
  uptimeSeconds: Type.Number({ minimum: 0 }),
  diskUsedBytes: Type.Number({ minimum: 0 }),
  diskTotalBytes: Type.Number({ minimum: 0 }),
});
export type HostHealth = Static<typeof HostHealthSchema>;

/** One counter the agent scraped from the collector's local /metrics (cumulative value + its scrape time). */
export const TelemetrySampleSchema = Type.Object({
  name: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  value: Type.Number(),
  timeMs: Type.Number(),
});

/** What the agent reports; each kind is delivered in order, at least once, deduplicated by `id`. */
export const AgentReportSchema = Type.Union([
  Type.Object({ kind: Type.Literal("event"), event: AgentEventSchema }),
  Type.Object({
    kind: Type.Literal("graph"),
    graph: ComponentGraphSchema,
    configPath: Type.String(),
    configSha256: Type.String(),
  }),
  Type.Object({ kind: Type.Literal("health"), health: HostHealthSchema }),
  Type.Object({ kind: Type.Literal("telemetry"), samples: Type.Array(TelemetrySampleSchema, { maxItems: 5000 }) }),
]);
export type AgentReport = Static<typeof AgentReportSchema>;

export const OutboxItemSchema = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
  timeMs: Type.Number(),
  report: AgentReportSchema,
});
export type OutboxItem = Static<typeof OutboxItemSchema>;

export const AgentToRelaySchema = Type.Union([
  Type.Object({
    type: Type.Literal("hello"),
    protocol: Type.Integer(),
    agentVersion: Type.String(),
    collectorType: CollectorTypeSchema,
    collectorVersion: Type.Optional(Type.String()),
    host: HostFactsSchema,
  }),
  Type.Object({ type: Type.Literal("heartbeat"), timeMs: Type.Number() }),
  Type.Object({ type: Type.Literal("outbox"), items: Type.Array(OutboxItemSchema, { maxItems: 500 }) }),
  Type.Object({
    type: Type.Literal("reply"),
    requestId: Type.String(),
    ok: Type.Boolean(),
    error: Type.Optional(Type.String()),
    body: Type.Unknown(),
  }),
]);
export type AgentToRelay = Static<typeof AgentToRelaySchema>;

export const RelayToAgentSchema = Type.Union([
  /** `ackedSeq`: the highest outbox seq the relay has stored for this collector; the agent resends after it. */
  Type.Object({
    type: Type.Literal("welcome"),
    protocol: Type.Integer(),
    collectorId: Type.String(),
    ackedSeq: Type.Integer(),
  }),
  Type.Object({ type: Type.Literal("ack"), seq: Type.Integer() }),
  Type.Object({
    type: Type.Literal("request"),
    requestId: Type.String(),
    action: Type.Union([Type.Literal("doctor"), Type.Literal("snapshot")]),
    params: Type.Record(Type.String(), Type.Unknown()),
  }),
  /** Sent before the relay closes the link on purpose: come back after `retryAfterMs` (plus jitter). */
  Type.Object({ type: Type.Literal("goaway"), reason: Type.String(), retryAfterMs: Type.Integer({ minimum: 0 }) }),
]);
export type RelayToAgent = Static<typeof RelayToAgentSchema>;

// The /api/v1/topology response shape: one TypeBox schema = the TS type, the OpenAPI document and the contract
// the UI reads.

import { type Static, Type } from "@sinclair/typebox";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const CollectorStateSchema = Type.Union([
  Type.Literal("healthy"),
  Type.Literal("degraded"),
  Type.Literal("no_telemetry"),
  Type.Literal("agent_offline"),
]);
export type CollectorState = Static<typeof CollectorStateSchema>;

/**
 * live: a fresh rate. waiting: data arrived but no second sample yet. stale: no fresh data (no push for 2 m).
 * no_data: the component is configured but nothing was ever counted for it.
 */
export const EdgeStateSchema = Type.Union([
  Type.Literal("live"),
  Type.Literal("waiting"),
  Type.Literal("stale"),
  Type.Literal("no_data"),
]);
export type EdgeState = Static<typeof EdgeStateSchema>;

export const SignalSchema = Type.Union([
  Type.Literal("metrics"),
  Type.Literal("logs"),
  Type.Literal("traces"),
  Type.Literal("profiles"),
]);

export const TopologyEdgeSchema = Type.Object({
  /** Component id (source edge) or collector id (destination edge). */
  from: Type.String(),
  to: Type.String(),
  signal: SignalSchema,
  /** Items per second; null until two samples at least 30 s apart exist. */
  ratePerSecond: Nullable(Type.Number()),
  /** Refused (source) or failed-to-send (destination) items per second; null when unknown. */
  failedPerSecond: Nullable(Type.Number()),
  state: EdgeStateSchema,
  /** Why the edge is not live, in words ("waiting for second sample", "no OTLP push for 2 m"); null when live. */
  reason: Nullable(Type.String()),
  updatedAt: Nullable(Type.String({ format: "date-time" })),
  /** Where the numbers come from: the collector's own OTLP push, or the agent's scrape (fallback). */
  via: Nullable(Type.Union([Type.Literal("otlp"), Type.Literal("agent")])),
});
export type TopologyEdge = Static<typeof TopologyEdgeSchema>;

export const TopologyComponentSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("source"), Type.Literal("processor"), Type.Literal("destination")]),
  type: Type.String(),
});
export type TopologyComponent = Static<typeof TopologyComponentSchema>;

export const TopologyCollectorSchema = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  type: Type.Union([Type.Literal("alloy"), Type.Literal("otelcol-contrib")]),
  version: Nullable(Type.String()),
  status: Type.Object({ state: CollectorStateSchema, reason: Type.String() }),
  lastPushAt: Nullable(Type.String({ format: "date-time" })),
  agentConnected: Type.Boolean(),
  /** Host and collector-process gauges by name (CPU, memory, uptime...), never throughput. */
  hostMetrics: Type.Record(Type.String(), Type.Number()),
  hostMetricsAt: Nullable(Type.String({ format: "date-time" })),
  /** `graph`: from the collector's config (agent or OpAMP); `series`: derived from the telemetry seen. */
  graphSource: Type.Union([Type.Literal("graph"), Type.Literal("series")]),
  components: Type.Array(TopologyComponentSchema),
  edges: Type.Array(TopologyEdgeSchema),
});
export type TopologyCollector = Static<typeof TopologyCollectorSchema>;

export const TopologySchema = Type.Object({
  collectors: Type.Array(TopologyCollectorSchema),
  /** Rate window the numbers use: `30s` is the latest interval; 1m/5m/1h average over that span when known. */
  window: Type.String(),
  generatedAt: Type.String({ format: "date-time" }),
});
export type Topology = Static<typeof TopologySchema>;

export const WINDOWS = { "30s": 0, "1m": 60_000, "5m": 300_000, "1h": 3_600_000 } as const;
export type RateWindow = keyof typeof WINDOWS;
export const TopologyQuerySchema = Type.Object({
  window: Type.Optional(Type.Union(Object.keys(WINDOWS).map((w) => Type.Literal(w)))),
});

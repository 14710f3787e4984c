import { type Static, Type } from "@sinclair/typebox";

/** Every kind of event a collector's Events tab can show. One list for agent and relay. */
export const EVENT_TYPES = [
  "registered",
  "own_metrics_offered",
  "auth_rejected",
  "component_naming_mismatch",
  "counter_reset",
  "agent_connected",
  "agent_disconnected",
  "deregistered",
  "bootstrap_drift",
  "bootstrap_written",
  "config_changed",
  "export_failure",
  "snapshot_stored",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventSeveritySchema = Type.Union([Type.Literal("info"), Type.Literal("warning"), Type.Literal("error")]);
export type EventSeverity = Static<typeof EventSeveritySchema>;

export const EventTypeSchema = Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)));

/** An event as raised by the agent (the relay adds collector id and receive time). */
export const AgentEventSchema = Type.Object({
  type: EventTypeSchema,
  severity: EventSeveritySchema,
  /** One sentence a person reads. */
  message: Type.String({ maxLength: 2000 }),
  /** Machine-readable detail (e.g. `{ reason: "unknown component", component: "..." }`). */
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AgentEvent = Static<typeof AgentEventSchema>;

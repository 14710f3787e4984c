// The agent's durable outbox: every report (events, graphs, health, telemetry) waits on disk until the relay
// acks its seq. Ordered, at least once (the relay dedups by seq and id), bounded with low-value samples dropped first.

export { Outbox, type OutboxOptions } from "./outbox.js";
export { type ReportKind, victimIndex } from "./policy.js";

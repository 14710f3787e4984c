// Relay replicas: the signals one replica sends the others (fleet changed, forget credentials, agent requests and
// replies, agent presence). In-process no-op for SQLite (one replica); PostgreSQL LISTEN/NOTIFY for several.

export { ClusterAgents, type ClusterAgentsOptions, type LocalAgents } from "./agents.js";
export { type Bus, LocalBus } from "./bus.js";
export { CHANNEL, PgBus, type PgBusOptions } from "./pg-bus.js";
export { type Envelope, MAX_PAYLOAD_BYTES, packSignals, parseEnvelope, type Signal } from "./signals.js";

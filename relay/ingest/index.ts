// Ingest: what an authenticated OTLP push or an agent report changes in the fleet (rates, ComponentThroughput
// rows, host metrics, counter resets, component-naming mismatches), and the topology built from it.

export { type AgentPresence, Fleet, type FleetOptions, ORPHAN_TTL_MS } from "./fleet.js";
export { SeriesHistory } from "./history.js";
export { type ClassifiedPush, classifyPoints, type RawPoint, SeriesCache } from "./points.js";

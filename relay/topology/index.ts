// The fleet topology the canvas draws: collectors, their components and edges with rates, and their status.
// Pure functions over records and throughput rows; the response schema lives here too.

export {
  buildCollectorTopology,
  type CollectorInput,
  deriveComponents,
  graphIdsOf,
  STALE_AFTER_MS,
  type ThroughputView,
} from "./build.js";
export * from "./schema.js";
export { type CollectorStatusInput, collectorStatus } from "./status.js";

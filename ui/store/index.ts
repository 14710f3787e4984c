// The UI's single door to the relay: fetch + live stream, validated answers, state for the components.
// Components never call fetch themselves; they read RelayStore.state and call its methods.
export {
  ApiShapeError,
  parseCollectors,
  parseDoctor,
  parseEvents,
  parseSnapshots,
  parseTokens,
  parseTopology,
  topologyFromStreamMessage,
} from "./parse.js";
export type { LiveState, SessionState, StoreOptions, StoreState } from "./store.js";
export { API, CSRF_HEADER, messageOf, RelayError, RelayStore } from "./store.js";
export type {
  ActionState,
  CollectorDiagnostics,
  CollectorEvent,
  CollectorSummary,
  DoctorCheck,
  DoctorRecord,
  DoctorVerdictView,
  MintedToken,
  MintRequest,
  RateWindow,
  SnapshotSummary,
  TokenSummary,
  Topology,
  TopologyCollector,
  TopologyComponent,
  TopologyEdge,
} from "./types.js";
export { RATE_WINDOWS } from "./types.js";

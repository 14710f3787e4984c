// linkmesh-relay: the centre of LinkMesh. Enrolls collectors, authenticates OTLP pushes and agent links,
// computes per-component rates, keeps the fleet state and serves the UI.

export type { RelayConfig } from "./config/index.js";
export { resolveRelayConfig } from "./config/index.js";
export type { Relay, RelayOptions } from "./server/index.js";
export { buildRelay } from "./server/index.js";

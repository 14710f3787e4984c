// Diagnostics on the relay: the collector view an agent's doctor asks for (GET /v1/agent/self), remote doctor runs
// and support snapshots pulled over the agent link, stored and offered to operators. view.ts is pure.

export { type DiagnosticsDeps, diagnosticsRoutes } from "./routes.js";
export { buildSelfView, currentMismatches } from "./view.js";

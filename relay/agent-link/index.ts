// The relay side of the agent WebSocket (/v1/agent): authenticated by the agent token, stores the agent's
// durable outbox in order (acked by seq), tracks which agents are live and sends them doctor/snapshot requests.

export { AgentRequestError, type AgentRequestErrorReason } from "./errors.js";
export { type AgentAction, AgentHub, type AgentHubOptions } from "./hub.js";
export type { AgentReportSink, LinkState, TelemetrySamples } from "./link.js";
export { type AgentLinkDeps, agentLinkRoutes } from "./route.js";

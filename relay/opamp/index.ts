// OpAMP server for otelcol-contrib (supervisor or opamp extension): enrollment over OpAMP, the one-time own_metrics
// offer, agent description/health/effective config into the collector record. Remote config is not offered.

export { describeAgent, INSTANCE_UID_LABEL } from "./describe.js";
export { graphFromEffectiveConfig } from "./effective-config.js";
export { frameWsMessage, unframeWsMessage } from "./framing.js";
export type { AgentToServer, ServerToAgent } from "./messages.js";
export { decodeAgentToServer, encodeServerToAgent, OpampDecodeError } from "./messages.js";
export { ownMetricsOffer } from "./offer.js";
export { AgentCapability, AgentToServerType, ServerCapability, ServerToAgentType } from "./proto.js";
export type { OpampDeps } from "./route.js";
export { OPAMP_PATH, opampRoutes } from "./route.js";
export type { GraphSink } from "./server.js";
export { OpampServer } from "./server.js";

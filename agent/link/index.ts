// The agent's link to the relay: one WebSocket, an explicit connecting -> hello -> live -> backoff machine,
// delivering the durable outbox in order and answering relay requests. state.ts is pure; client.ts does the I/O.

export { agentLinkUrl, LinkClient, type LinkClientOptions, type RequestAction, type RequestHandler } from "./client.js";
export {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  type LinkEvent,
  type LinkState,
  linkTransition,
  reconnectDelay,
} from "./state.js";

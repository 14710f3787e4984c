// The agent <-> relay wire protocol, defined once: enrollment over HTTP and the agent WebSocket messages.
// Every message has a TypeBox schema (runtime validation + JSON Schema for Fastify) and a matching TS type.

export * from "./diagnostics.js";
export * from "./enroll.js";
export * from "./events.js";
export * from "./messages.js";
export * from "./tokens.js";
export * from "./validate.js";

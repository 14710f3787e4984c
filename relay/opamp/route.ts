import type {} from "@fastify/websocket";
// `/v1/opamp` on both OpAMP transports: WebSocket (GET + upgrade, framed binary messages) and plain HTTP POST.
// Authentication happens before the upgrade or per request; every message goes through OpampServer.

import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { bearerFrom } from "../auth/index.js";
import type { Store } from "../store/index.js";
import { frameWsMessage, unframeWsMessage } from "./framing.js";
import { decodeAgentToServer, encodeServerToAgent, OpampDecodeError } from "./messages.js";
import { type AuthResult, badRequest, type GraphSink, type OpampAuth, OpampServer, unavailable } from "./server.js";

export const OPAMP_PATH = "/v1/opamp";
const PROTOBUF = "application/x-protobuf";
const gunzipAsync = promisify(gunzip);
/** RFC 6455 1008: policy violation (used for auth failures after the upgrade); 1009: message too big. */
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

export interface OpampDeps {
  store: Store;
  publicUrl: () => string;
  now: () => number;
  /** Receives each newly reported effective-config graph (e.g. the fleet); default: written to the store. */
  onGraph?: GraphSink;
  /** Largest accepted AgentToServer (after gunzip for HTTP). */
  maxMessageBytes?: number;
}

declare module "fastify" {
  interface FastifyRequest {
    opampAuth?: OpampAuth;
  }
}

const ZERO_UID = new Uint8Array(16);

export async function opampRoutes(app: FastifyInstance, deps: OpampDeps): Promise<OpampServer> {
  const maxBytes = deps.maxMessageBytes ?? 4 * 1024 * 1024;
  const server = new OpampServer({
    store: deps.store,
    publicUrl: deps.publicUrl,
    now: deps.now,
    log: { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
    ...(deps.onGraph ? { onGraph: deps.onGraph } : {}),
  });

  app.addContentTypeParser(PROTOBUF, { parseAs: "buffer", bodyLimit: maxBytes }, (_req, body, done) =>
    done(null, body),
  );

  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const result: AuthResult = await server.authenticate(bearerFrom(request.headers.authorization));
    if (!result.ok) {
      request.log.warn({ remote: request.ip }, `opamp.auth: rejected reason=${result.reason}`);
      return reply.code(401).type("application/json").send({ error: result.reason, message: result.message });
    }
    request.opampAuth = result.auth;
  };

  app.post(
    OPAMP_PATH,
    {
      preValidation: authenticate,
      config: { access: "opamp", summary: "OpAMP over plain HTTP (protobuf AgentToServer -> ServerToAgent)" },
    },
    async (request, reply) => {
      const auth = request.opampAuth;
      if (!auth) return reply.code(401).send();
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (contentType !== PROTOBUF) {
        return reply.code(415).send({ error: "unsupported_media_type", message: `OpAMP over HTTP is ${PROTOBUF}` });
      }
      let body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
      const encoding = (request.headers["content-encoding"] ?? "identity").toLowerCase();
      if (encoding === "gzip") {
        try {
          body = await gunzipAsync(body, { maxOutputLength: maxBytes });
        } catch {
          return reply
            .code(400)
            .send({ error: "bad_gzip", message: "Content-Encoding is gzip but the body does not inflate" });
        }
      } else if (encoding !== "identity") {
        return reply
          .code(415)
          .send({ error: "unsupported_encoding", message: "Content-Encoding must be gzip or identity" });
      }
      let message: ReturnType<typeof decodeAgentToServer>;
      try {
        message = decodeAgentToServer(body);
      } catch (error) {
        if (!(error instanceof OpampDecodeError)) throw error;
        request.log.warn({ remote: request.ip }, `opamp.decode: ${error.reason}`);
        return reply
          .code(200)
          .type(PROTOBUF)
          .send(Buffer.from(encodeServerToAgent(badRequest(ZERO_UID, error.message))));
      }
      const result = await server.handle(auth, message, null);
      if (!result.ok) {
        request.log.warn({ remote: request.ip }, `opamp.auth: rejected reason=${result.reason}`);
        return reply.code(401).type("application/json").send({ error: result.reason, message: result.message });
      }
      return reply
        .code(200)
        .type(PROTOBUF)
        .send(Buffer.from(encodeServerToAgent(result.reply)));
    },
  );

  app.get(
    OPAMP_PATH,
    {
      websocket: true,
      preValidation: authenticate,
      config: { access: "opamp", summary: "OpAMP over WebSocket (0x00 header + protobuf frames)" },
    },
    (socket: WebSocket, request) => {
      const auth = request.opampAuth;
      if (!auth) {
        socket.close(CLOSE_POLICY, "unauthenticated");
        return;
      }
      const connection = Symbol(`opamp:${request.ip}`);
      // Messages of one connection are handled in order: sequence numbers and the first-report rule depend on it.
      let queue: Promise<void> = Promise.resolve();
      socket.on("message", (data, isBinary) => {
        queue = queue
          .then(() => onMessage(data, isBinary))
          .catch((error: unknown) => {
            request.log.error({ err: error }, "opamp.ws: message handling failed");
          });
      });
      socket.on("close", () => server.connectionClosed(connection));

      const onMessage = async (data: unknown, isBinary: boolean) => {
        const bytes = toBuffer(data);
        if (bytes.length > maxBytes) {
          socket.close(CLOSE_TOO_BIG, "message too big");
          return;
        }
        let message: ReturnType<typeof decodeAgentToServer>;
        try {
          if (!isBinary) throw new OpampDecodeError("bad_frame", "OpAMP WebSocket messages are binary");
          message = decodeAgentToServer(unframeWsMessage(bytes));
        } catch (error) {
          if (!(error instanceof OpampDecodeError)) throw error;
          request.log.warn({ remote: request.ip }, `opamp.decode: ${error.reason}`);
          send(socket, badRequest(ZERO_UID, error.message));
          return;
        }
        let result: Awaited<ReturnType<OpampServer["handle"]>>;
        try {
          result = await server.handle(auth, message, connection);
        } catch (error) {
          // The agent backs off and resends; the socket stays up.
          request.log.error({ err: error }, "opamp.ws: handling failed");
          send(socket, unavailable(message.instanceUid));
          return;
        }
        if (!result.ok) {
          request.log.warn({ remote: request.ip }, `opamp.auth: rejected reason=${result.reason}`);
          socket.close(CLOSE_POLICY, result.reason);
          return;
        }
        send(socket, result.reply);
        if (message.disconnect) socket.close(1000, "agent disconnected");
      };
    },
  );

  return server;
}

function send(socket: WebSocket, reply: Parameters<typeof encodeServerToAgent>[0]): void {
  if (socket.readyState === socket.OPEN) socket.send(frameWsMessage(encodeServerToAgent(reply)), { binary: true });
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (Array.isArray(data)) return Buffer.concat(data.filter((d): d is Buffer => Buffer.isBuffer(d)));
  return Buffer.alloc(0);
}

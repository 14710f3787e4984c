import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AGENT_LINK_PATH } from "../../common/protocol/index.js";
import { bearerFrom, verifyCredential } from "../auth/index.js";
import type { Store } from "../store/index.js";
import type { AgentHub } from "./hub.js";

export interface AgentLinkDeps {
  store: Store;
  hub: AgentHub;
  now: () => number;
}

/** GET /v1/agent (WebSocket upgrade), authenticated by the agent token before the upgrade. */
export async function agentLinkRoutes(app: FastifyInstance, deps: AgentLinkDeps): Promise<void> {
  const authenticated = new WeakMap<FastifyRequest["raw"], string>();

  app.get(
    AGENT_LINK_PATH,
    {
      websocket: true,
      config: { access: "agent" },
      onRequest: async (request, reply) => {
        const check = await verifyCredential(
          deps.store,
          bearerFrom(request.headers.authorization),
          "agent",
          deps.now(),
        );
        if (!check.ok) {
          request.log.warn({ remote: request.ip }, `agent.auth: rejected reason=${check.reason}`);
          return reply.code(401).send({
            error: check.reason,
            message: "the agent token is missing, malformed, unknown, revoked or expired; re-run linkmesh-agent enroll",
          });
        }
        const collector = await deps.store.getCollector(check.credential.collectorId);
        if (!collector) {
          request.log.warn({ remote: request.ip }, "agent.dispatch: unknown collectorId");
          return reply
            .code(401)
            .send({ error: "unknown_collector", message: "this collector was deregistered; re-enrol to recreate it" });
        }
        authenticated.set(request.raw, collector.id);
      },
    },
    (socket, request) => {
      const collectorId = authenticated.get(request.raw);
      if (collectorId === undefined) {
        socket.close(1008, "unauthenticated");
        return;
      }
      const link = deps.hub.attach(collectorId, socket);
      socket.on("message", (data, isBinary) => {
        if (isBinary) {
          link.close(1003, "text frames only");
          return;
        }
        void link.receive(data.toString()).catch((error: unknown) => {
          request.log.error({ err: error }, `agent.link: collector=${collectorId} failed to handle a message`);
        });
      });
      socket.on("close", (code) => {
        void deps.hub.detach(link, `socket closed (${code})`);
      });
    },
  );
}

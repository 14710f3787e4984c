// The operator API under /api/v1: the fleet (collectors), their events, deregistration.
// Every route here requires the operator (bearer secret or session cookie).

import type { FastifyInstance } from "fastify";
import type { OperatorCheck } from "../auth/index.js";
import type { CollectorRecord, Store } from "../store/index.js";

export interface ApiDeps {
  store: Store;
  operator: OperatorCheck;
  now: () => number;
}

export function collectorView(c: CollectorRecord) {
  return {
    id: c.id,
    hostname: c.hostname,
    type: c.type,
    version: c.version,
    labels: c.labels,
    enrolledAt: new Date(c.enrolledAt).toISOString(),
    lastPushAt: c.lastPushAt === null ? null : new Date(c.lastPushAt).toISOString(),
    lastRejection: c.lastRejection,
    hostMetrics: c.hostMetrics,
  };
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store, operator, now } = deps;

  app.get("/api/v1/collectors", { preHandler: operator }, async () => ({
    collectors: (await store.listCollectors()).map(collectorView),
  }));

  app.get<{ Params: { id: string } }>("/api/v1/collectors/:id", { preHandler: operator }, async (request, reply) => {
    const collector = await store.getCollector(request.params.id);
    if (!collector) return reply.code(404).send({ error: "not_found", message: "no collector with that id" });
    return collectorView(collector);
  });

  app.delete<{ Params: { id: string } }>("/api/v1/collectors/:id", { preHandler: operator }, async (request, reply) => {
    const collector = await store.getCollector(request.params.id);
    if (!collector) return reply.code(404).send({ error: "not_found", message: "no collector with that id" });
    const at = now();
    await store.deregisterCollector(collector.id, at);
    await store.addEvent({
      collectorId: collector.id,
      type: "deregistered",
      severity: "warning",
      message: `${collector.hostname} deregistered; its tokens are revoked`,
      detail: { hostname: collector.hostname },
      time: at,
    });
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(
    "/api/v1/collectors/:id/events",
    { preHandler: operator },
    async (request) => {
      const limit = Math.min(Math.max(Number(request.query.limit ?? 200) || 200, 1), 1000);
      const events = await store.listEvents(request.params.id, { limit });
      return { events: events.map((e) => ({ ...e, time: new Date(e.time).toISOString() })) };
    },
  );
}

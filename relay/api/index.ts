// The operator API under /api/v1: the fleet (collectors), their events, deregistration.
// Every route here requires the operator (bearer secret or session cookie).

import type { FastifyInstance } from "fastify";
import type { OperatorCheck } from "../auth/index.js";
import type { CollectorRecord, Store } from "../store/index.js";
import { type RateWindow, type Topology, TopologyQuerySchema, TopologySchema } from "../topology/index.js";

export interface ApiDeps {
  store: Store;
  operator: OperatorCheck;
  now: () => number;
  topology: (window: RateWindow) => Promise<Topology>;
  /** Overlays state not yet written behind (last push, host metrics). */
  withLiveState?: (record: CollectorRecord) => CollectorRecord;
  /** Told after a collector is deregistered (drop its live state and cached credentials). */
  onDeregistered?: (collectorId: string) => void;
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
  const live = deps.withLiveState ?? ((record: CollectorRecord) => record);

  app.get<{ Querystring: { window?: RateWindow } }>(
    "/api/v1/topology",
    {
      preHandler: operator,
      config: { access: "operator", summary: "Every collector with its components, edges (with rates) and status" },
      schema: {
        querystring: TopologyQuerySchema,
        response: { 200: TopologySchema },
      },
    },
    async (request) => deps.topology(request.query.window ?? "30s"),
  );

  app.get("/api/v1/collectors", { preHandler: operator, config: { access: "operator" } }, async () => ({
    collectors: (await store.listCollectors()).map((c) => collectorView(live(c))),
  }));

  app.get<{ Params: { id: string } }>(
    "/api/v1/collectors/:id",
    { preHandler: operator, config: { access: "operator" } },
    async (request, reply) => {
      const collector = await store.getCollector(request.params.id);
      if (!collector) return reply.code(404).send({ error: "not_found", message: "no collector with that id" });
      return collectorView(collector);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/collectors/:id",
    { preHandler: operator, config: { access: "operator" } },
    async (request, reply) => {
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
      deps.onDeregistered?.(collector.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(
    "/api/v1/collectors/:id/events",
    { preHandler: operator, config: { access: "operator" } },
    async (request) => {
      const limit = Math.min(Math.max(Number(request.query.limit ?? 200) || 200, 1), 1000);
      const events = await store.listEvents(request.params.id, { limit });
      return { events: events.map((e) => ({ ...e, time: new Date(e.time).toISOString() })) };
    },
  );
}

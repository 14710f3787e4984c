// Assembles the relay: one Fastify instance, each concern registered as a plugin in one place.
// `buildRelay` is what tests and `linkmesh-relay` both call.

import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { AgentHub, agentLinkRoutes } from "../agent-link/index.js";
import { apiRoutes } from "../api/index.js";
import {
  AuthFailureLimiter,
  ensureOperatorSecret,
  guardAuthFailures,
  requireOperator,
  sessionRoutes,
} from "../auth/index.js";
import { type Bus, ClusterAgents, LocalBus, PgBus } from "../cluster/index.js";
import { defaultPublicUrl, type RelayConfig } from "../config/index.js";
import { diagnosticsRoutes } from "../diagnostics/index.js";
import { enrollRoutes } from "../enroll/index.js";
import { Fleet } from "../ingest/index.js";
import { installPaths, installRoutes } from "../install/index.js";
import { LIVE_BATCH_MS, liveRoutes, TopologyBroadcaster } from "../live/index.js";
import { opampRoutes } from "../opamp/index.js";
import { openApiRoutes, RouteCatalog } from "../openapi/index.js";
import { CredentialCache, otlpRoutes } from "../otlp/index.js";
import { openStore, PostgresStore, type Store } from "../store/index.js";
import type { RateWindow } from "../topology/index.js";
import { uiRoutes } from "../ui-static/index.js";

const RELAY_VERSION = "0.1.0";

export interface Relay {
  app: FastifyInstance;
  store: Store;
  /** Live agent links: `agents.request(collectorId, "doctor")` etc. */
  agents: AgentHub;
  /** Live fleet state: rates, throughput rows, topology. */
  fleet: Fleet;
  /** Every registered route with its schema and declared access (the OpenAPI source). */
  routes: RouteCatalog;
  /** Set on the first start without LINKMESH_ADMIN_TOKEN: print it once, it is never shown again. */
  generatedOperatorSecret: string | null;
  /** Listens on the configured address; returns the bound base URL (the public URL defaults to it). */
  listen(): Promise<string>;
  publicUrl(): string;
  close(): Promise<void>;
}

export interface RelayOptions {
  now?: () => number;
  logger?: boolean;
  /** Agent links silent for this long are closed (default 90 s). */
  agentHeartbeatTimeoutMs?: number;
  /** Failed authentications per source address per minute before it gets 429 (default 30). */
  maxAuthFailuresPerMinute?: number;
  /** Live stream batching (default LIVE_BATCH_MS). */
  liveBatchMs?: number;
}

export async function buildRelay(config: RelayConfig, options: RelayOptions = {}): Promise<Relay> {
  const now = options.now ?? Date.now;
  const store = await openStore(config.dbUrl);
  const { generated } = await ensureOperatorSecret(store, config.adminToken);
  const app = Fastify({
    logger: options.logger === false ? false : { level: "info", redact: ["req.headers.authorization"] },
    bodyLimit: 1024 * 1024,
    // Per-request access logs would dominate ingest cost; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
  });
  // Records every route (schema + declared access) for the OpenAPI document; must precede all routes.
  const catalog = new RouteCatalog();
  catalog.attach(app);
  let publicUrl = config.publicUrl ?? defaultPublicUrl(config.host, config.port);
  const operator = requireOperator(store, config.adminToken, now);
  const limiter = new AuthFailureLimiter({
    maxFailures: options.maxAuthFailuresPerMinute ?? 30,
    windowMs: 60_000,
    now,
  });
  guardAuthFailures(app, limiter);

  // Replicas on PostgreSQL tell each other what changed; a SQLite relay is the only one and tells nobody.
  const bus: Bus =
    store instanceof PostgresStore
      ? await PgBus.start(store, { onError: (error) => app.log.warn({ err: error }, "cluster: signal failed") })
      : new LocalBus();
  const fleet = await Fleet.open({
    store,
    now,
    onError: (error) => app.log.error({ err: error }, "ingest: write-behind to the store failed"),
    sharedRates: bus instanceof PgBus,
    onFlushed: (collectorIds) => bus.publish({ kind: "fleet", collectorIds }),
  });
  const credentials = new CredentialCache(store);
  const agents = new AgentHub({
    store,
    sink: {
      graph: async (collector, graph, at) => {
        await fleet.graph(collector, graph, at);
        forgetCredentials(collector.id, false);
      },
      health: (collector, health, at) => fleet.health(collector, health, at),
      telemetry: (collector, samples, at) => fleet.telemetry(collector, samples, at),
    },
    now,
    log: { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
    ...(options.agentHeartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs: options.agentHeartbeatTimeoutMs }),
    onChange: (collectorId) => {
      broadcaster.changed();
      void cluster
        .linkChanged(collectorId)
        .catch((error: unknown) => app.log.warn({ err: error }, "cluster: presence"));
    },
  });
  // Agent links wherever they are: a request for an agent held by another replica is forwarded there.
  const cluster = new ClusterAgents(agents, bus);
  const forgetCredentials = (collectorId: string, deregistered: boolean) => {
    credentials.forgetCollector(collectorId);
    bus.publish({ kind: "forget", collectorId, deregistered });
  };
  const topology = (window: RateWindow) => fleet.topology(window, cluster);
  const broadcaster = new TopologyBroadcaster(topology, options.liveBatchMs ?? LIVE_BATCH_MS, (error) =>
    app.log.error({ err: error }, "live: building the topology failed"),
  );
  fleet.onChange((collectorId) => {
    broadcaster.changed();
    bus.publish({ kind: "fleet", collectorIds: [collectorId] });
  });
  const stale = new Set<string>();
  let refreshing: NodeJS.Timeout | null = null;
  bus.subscribe((signal) => {
    if (signal.kind === "forget") {
      credentials.forgetCollector(signal.collectorId);
      broadcaster.changed();
    }
    if (signal.kind !== "fleet" && signal.kind !== "resync") return;
    if (signal.kind === "fleet") for (const id of signal.collectorIds) stale.add(id);
    else
      void store.listCollectors().then((all) => {
        for (const c of all) stale.add(c.id);
      });
    // Another replica ingested: reload those rows (batched), then the live stream here updates too.
    refreshing ??= setTimeout(() => {
      refreshing = null;
      const ids = [...stale];
      stale.clear();
      void fleet
        .refresh(ids)
        .then(() => broadcaster.changed())
        .catch((error: unknown) => app.log.warn({ err: error }, "cluster: reloading rows failed"));
    }, 250);
  });
  const sweeper = setInterval(() => void fleet.sweep().catch(() => undefined), 60_000);
  sweeper.unref();

  // One WebSocket plugin for the whole relay: the agent link and OpAMP share the server's upgrade handling.
  await app.register(websocket, { options: { maxPayload: 16 * 1024 * 1024 } });
  app.get("/healthz", { config: { access: "public" } }, async () => ({ status: "ok" }));
  await app.register(async (scope) => openApiRoutes(scope, { catalog, version: RELAY_VERSION }));
  await app.register(async (scope) =>
    sessionRoutes(scope, {
      store,
      envSecret: config.adminToken,
      now,
      secureCookies: () => publicUrl.startsWith("https:"),
    }),
  );
  await app.register(async (scope) => agentLinkRoutes(scope, { store, hub: agents, now }));
  await app.register(async (scope) => otlpRoutes(scope, { store, sink: fleet, credentials, now }));
  await app.register(async (scope) => enrollRoutes(scope, { store, operator, publicUrl: () => publicUrl, now }));
  await app.register(async (scope) =>
    opampRoutes(scope, {
      store,
      publicUrl: () => publicUrl,
      now,
      onGraph: async (collector, graph, at) => {
        await fleet.graph(collector, graph, at);
        forgetCredentials(collector.id, false);
      },
    }),
  );
  await app.register(async (scope) =>
    apiRoutes(scope, {
      store,
      operator,
      now,
      topology,
      withLiveState: (record) => fleet.withLiveState(record),
      onDeregistered: (id) => {
        fleet.forget(id);
        forgetCredentials(id, true);
      },
    }),
  );
  await app.register(async (scope) => diagnosticsRoutes(scope, { store, operator, now, agents: cluster, fleet }));
  await app.register(async (scope) => liveRoutes(scope, { operator, broadcaster, build: topology }));
  await app.register(async (scope) =>
    installRoutes(scope, { publicUrl: () => publicUrl, ...installPaths(config.uiDir, process.env) }),
  );
  await app.register(async (scope) => uiRoutes(scope, { uiDir: config.uiDir }));

  return {
    app,
    store,
    agents,
    fleet,
    routes: catalog,
    generatedOperatorSecret: generated,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      const bound = defaultPublicUrl(config.host, port);
      if (config.publicUrl === null) publicUrl = bound;
      return bound;
    },
    publicUrl: () => publicUrl,
    async close() {
      clearInterval(sweeper);
      if (refreshing) clearTimeout(refreshing);
      broadcaster.close();
      await agents.shutdown();
      await app.close();
      await fleet.close();
      await bus.close();
      await store.close();
    },
  };
}

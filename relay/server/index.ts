// Assembles the relay: one Fastify instance, each concern registered as a plugin in one place.
// `buildRelay` is what tests and `linkmesh-relay` both call.

import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import { AgentHub, type AgentReportSink, agentLinkRoutes } from "../agent-link/index.js";
import { apiRoutes } from "../api/index.js";
import {
  AuthFailureLimiter,
  ensureOperatorSecret,
  guardAuthFailures,
  requireOperator,
  sessionRoutes,
} from "../auth/index.js";
import { defaultPublicUrl, type RelayConfig } from "../config/index.js";
import { enrollRoutes } from "../enroll/index.js";
import { installPaths, installRoutes } from "../install/index.js";
import { opampRoutes } from "../opamp/index.js";
import { type OtlpSink, otlpRoutes } from "../otlp/index.js";
import { openStore, type Store } from "../store/index.js";
import { uiRoutes } from "../ui-static/index.js";

export interface Relay {
  app: FastifyInstance;
  store: Store;
  /** Live agent links: `agents.request(collectorId, "doctor")` etc. */
  agents: AgentHub;
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
}

export async function buildRelay(config: RelayConfig, options: RelayOptions = {}): Promise<Relay> {
  const now = options.now ?? Date.now;
  const store = await openStore(config.dbUrl);
  const { generated } = await ensureOperatorSecret(store, config.adminToken);
  const app = Fastify({
    logger: options.logger === false ? false : { level: "info", redact: ["req.headers.authorization"] },
    bodyLimit: 1024 * 1024,
    // Per-request access logs would dominate ingest cost; failures are logged where they happen.
    disableRequestLogging: true,
    trustProxy: false,
  });
  let publicUrl = config.publicUrl ?? defaultPublicUrl(config.host, config.port);
  const operator = requireOperator(store, config.adminToken, now);
  const limiter = new AuthFailureLimiter({
    maxFailures: options.maxAuthFailuresPerMinute ?? 30,
    windowMs: 60_000,
    now,
  });
  guardAuthFailures(app, limiter);

  // Until the rate engine lands, a push only proves the collector is alive.
  const sink: OtlpSink = {
    async ingest(collector, _points, receivedAt) {
      await store.updateCollector(collector.id, { lastPushAt: receivedAt });
    },
  };

  const agentSink: AgentReportSink = {
    async graph(collector, graph) {
      await store.updateCollector(collector.id, { graph });
    },
    async health(collector, health, at) {
      await store.updateCollector(collector.id, { hostMetrics: { ...health }, hostMetricsAt: at });
    },
    async telemetry() {},
  };
  const agents = new AgentHub({
    store,
    sink: agentSink,
    now,
    log: { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
    ...(options.agentHeartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs: options.agentHeartbeatTimeoutMs }),
  });

  // One WebSocket plugin for the whole relay: the agent link and OpAMP share the server's upgrade handling.
  await app.register(websocket, { options: { maxPayload: 16 * 1024 * 1024 } });
  app.get("/healthz", { config: { access: "public" } }, async () => ({ status: "ok" }));
  await app.register(async (scope) =>
    sessionRoutes(scope, {
      store,
      envSecret: config.adminToken,
      now,
      secureCookies: () => publicUrl.startsWith("https:"),
    }),
  );
  await app.register(async (scope) => agentLinkRoutes(scope, { store, hub: agents, now }));
  await app.register(async (scope) => otlpRoutes(scope, { store, sink, now }));
  await app.register(async (scope) => enrollRoutes(scope, { store, operator, publicUrl: () => publicUrl, now }));
  await app.register(async (scope) => opampRoutes(scope, { store, publicUrl: () => publicUrl, now }));
  await app.register(async (scope) => apiRoutes(scope, { store, operator, now }));
  await app.register(async (scope) =>
    installRoutes(scope, { publicUrl: () => publicUrl, ...installPaths(config.uiDir, process.env) }),
  );
  await app.register(async (scope) => uiRoutes(scope, { uiDir: config.uiDir }));

  return {
    app,
    store,
    agents,
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
      await agents.shutdown();
      await app.close();
      await store.close();
    },
  };
}

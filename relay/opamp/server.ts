// The OpAMP server core shared by both transports: authenticates, enrolls new instances, keeps per-instance
// sequence state in memory, stores what the agent reports and decides each ServerToAgent reply.

import { randomBytes, randomUUID } from "node:crypto";
import type { ComponentGraph } from "../../common/model/index.js";
import { mintCollectorCredentials, parseToken, secretMatches, verifyCredential } from "../auth/index.js";
import type { CollectorRecord, EventRecord, Store } from "../store/index.js";
import { describeAgent, HEALTH_LABEL, INSTANCE_UID_LABEL, STATUS_LABEL } from "./describe.js";
import { graphFromEffectiveConfig } from "./effective-config.js";
import type { AgentToServer, ServerToAgent } from "./messages.js";
import { ownMetricsOffer } from "./offer.js";
import { AgentCapability, ServerCapability, ServerErrorResponseType, ServerToAgentFlag } from "./proto.js";
import { needsFullState } from "./sequence.js";

export const SERVER_CAPABILITIES =
  ServerCapability.AcceptsStatus | ServerCapability.AcceptsEffectiveConfig | ServerCapability.OffersConnectionSettings;

/** Who the bearer of a connection is: an enrollment token holder (may enroll) or one collector. */
export type OpampAuth =
  | { kind: "enrollment"; tokenId: string }
  | { kind: "collector"; collectorId: string; token: string };

export type OpampRejectReason =
  | "missing_or_malformed_bearer"
  | "token_unknown_or_revoked_or_expired"
  | "enrollment_refused"
  | "unknown_collector";

export type AuthResult = { ok: true; auth: OpampAuth } | { ok: false; reason: OpampRejectReason; message: string };

export type HandleResult =
  | { ok: true; reply: ServerToAgent }
  | { ok: false; reason: OpampRejectReason; message: string };

export interface OpampLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Where a newly reported graph goes (the fleet's topology); by default it is only written to the store. */
export type GraphSink = (collector: CollectorRecord, graph: ComponentGraph, at: number) => Promise<void>;

export interface OpampServerDeps {
  store: Store;
  publicUrl: () => string;
  now: () => number;
  log: OpampLog;
  onGraph?: GraphSink;
}

/** What the relay remembers about one instance uid between messages (lost on restart; the protocol recovers). */
interface Instance {
  collectorId: string;
  lastSeq: bigint | null;
  /** The WebSocket connection that owns this uid; `null` for plain HTTP or after disconnect. */
  connection: symbol | null;
  offerNeeded: boolean;
  /** A collector token minted at enrollment, kept until the offer that carries it is sent. */
  pendingToken: string | null;
}

const AUTH_MESSAGE = "the bearer must be a LinkMesh enrollment token (lme_...) or collector token (lmc_...)";

export class OpampServer {
  private readonly instances = new Map<string, Instance>();

  constructor(private readonly deps: OpampServerDeps) {}

  /** Checks the connection's bearer; the instance it may speak for is decided per message. */
  async authenticate(bearer: string | null): Promise<AuthResult> {
    const parsed = bearer ? parseToken(bearer) : null;
    if (!bearer || !parsed) return { ok: false, reason: "missing_or_malformed_bearer", message: AUTH_MESSAGE };
    if (parsed.kind === "collector") {
      const check = await verifyCredential(this.deps.store, bearer, "collector", this.deps.now());
      if (!check.ok) return { ok: false, reason: check.reason, message: "the collector token is unknown or revoked" };
      return { ok: true, auth: { kind: "collector", collectorId: check.credential.collectorId, token: bearer } };
    }
    if (parsed.kind === "enrollment") {
      const token = await this.deps.store.getEnrollmentToken(parsed.id);
      if (!token || token.revokedAt !== null || !secretMatches(parsed.secret, token.secretHash)) {
        return {
          ok: false,
          reason: "token_unknown_or_revoked_or_expired",
          message: "unknown or revoked enrollment token",
        };
      }
      return { ok: true, auth: { kind: "enrollment", tokenId: token.id } };
    }
    return { ok: false, reason: "missing_or_malformed_bearer", message: AUTH_MESSAGE };
  }

  /** Handles one AgentToServer; `connection` identifies a WebSocket (null for plain HTTP). */
  async handle(auth: OpampAuth, message: AgentToServer, connection: symbol | null): Promise<HandleResult> {
    const existing = this.instances.get(message.uid);
    if (
      connection !== null &&
      existing?.connection != null &&
      existing.connection !== connection &&
      !message.disconnect
    ) {
      // Two live connections claim one uid (a cloned VM): the newcomer gets a fresh uid and reports again.
      const newInstanceUid = new Uint8Array(randomBytes(16));
      newInstanceUid[6] = ((newInstanceUid[6] ?? 0) & 0x0f) | 0x40;
      newInstanceUid[8] = ((newInstanceUid[8] ?? 0) & 0x3f) | 0x80;
      this.deps.log.warn(`opamp.duplicate: instance uid ${message.uid} already connected; assigning a new one`);
      return {
        ok: true,
        reply: {
          instanceUid: message.instanceUid,
          capabilities: SERVER_CAPABILITIES,
          flags: ServerToAgentFlag.ReportFullState,
          newInstanceUid,
        },
      };
    }

    const resolved = await this.resolve(auth, message, existing);
    if (!resolved.ok) return resolved;
    if (resolved.instance === null) {
      // Unknown instance without a description: nothing to enroll it as yet; ask for everything.
      return {
        ok: true,
        reply: {
          instanceUid: message.instanceUid,
          capabilities: SERVER_CAPABILITIES,
          flags: ServerToAgentFlag.ReportFullState,
        },
      };
    }
    const instance = resolved.instance;
    const fullState = needsFullState(instance.lastSeq, message.sequenceNum, message.description !== undefined);
    instance.lastSeq = message.sequenceNum;
    instance.connection = message.disconnect ? null : connection;

    const collector = await this.deps.store.getCollector(instance.collectorId);
    if (!collector) {
      this.instances.delete(message.uid);
      return { ok: false, reason: "unknown_collector", message: "this collector was deregistered; re-enrol it" };
    }
    await this.applyReport(collector, message);

    const reply: ServerToAgent = { instanceUid: message.instanceUid, capabilities: SERVER_CAPABILITIES };
    if (fullState) reply.flags = ServerToAgentFlag.ReportFullState;
    const wantsOffer = instance.offerNeeded && (message.capabilities & AgentCapability.ReportsOwnMetrics) !== 0;
    let token = instance.pendingToken ?? (auth.kind === "collector" ? auth.token : null);
    // Enrolled, but the token minted for the offer was lost (a relay restart before the offer went out): the
    // enrollment token still speaks for this instance, so issue fresh credentials rather than never offering.
    if (wantsOffer && token === null && auth.kind === "enrollment") token = await this.reissue(collector);
    if (wantsOffer && token !== null) {
      reply.connectionSettings = ownMetricsOffer(this.deps.publicUrl(), token);
      instance.offerNeeded = false;
      instance.pendingToken = null;
      await this.deps.store.addEvent({
        collectorId: collector.id,
        type: "own_metrics_offered",
        severity: "info",
        message: `own_metrics offered over OpAMP: ${reply.connectionSettings.ownMetrics.destinationEndpoint}`,
        detail: { destination: reply.connectionSettings.ownMetrics.destinationEndpoint, instanceUid: message.uid },
        time: this.deps.now(),
      });
    }
    if (message.disconnect) this.deps.log.info(`opamp.disconnect: ${message.uid}`);
    return { ok: true, reply };
  }

  /** Forgets which WebSocket owns which uid when that socket closes. */
  connectionClosed(connection: symbol): void {
    for (const instance of this.instances.values()) if (instance.connection === connection) instance.connection = null;
  }

  private async resolve(
    auth: OpampAuth,
    message: AgentToServer,
    existing: Instance | undefined,
  ): Promise<{ ok: true; instance: Instance | null } | { ok: false; reason: OpampRejectReason; message: string }> {
    if (auth.kind === "collector") {
      if (existing?.collectorId === auth.collectorId) return { ok: true, instance: existing };
      const instance = await this.remember(message.uid, auth.collectorId, existing);
      return { ok: true, instance };
    }
    const collectorId = existing?.collectorId ?? (await this.findByUid(message.uid));
    if (collectorId !== null) {
      const history = await this.history(collectorId);
      // An enrollment token keeps speaking for the instances it enrolled; another token re-enrolls the host.
      if (history.enrolledWith === auth.tokenId) {
        return { ok: true, instance: existing ?? (await this.remember(message.uid, collectorId, undefined)) };
      }
    }
    if (!message.description) return { ok: true, instance: null };
    return this.enroll(auth.tokenId, message);
  }

  private async remember(uid: string, collectorId: string, previous: Instance | undefined): Promise<Instance> {
    const history = await this.history(collectorId);
    const instance: Instance = {
      collectorId,
      lastSeq: previous?.lastSeq ?? null,
      connection: previous?.connection ?? null,
      offerNeeded: !history.offered,
      pendingToken: null,
    };
    this.instances.set(uid, instance);
    return instance;
  }

  private async enroll(
    tokenId: string,
    message: AgentToServer,
  ): Promise<{ ok: true; instance: Instance } | { ok: false; reason: OpampRejectReason; message: string }> {
    const { store, now } = this.deps;
    const at = now();
    const consumed = await store.consumeEnrollmentToken(tokenId, at);
    if (!consumed.ok) {
      this.deps.log.warn(`opamp.auth: rejected reason=enrollment_refused token=${tokenId} (${consumed.reason})`);
      return {
        ok: false,
        reason: "enrollment_refused",
        message: `enrollment token is ${consumed.reason.replace("_", " ")}; mint a fresh one`,
      };
    }
    const described = describeAgent(message.description, message.uid);
    const { collectorToken, records: credentials } = mintCollectorCredentials(at);
    const { collector, replaced } = await store.enrollCollector({
      newId: randomUUID(),
      hostname: described.hostname,
      type: "otelcol-contrib",
      version: described.version,
      labels: { ...consumed.token.labels, ...described.labels },
      now: at,
      credentials,
    });
    await store.addEvent({
      collectorId: collector.id,
      type: "registered",
      severity: "info",
      message: replaced
        ? `${collector.hostname} re-enrolled over OpAMP; previous credentials revoked`
        : `${collector.hostname} enrolled over OpAMP as otelcol-contrib`,
      detail: {
        hostname: collector.hostname,
        collectorType: collector.type,
        enrollmentTokenId: tokenId,
        replaced,
        instanceUid: message.uid,
        transport: "opamp",
      },
      time: at,
    });
    this.deps.log.info(
      `opamp.enroll: ${collector.hostname} enrolled as collector ${collector.id} (uid ${message.uid})`,
    );
    const instance: Instance = {
      collectorId: collector.id,
      lastSeq: null,
      connection: null,
      offerNeeded: true,
      pendingToken: collectorToken.token,
    };
    this.instances.set(message.uid, instance);
    return { ok: true, instance };
  }

  /** New collector + agent credentials for an enrolled collector (the old ones are revoked); returns the collector token. */
  private async reissue(collector: CollectorRecord): Promise<string> {
    const at = this.deps.now();
    const { collectorToken, records } = mintCollectorCredentials(at);
    await this.deps.store.enrollCollector({
      newId: collector.id,
      hostname: collector.hostname,
      type: collector.type,
      version: collector.version,
      labels: collector.labels,
      now: at,
      credentials: records,
    });
    this.deps.log.info(
      `opamp.enroll: new credentials for ${collector.hostname} (its own_metrics offer was never sent)`,
    );
    return collectorToken.token;
  }

  private async findByUid(uid: string): Promise<string | null> {
    const collectors = await this.deps.store.listCollectors();
    return collectors.find((c) => c.type === "otelcol-contrib" && c.labels[INSTANCE_UID_LABEL] === uid)?.id ?? null;
  }

  /** From the newest events: which enrollment token registered the collector, and whether it got its offer since. */
  private async history(collectorId: string): Promise<{ enrolledWith: string | null; offered: boolean }> {
    const events: EventRecord[] = await this.deps.store.listEvents(collectorId, { limit: 1000 });
    let offered: boolean | null = null;
    for (const event of events) {
      if (event.type === "own_metrics_offered" && offered === null) offered = true;
      if (event.type === "registered") {
        const tokenId = event.detail.enrollmentTokenId;
        return { enrolledWith: typeof tokenId === "string" ? tokenId : null, offered: offered ?? false };
      }
    }
    return { enrolledWith: null, offered: offered ?? true };
  }

  private async applyReport(collector: CollectorRecord, message: AgentToServer): Promise<void> {
    const patch: Parameters<Store["updateCollector"]>[1] = {};
    let labels = collector.labels;
    let graph: ComponentGraph | null = null;
    if (message.description) {
      const described = describeAgent(message.description, message.uid);
      labels = { ...labels, ...described.labels };
      if (described.version !== null && described.version !== collector.version) patch.version = described.version;
    }
    if (message.health) {
      labels = {
        ...labels,
        [HEALTH_LABEL]: message.health.healthy ? "healthy" : "unhealthy",
        [STATUS_LABEL]: message.health.status,
      };
    }
    if (labels !== collector.labels && !sameRecord(labels, collector.labels)) patch.labels = labels;
    if (message.effectiveConfig) {
      const result = graphFromEffectiveConfig(message.effectiveConfig);
      if (result.ok && !sameGraph(result.graph, collector.graph)) {
        graph = result.graph;
        await this.deps.store.addEvent({
          collectorId: collector.id,
          type: "config_changed",
          severity: "info",
          message: `effective config reported over OpAMP: ${result.graph.components.length} components, ${result.graph.edges.length} edges`,
          detail: { source: "opamp", components: result.graph.components.length, edges: result.graph.edges.length },
          time: this.deps.now(),
        });
      } else if (!result.ok) {
        this.deps.log.warn(`opamp.config: collector ${collector.id}: ${result.reason}: ${result.message}`);
      }
    }
    if (Object.keys(patch).length > 0) await this.deps.store.updateCollector(collector.id, patch);
    if (graph !== null) {
      const at = this.deps.now();
      if (this.deps.onGraph) await this.deps.onGraph({ ...collector, ...patch }, graph, at);
      else await this.deps.store.updateCollector(collector.id, { graph });
    }
  }
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function sameGraph(a: ComponentGraph, b: ComponentGraph | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** A reply that only says the message could not be read (BadRequest: the agent should not resend it). */
export function badRequest(instanceUid: Uint8Array, message: string): ServerToAgent {
  return { instanceUid, errorResponse: { type: ServerErrorResponseType.BadRequest, message } };
}

/** A reply for a message the relay could not process now (store failure); the agent retries later. */
export function unavailable(instanceUid: Uint8Array): ServerToAgent {
  return {
    instanceUid,
    errorResponse: { type: ServerErrorResponseType.Unavailable, message: "the relay cannot process this now; retry" },
  };
}

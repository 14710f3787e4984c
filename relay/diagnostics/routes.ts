import { createHash, randomUUID } from "node:crypto";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  AGENT_SELF_PATH,
  DoctorVerdictSchema,
  type SnapshotReply,
  SnapshotReplySchema,
} from "../../common/protocol/index.js";
import { type AgentAction, AgentRequestError } from "../agent-link/index.js";
import { bearerFrom, type OperatorCheck, verifyCredential } from "../auth/index.js";
import type { CollectorRecord, SnapshotRecord, Store, ThroughputRecord } from "../store/index.js";
import { buildSelfView } from "./view.js";

export interface DiagnosticsDeps {
  store: Store;
  operator: OperatorCheck;
  now: () => number;
  agents: {
    isConnected(collectorId: string): boolean;
    request(
      collectorId: string,
      action: AgentAction,
      params?: Record<string, unknown>,
      timeoutMs?: number,
    ): Promise<unknown>;
  };
  /** Live state not yet written behind (rows, last push, host metrics). */
  fleet: {
    rowsOf(collectorId: string): ThroughputRecord[];
    withLiveState(record: CollectorRecord): CollectorRecord;
  };
  doctorTimeoutMs?: number;
  snapshotTimeoutMs?: number;
  /** Snapshots kept per collector (oldest dropped). */
  keepSnapshots?: number;
}

const EVENTS_SCANNED = 1000;
const DEFAULT_SINCE = "15m";
const checkVerdict = TypeCompiler.Compile(DoctorVerdictSchema);
const checkSnapshot = TypeCompiler.Compile(SnapshotReplySchema);

const send = (reply: FastifyReply, status: number, error: string, message: string) =>
  reply.code(status).send({ error, message });

/** Offline -> 409 at once (named by hostname, with what to run instead); a stalled agent -> 504; failed -> 502. */
function agentFailure(reply: FastifyReply, error: unknown, hostname: string, command: "doctor" | "snapshot") {
  if (!(error instanceof AgentRequestError)) throw error;
  if (error.reason === "agent_offline") {
    return send(reply, 409, error.reason, offlineMessage(hostname, command));
  }
  return send(reply, error.reason === "agent_request_timeout" ? 504 : 502, error.reason, error.message);
}

function offlineMessage(hostname: string, command: "doctor" | "snapshot"): string {
  const what = command === "doctor" ? "run doctor" : "send a snapshot";
  return (
    `The agent of ${hostname} is offline, so it cannot ${what}. Run \`linkmesh-agent ${command}\` on the host ` +
    "instead, or start the agent (systemctl status linkmesh-agent) and retry."
  );
}

function snapshotView(r: SnapshotRecord, collectorId: string) {
  return {
    id: r.id,
    markerId: r.markerId,
    fileName: r.fileName,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    truncated: r.truncated,
    createdAt: new Date(r.createdAt).toISOString(),
    download: `/api/v1/collectors/${encodeURIComponent(collectorId)}/snapshots/${encodeURIComponent(r.id)}`,
  };
}

/**
 * GET /v1/agent/self for `linkmesh-agent doctor` (agent token); doctor and snapshot requests for operators:
 * the relay asks the agent over its link. The snapshot archive comes back base64 in the reply body.
 */
export async function diagnosticsRoutes(app: FastifyInstance, deps: DiagnosticsDeps): Promise<void> {
  const { store, operator, now } = deps;

  app.get(
    AGENT_SELF_PATH,
    { config: { access: "agent", summary: "The relay's view of the calling agent's collector (for doctor)" } },
    async (request, reply) => {
      const at = now();
      const check = await verifyCredential(store, bearerFrom(request.headers.authorization), "agent", at);
      const collectorId = check.ok ? check.credential.collectorId : check.collectorId;
      const record = collectorId === undefined ? null : await store.getCollector(collectorId);
      if (collectorId !== undefined && record === null) {
        // Deregistration revokes the tokens and removes the record: say which of the two the agent hit.
        return send(reply, 401, "unknown_collector", "this collector was deregistered; re-enrol to recreate it");
      }
      if (!check.ok || record === null) {
        const reason = check.ok ? "token_unknown_or_revoked_or_expired" : check.reason;
        return send(reply, 401, reason, "the agent token is missing, malformed, unknown, revoked or expired; re-enrol");
      }
      const events = await store.listEvents(record.id, { limit: EVENTS_SCANNED });
      return buildSelfView(deps.fleet.withLiveState(record), deps.fleet.rowsOf(record.id), events, at);
    },
  );

  const findCollector = async (id: string, reply: FastifyReply) => {
    const collector = await store.getCollector(id);
    if (!collector) send(reply, 404, "not_found", "no collector with that id");
    return collector;
  };

  app.post<{ Params: { id: string } }>(
    "/api/v1/collectors/:id/doctor",
    { preHandler: operator, config: { access: "operator", summary: "Run doctor on the collector's host now" } },
    async (request, reply) => {
      const collector = await findCollector(request.params.id, reply);
      if (!collector) return reply;
      let body: unknown;
      try {
        body = await deps.agents.request(collector.id, "doctor", {}, deps.doctorTimeoutMs ?? 60_000);
      } catch (error) {
        return agentFailure(reply, error, collector.hostname, "doctor");
      }
      if (!checkVerdict.Check(body)) {
        return send(reply, 502, "bad_agent_reply", "the agent's doctor verdict does not match the protocol");
      }
      const at = now();
      await store.saveDoctorVerdict({ collectorId: collector.id, verdict: body, at });
      return { verdict: body, at: new Date(at).toISOString(), ageSeconds: 0 };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/collectors/:id/doctor",
    { preHandler: operator, config: { access: "operator", summary: "The last doctor verdict and its age" } },
    async (request, reply) => {
      const last = await store.getDoctorVerdict(request.params.id);
      if (!last) return send(reply, 404, "no_verdict", "doctor has not run for this collector yet; POST to run it");
      return {
        verdict: last.verdict,
        at: new Date(last.at).toISOString(),
        ageSeconds: Math.max(0, Math.round((now() - last.at) / 1000)),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { since?: string } | null }>(
    "/api/v1/collectors/:id/snapshots",
    {
      preHandler: operator,
      config: { access: "operator", summary: "Ask the agent for a scrubbed support snapshot and store it" },
      schema: {
        body: {
          type: ["object", "null"],
          properties: { since: { type: "string", pattern: "^[0-9]{1,4}[smh]$" } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const collector = await findCollector(request.params.id, reply);
      if (!collector) return reply;
      if (!deps.agents.isConnected(collector.id)) {
        return send(reply, 409, "agent_offline", offlineMessage(collector.hostname, "snapshot"));
      }
      let body: unknown;
      try {
        body = await deps.agents.request(
          collector.id,
          "snapshot",
          { since: request.body?.since ?? DEFAULT_SINCE },
          deps.snapshotTimeoutMs ?? 120_000,
        );
      } catch (error) {
        return agentFailure(reply, error, collector.hostname, "snapshot");
      }
      if (!checkSnapshot.Check(body)) {
        return send(reply, 502, "bad_agent_reply", "the agent's snapshot reply does not match the protocol");
      }
      const uploaded: SnapshotReply = body;
      const archive = Buffer.from(uploaded.archiveBase64, "base64");
      const sha256 = createHash("sha256").update(archive).digest("hex");
      if (archive.length !== uploaded.sizeBytes || sha256 !== uploaded.sha256) {
        return send(reply, 502, "snapshot_corrupted", "the uploaded archive does not match its size and sha256; retry");
      }
      const at = now();
      const record: SnapshotRecord = {
        id: randomUUID(),
        collectorId: collector.id,
        markerId: uploaded.markerId,
        fileName: uploaded.fileName,
        sizeBytes: archive.length,
        sha256,
        truncated: uploaded.truncated,
        createdAt: at,
      };
      await store.saveSnapshot(record, archive, deps.keepSnapshots ?? 10);
      await store.addEvent({
        collectorId: collector.id,
        type: "snapshot_stored",
        severity: "info",
        message:
          `support snapshot ${uploaded.markerId} of ${collector.hostname} stored (${archive.length} bytes` +
          `${uploaded.truncated ? ", cut at the size cap" : ""})`,
        detail: { markerId: uploaded.markerId, snapshotId: record.id, sizeBytes: archive.length, sha256 },
        time: at,
      });
      return reply.code(201).send(snapshotView(record, collector.id));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/collectors/:id/snapshots",
    { preHandler: operator, config: { access: "operator", summary: "Stored support snapshots, newest first" } },
    async (request) => ({
      snapshots: (await store.listSnapshots(request.params.id)).map((s) => snapshotView(s, request.params.id)),
    }),
  );

  app.get<{ Params: { id: string; sid: string } }>(
    "/api/v1/collectors/:id/snapshots/:sid",
    { preHandler: operator, config: { access: "operator", summary: "Download one snapshot (.tar.gz)" } },
    async (request, reply) => {
      const found = await store.getSnapshot(request.params.id, request.params.sid);
      if (!found) return send(reply, 404, "not_found", "no snapshot with that id for this collector");
      const safeName = found.record.fileName.replace(/[^A-Za-z0-9._-]/g, "_");
      return reply
        .header("content-type", "application/gzip")
        .header("content-disposition", `attachment; filename="${safeName}"`)
        .header("x-linkmesh-snapshot-sha256", found.record.sha256)
        .send(found.archive);
    },
  );
}

import { type Static, Type } from "@sinclair/typebox";
import { CollectorTypeSchema } from "./enroll.js";

/** The relay's view of one collector, asked by its agent (bearer = agent token) when `linkmesh-agent doctor` runs. */
export const AGENT_SELF_PATH = "/v1/agent/self";

export const MismatchFindingSchema = Type.Object({
  reason: Type.Union([Type.Literal("unknown component"), Type.Literal("orphan throughput")]),
  component: Type.String(),
  at: Type.Number(),
});
export type MismatchFinding = Static<typeof MismatchFindingSchema>;

export const AgentSelfViewSchema = Type.Object({
  collectorId: Type.String(),
  hostname: Type.String(),
  collectorType: CollectorTypeSchema,
  /** The relay's clock, so the agent judges ages without trusting its own. */
  relayTimeMs: Type.Number(),
  lastPushAt: Type.Union([Type.Number(), Type.Null()]),
  lastRejection: Type.Union([Type.Object({ reason: Type.String(), at: Type.Number() }), Type.Null()]),
  /** An `own_metrics_offered` event exists (otelcol-contrib via OpAMP). */
  ownMetricsOffered: Type.Boolean(),
  /** Host metrics (CPU, memory...) arrived at this time: the OTLP path works even when edges are empty. */
  hostMetricsAt: Type.Union([Type.Number(), Type.Null()]),
  /** ComponentThroughput rows of this collector: how many, how many have a rate, how many a non-zero rate. */
  throughput: Type.Object({ rows: Type.Integer(), withRate: Type.Integer(), nonZero: Type.Integer() }),
  /** `component_naming_mismatch` findings whose component is still absent from the current graph. */
  mismatches: Type.Array(MismatchFindingSchema),
});
export type AgentSelfView = Static<typeof AgentSelfViewSchema>;

export const CheckStatusSchema = Type.Union([Type.Literal("ok"), Type.Literal("fail"), Type.Literal("skipped")]);
export type CheckStatus = Static<typeof CheckStatusSchema>;

export const CheckResultSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: CheckStatusSchema,
  evidence: Type.Array(Type.String()),
  /** The exact next step when the check fails (empty when ok). */
  fix: Type.String(),
});
export type CheckResult = Static<typeof CheckResultSchema>;

/** The doctor's verdict: checks top-down; `stuckAt` names the first failing one. */
export const DoctorVerdictSchema = Type.Object({
  ok: Type.Boolean(),
  stuckAt: Type.Union([Type.String(), Type.Null()]),
  timeMs: Type.Number(),
  checks: Type.Array(CheckResultSchema),
});
export type DoctorVerdict = Static<typeof DoctorVerdictSchema>;

/**
 * The agent's reply to a `snapshot` request: the archive travels base64 in the reply body (the link allows
 * 16 MiB frames; archives are capped well below).
 */
export const SnapshotReplySchema = Type.Object({
  markerId: Type.String({ minLength: 1, maxLength: 64 }),
  fileName: Type.String({ minLength: 1, maxLength: 200 }),
  sizeBytes: Type.Integer({ minimum: 0 }),
  sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
  truncated: Type.Boolean(),
  archiveBase64: Type.String(),
});
export type SnapshotReply = Static<typeof SnapshotReplySchema>;

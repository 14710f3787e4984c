import type { CollectorType, ComponentGraph, Signal } from "../../common/model/index.js";
import type { DoctorVerdict, EventSeverity, EventType, TokenKind } from "../../common/protocol/index.js";
import type { FlowDirection } from "../../common/telemetry/index.js";

export interface EnrollmentTokenRecord {
  id: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  labels: Record<string, string>;
  revokedAt: number | null;
}

/** A credential issued to one collector: collector tokens push OTLP, agent tokens open the agent link. */
export interface CredentialRecord {
  id: string;
  kind: Extract<TokenKind, "collector" | "agent">;
  collectorId: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface CollectorRecord {
  id: string;
  hostname: string;
  type: CollectorType;
  version: string | null;
  labels: Record<string, string>;
  enrolledAt: number;
  lastPushAt: number | null;
  lastRejection: { reason: string; at: number } | null;
  graph: ComponentGraph | null;
  /** Latest host metrics (CPU, memory, uptime...) by name; not throughput. */
  hostMetrics: Record<string, number>;
  hostMetricsAt: number | null;
}

export interface EventRecord {
  id: string;
  collectorId: string;
  type: EventType;
  severity: EventSeverity;
  message: string;
  detail: Record<string, unknown>;
  time: number;
}

export type NewEvent = Omit<EventRecord, "id"> & { id?: string };

/** Where a collector's agent link stands: the highest outbox seq stored, and when it last came and went. */
export interface AgentLinkRecord {
  collectorId: string;
  ackedSeq: number;
  connectedAt: number | null;
  disconnectedAt: number | null;
}

/** An operator UI session; only the hash of the cookie value is stored. */
export interface SessionRecord {
  idHash: string;
  createdAt: number;
  expiresAt: number;
}

export type ThroughputVia = "otlp" | "agent";

/**
 * One ComponentThroughput row: the latest point of one counter series of one component, with BOTH its raw
 * (cumulative or delta) value and the rate computed from it. `ratePerSecond` is null until two samples exist.
 */
export interface ThroughputRecord {
  collectorId: string;
  via: ThroughputVia;
  seriesKey: string;
  componentId: string;
  componentPath: string;
  signal: Signal;
  direction: FlowDirection;
  rawValue: number;
  ratePerSecond: number | null;
  /** Data-point time of the latest sample. */
  timeMs: number;
  /** Relay clock when the row was last written. */
  updatedAt: number;
}

/** The rate engine's JSON state for one collector and source, so a relay restart causes no spike and no gap. */
export interface RateStateRecord {
  collectorId: string;
  via: ThroughputVia;
  state: string;
}

/** Everything one ingest step changes, written in one transaction. */
export interface IngestBatch {
  throughput?: ThroughputRecord[];
  removeThroughput?: { collectorId: string; via: ThroughputVia; seriesKey: string }[];
  rateStates?: RateStateRecord[];
  collectors?: { id: string; patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">> }[];
  events?: NewEvent[];
}

/** A support snapshot an agent uploaded (the archive itself is fetched separately: it can be megabytes). */
export interface SnapshotRecord {
  id: string;
  collectorId: string;
  /** The marker id the agent wrote into the archive, also in the `snapshot_stored` event. */
  markerId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  /** The agent cut the archive at its size cap. */
  truncated: boolean;
  createdAt: number;
}

/** The last doctor verdict the relay got from a collector's agent, and when. */
export interface DoctorVerdictRecord {
  collectorId: string;
  verdict: DoctorVerdict;
  at: number;
}

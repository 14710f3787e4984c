import type { CollectorType } from "../../common/model/index.js";
import type {
  AgentLinkRecord,
  CollectorRecord,
  CredentialRecord,
  DoctorVerdictRecord,
  EnrollmentTokenRecord,
  EventRecord,
  IngestBatch,
  NewEvent,
  RateStateRecord,
  SessionRecord,
  SnapshotRecord,
  ThroughputRecord,
  ThroughputVia,
} from "./types.js";

/**
 * Everything the relay persists. Async so that a networked engine (PostgreSQL) fits behind the same calls;
 * the SQLite implementation answers synchronously under the hood.
 */
export interface Store {
  getSetting(key: string): Promise<string | null>;
  setSettingIfAbsent(key: string, value: string): Promise<boolean>;

  createEnrollmentToken(token: EnrollmentTokenRecord): Promise<void>;
  listEnrollmentTokens(): Promise<EnrollmentTokenRecord[]>;
  getEnrollmentToken(id: string): Promise<EnrollmentTokenRecord | null>;
  /** Counts one use if the token is live at `now`; returns the record as it was before, or why not. */
  consumeEnrollmentToken(
    id: string,
    now: number,
  ): Promise<
    { ok: true; token: EnrollmentTokenRecord } | { ok: false; reason: "unknown" | "revoked" | "expired" | "used_up" }
  >;
  revokeEnrollmentToken(id: string, now: number): Promise<boolean>;

  /** Creates the collector, or replaces the credentials of the one already enrolled for this host and type. */
  enrollCollector(input: {
    newId: string;
    hostname: string;
    type: CollectorType;
    version: string | null;
    labels: Record<string, string>;
    now: number;
    credentials: CredentialRecord[];
  }): Promise<{ collector: CollectorRecord; replaced: boolean }>;
  getCollector(id: string): Promise<CollectorRecord | null>;
  listCollectors(): Promise<CollectorRecord[]>;
  updateCollector(id: string, patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>): Promise<void>;
  /** Removes the collector from the fleet and revokes its credentials; events are kept for the record. */
  deregisterCollector(id: string, now: number): Promise<boolean>;

  getCredential(id: string): Promise<CredentialRecord | null>;

  addEvent(event: NewEvent): Promise<EventRecord>;
  listEvents(collectorId: string, options?: { limit?: number; before?: number }): Promise<EventRecord[]>;

  getAgentLink(collectorId: string): Promise<AgentLinkRecord | null>;
  saveAgentLink(link: AgentLinkRecord): Promise<void>;
  listAgentLinks(): Promise<AgentLinkRecord[]>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  /** Applies one ingest step (throughput rows, rate state, collector patches, events) atomically. */
  writeIngestBatch(batch: IngestBatch): Promise<void>;
  /** All rows, or the rows of one collector. */
  listThroughput(collectorId?: string): Promise<ThroughputRecord[]>;
  listRateStates(): Promise<RateStateRecord[]>;
  /**
   * Read-modify-write of one collector's rate state, one writer at a time (across replicas on PostgreSQL):
   * `step` gets the stored JSON (null if none) and returns the new one. Null when the collector is not enrolled.
   */
  updateRateState<T>(
    collectorId: string,
    via: ThroughputVia,
    step: (state: string | null) => { state: string; result: T },
  ): Promise<T | null>;

  close(): Promise<void>;

  /** Stores an uploaded support snapshot; only the newest `keep` of the collector are kept. */
  saveSnapshot(record: SnapshotRecord, archive: Buffer, keep: number): Promise<void>;
  /** Newest first, without the archives. */
  listSnapshots(collectorId: string): Promise<SnapshotRecord[]>;
  getSnapshot(collectorId: string, id: string): Promise<{ record: SnapshotRecord; archive: Buffer } | null>;
  saveDoctorVerdict(record: DoctorVerdictRecord): Promise<void>;
  getDoctorVerdict(collectorId: string): Promise<DoctorVerdictRecord | null>;
}

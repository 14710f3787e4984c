// SQLite store (better-sqlite3, WAL): the embedded default. Schema changes are numbered migrations.

import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  type AgentLinkRow,
  type CollectorRow,
  type CredentialRow,
  collectorPatchColumns,
  type EventRow,
  type TokenRow,
  toAgentLink,
  toCollector,
  toCredential,
  toEvent,
  toToken,
} from "./rows.js";
import type { Store } from "./store.js";
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

const MIGRATIONS: string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE enrollment_tokens (
     id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
     max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0, labels TEXT NOT NULL, revoked_at INTEGER);
   CREATE TABLE collectors (
     id TEXT PRIMARY KEY, hostname TEXT NOT NULL, type TEXT NOT NULL, version TEXT, labels TEXT NOT NULL,
     enrolled_at INTEGER NOT NULL, last_push_at INTEGER, last_rejection TEXT, graph TEXT,
     host_metrics TEXT NOT NULL DEFAULT '{}', host_metrics_at INTEGER);
   CREATE UNIQUE INDEX collectors_host_type ON collectors (hostname, type);
   CREATE TABLE credentials (
     id TEXT PRIMARY KEY, kind TEXT NOT NULL, collector_id TEXT NOT NULL, secret_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
   CREATE INDEX credentials_collector ON credentials (collector_id);
   CREATE TABLE events (
     id TEXT PRIMARY KEY, collector_id TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
     message TEXT NOT NULL, detail TEXT NOT NULL, time INTEGER NOT NULL);
   CREATE INDEX events_collector_time ON events (collector_id, time);`,
  // Relay core: agent links (acked outbox seq), operator sessions, throughput rows, rate-engine state.
  `CREATE TABLE agent_links (
     collector_id TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL DEFAULT 0, connected_at INTEGER, disconnected_at INTEGER);
   CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
   CREATE TABLE throughput (
     collector_id TEXT NOT NULL, via TEXT NOT NULL, series_key TEXT NOT NULL, component_id TEXT NOT NULL,
     component_path TEXT NOT NULL, signal TEXT NOT NULL, direction TEXT NOT NULL, raw_value REAL NOT NULL,
     rate_per_second REAL, time_ms INTEGER NOT NULL, updated_at INTEGER NOT NULL,
     PRIMARY KEY (collector_id, via, series_key));
   CREATE TABLE rate_state (collector_id TEXT NOT NULL, via TEXT NOT NULL, state TEXT NOT NULL,
     PRIMARY KEY (collector_id, via));`,
  // Diagnostics: uploaded support snapshots and the last doctor verdict per collector.
  `CREATE TABLE snapshots (
     id TEXT PRIMARY KEY, collector_id TEXT NOT NULL, marker_id TEXT NOT NULL, file_name TEXT NOT NULL,
     size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, truncated INTEGER NOT NULL, created_at INTEGER NOT NULL,
     archive BLOB NOT NULL);
   CREATE INDEX snapshots_collector_time ON snapshots (collector_id, created_at);
   CREATE TABLE doctor_verdicts (collector_id TEXT PRIMARY KEY, verdict TEXT NOT NULL, at INTEGER NOT NULL);`,
];

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i] ?? "");
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  async getSetting(key: string): Promise<string | null> {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  async setSettingIfAbsent(key: string, value: string): Promise<boolean> {
    return this.db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)").run(key, value).changes === 1;
  }

  async createEnrollmentToken(t: EnrollmentTokenRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO enrollment_tokens (id, secret_hash, created_at, expires_at, max_uses, uses, labels, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.id, t.secretHash, t.createdAt, t.expiresAt, t.maxUses, t.uses, JSON.stringify(t.labels), t.revokedAt);
  }

  async listEnrollmentTokens(): Promise<EnrollmentTokenRecord[]> {
    const rows = this.db.prepare("SELECT * FROM enrollment_tokens ORDER BY created_at DESC").all() as TokenRow[];
    return rows.map(toToken);
  }

  async getEnrollmentToken(id: string): Promise<EnrollmentTokenRecord | null> {
    const row = this.db.prepare("SELECT * FROM enrollment_tokens WHERE id = ?").get(id) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  async consumeEnrollmentToken(id: string, now: number) {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT * FROM enrollment_tokens WHERE id = ?").get(id) as TokenRow | undefined;
      if (!row) return { ok: false as const, reason: "unknown" as const };
      if (row.revoked_at !== null) return { ok: false as const, reason: "revoked" as const };
      if (row.expires_at <= now) return { ok: false as const, reason: "expired" as const };
      if (row.uses >= row.max_uses) return { ok: false as const, reason: "used_up" as const };
      this.db.prepare("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?").run(id);
      return { ok: true as const, token: toToken(row) };
    })();
  }

  async revokeEnrollmentToken(id: string, now: number): Promise<boolean> {
    const result = this.db
      .prepare("UPDATE enrollment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .run(now, id);
    return result.changes === 1;
  }

  async enrollCollector(input: Parameters<Store["enrollCollector"]>[0]) {
    return this.db.transaction(() => {
      const existing = this.db
        .prepare("SELECT * FROM collectors WHERE hostname = ? AND type = ?")
        .get(input.hostname, input.type) as CollectorRow | undefined;
      const id = existing?.id ?? input.newId;
      if (existing) {
        this.db
          .prepare("UPDATE credentials SET revoked_at = ? WHERE collector_id = ? AND revoked_at IS NULL")
          .run(input.now, id);
        this.db
          .prepare("UPDATE collectors SET version = ?, labels = ? WHERE id = ?")
          .run(input.version, JSON.stringify(input.labels), id);
      } else {
        this.db
          .prepare(
            `INSERT INTO collectors (id, hostname, type, version, labels, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(id, input.hostname, input.type, input.version, JSON.stringify(input.labels), input.now);
      }
      const insert = this.db.prepare(
        `INSERT INTO credentials (id, kind, collector_id, secret_hash, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL)`,
      );
      for (const c of input.credentials) insert.run(c.id, c.kind, id, c.secretHash, c.createdAt, c.expiresAt);
      const row = this.db.prepare("SELECT * FROM collectors WHERE id = ?").get(id) as CollectorRow;
      return { collector: toCollector(row), replaced: existing !== undefined };
    })();
  }

  async getCollector(id: string): Promise<CollectorRecord | null> {
    const row = this.db.prepare("SELECT * FROM collectors WHERE id = ?").get(id) as CollectorRow | undefined;
    return row ? toCollector(row) : null;
  }

  async listCollectors(): Promise<CollectorRecord[]> {
    const rows = this.db.prepare("SELECT * FROM collectors ORDER BY hostname, type").all() as CollectorRow[];
    return rows.map(toCollector);
  }

  async updateCollector(id: string, patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>): Promise<void> {
    this.patchCollector(id, patch);
  }

  private patchCollector(id: string, patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>): void {
    const { columns, values } = collectorPatchColumns(patch);
    if (columns.length === 0) return;
    const sets = columns.map((column) => `${column} = ?`).join(", ");
    this.db.prepare(`UPDATE collectors SET ${sets} WHERE id = ?`).run(...values, id);
  }

  async deregisterCollector(id: string, now: number): Promise<boolean> {
    return this.db.transaction(() => {
      this.db
        .prepare("UPDATE credentials SET revoked_at = ? WHERE collector_id = ? AND revoked_at IS NULL")
        .run(now, id);
      this.db.prepare("DELETE FROM throughput WHERE collector_id = ?").run(id);
      this.db.prepare("DELETE FROM rate_state WHERE collector_id = ?").run(id);
      return this.db.prepare("DELETE FROM collectors WHERE id = ?").run(id).changes === 1;
    })();
  }

  async getCredential(id: string): Promise<CredentialRecord | null> {
    const row = this.db.prepare("SELECT * FROM credentials WHERE id = ?").get(id) as CredentialRow | undefined;
    return row ? toCredential(row) : null;
  }

  async addEvent(event: NewEvent): Promise<EventRecord> {
    return this.insertEvent(event);
  }

  private insertEvent(event: NewEvent): EventRecord {
    const record: EventRecord = { ...event, id: event.id ?? randomUUID() };
    this.db
      .prepare(
        `INSERT OR IGNORE INTO events (id, collector_id, type, severity, message, detail, time)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.collectorId,
        record.type,
        record.severity,
        record.message,
        JSON.stringify(record.detail),
        record.time,
      );
    return record;
  }

  async listEvents(collectorId: string, options: { limit?: number; before?: number } = {}): Promise<EventRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM events WHERE collector_id = ? AND time < ? ORDER BY time DESC, rowid DESC LIMIT ?")
      .all(collectorId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit ?? 200) as EventRow[];
    return rows.map(toEvent);
  }

  async getAgentLink(collectorId: string): Promise<AgentLinkRecord | null> {
    const row = this.db.prepare("SELECT * FROM agent_links WHERE collector_id = ?").get(collectorId) as
      | AgentLinkRow
      | undefined;
    return row ? toAgentLink(row) : null;
  }

  async listAgentLinks(): Promise<AgentLinkRecord[]> {
    const rows = this.db.prepare("SELECT * FROM agent_links").all() as AgentLinkRow[];
    return rows.map(toAgentLink);
  }

  async saveAgentLink(link: AgentLinkRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO agent_links (collector_id, acked_seq, connected_at, disconnected_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (collector_id) DO UPDATE SET acked_seq = excluded.acked_seq,
           connected_at = excluded.connected_at, disconnected_at = excluded.disconnected_at`,
      )
      .run(link.collectorId, link.ackedSeq, link.connectedAt, link.disconnectedAt);
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.db
      .prepare("INSERT INTO sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)")
      .run(session.idHash, session.createdAt, session.expiresAt);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = this.db.prepare("SELECT * FROM sessions WHERE id_hash = ?").get(idHash) as
      | { id_hash: string; created_at: number; expires_at: number }
      | undefined;
    return row ? { idHash: row.id_hash, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare("DELETE FROM sessions WHERE id_hash = ?").run(idHash);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(now).changes;
  }

  private ingestStatements: {
    upsert: Database.Statement;
    remove: Database.Statement;
    rateState: Database.Statement;
  } | null = null;

  async writeIngestBatch(batch: IngestBatch): Promise<void> {
    this.ingestStatements ??= {
      upsert: this.db.prepare(
        `INSERT INTO throughput (collector_id, via, series_key, component_id, component_path, signal, direction,
           raw_value, rate_per_second, time_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (collector_id, via, series_key) DO UPDATE SET component_id = excluded.component_id,
           component_path = excluded.component_path, signal = excluded.signal, direction = excluded.direction,
           raw_value = excluded.raw_value, rate_per_second = excluded.rate_per_second, time_ms = excluded.time_ms,
           updated_at = excluded.updated_at`,
      ),
      remove: this.db.prepare("DELETE FROM throughput WHERE collector_id = ? AND via = ? AND series_key = ?"),
      rateState: this.db.prepare(
        `INSERT INTO rate_state (collector_id, via, state) VALUES (?, ?, ?)
         ON CONFLICT (collector_id, via) DO UPDATE SET state = excluded.state`,
      ),
    };
    const st = this.ingestStatements;
    this.db.transaction(() => {
      // Rows of a collector deregistered meanwhile are dropped rather than resurrected.
      const live = new Set((this.db.prepare("SELECT id FROM collectors").all() as { id: string }[]).map((r) => r.id));
      for (const t of batch.throughput ?? []) {
        if (!live.has(t.collectorId)) continue;
        st.upsert.run(
          t.collectorId,
          t.via,
          t.seriesKey,
          t.componentId,
          t.componentPath,
          t.signal,
          t.direction,
          t.rawValue,
          t.ratePerSecond,
          t.timeMs,
          t.updatedAt,
        );
      }
      for (const r of batch.removeThroughput ?? []) st.remove.run(r.collectorId, r.via, r.seriesKey);
      for (const r of batch.rateStates ?? [])
        if (live.has(r.collectorId)) st.rateState.run(r.collectorId, r.via, r.state);
      for (const c of batch.collectors ?? []) this.patchCollector(c.id, c.patch);
      for (const e of batch.events ?? []) this.insertEvent(e);
    })();
  }

  async listThroughput(collectorId?: string): Promise<ThroughputRecord[]> {
    const rows = (
      collectorId === undefined
        ? this.db.prepare("SELECT * FROM throughput").all()
        : this.db.prepare("SELECT * FROM throughput WHERE collector_id = ?").all(collectorId)
    ) as {
      collector_id: string;
      via: string;
      series_key: string;
      component_id: string;
      component_path: string;
      signal: string;
      direction: string;
      raw_value: number;
      rate_per_second: number | null;
      time_ms: number;
      updated_at: number;
    }[];
    return rows.map((r) => ({
      collectorId: r.collector_id,
      via: r.via as ThroughputRecord["via"],
      seriesKey: r.series_key,
      componentId: r.component_id,
      componentPath: r.component_path,
      signal: r.signal as ThroughputRecord["signal"],
      direction: r.direction as ThroughputRecord["direction"],
      rawValue: r.raw_value,
      ratePerSecond: r.rate_per_second,
      timeMs: r.time_ms,
      updatedAt: r.updated_at,
    }));
  }

  async listRateStates(): Promise<RateStateRecord[]> {
    const rows = this.db.prepare("SELECT * FROM rate_state").all() as {
      collector_id: string;
      via: string;
      state: string;
    }[];
    return rows.map((r) => ({ collectorId: r.collector_id, via: r.via as RateStateRecord["via"], state: r.state }));
  }

  async updateRateState<T>(
    collectorId: string,
    via: ThroughputVia,
    step: (state: string | null) => { state: string; result: T },
  ): Promise<T | null> {
    // One process, one synchronous transaction: nothing can interleave between the read and the write.
    return this.db.transaction(() => {
      if (!this.db.prepare("SELECT 1 FROM collectors WHERE id = ?").get(collectorId)) return null;
      const row = this.db
        .prepare("SELECT state FROM rate_state WHERE collector_id = ? AND via = ?")
        .get(collectorId, via) as { state: string } | undefined;
      const { state, result } = step(row?.state ?? null);
      this.db
        .prepare(
          `INSERT INTO rate_state (collector_id, via, state) VALUES (?, ?, ?)
           ON CONFLICT (collector_id, via) DO UPDATE SET state = excluded.state`,
        )
        .run(collectorId, via, state);
      return result;
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async saveSnapshot(r: SnapshotRecord, archive: Buffer, keep: number): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO snapshots (id, collector_id, marker_id, file_name, size_bytes, sha256, truncated, created_at, archive)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.id,
          r.collectorId,
          r.markerId,
          r.fileName,
          r.sizeBytes,
          r.sha256,
          r.truncated ? 1 : 0,
          r.createdAt,
          archive,
        );
      this.db
        .prepare(
          `DELETE FROM snapshots WHERE collector_id = ? AND id NOT IN
             (SELECT id FROM snapshots WHERE collector_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
        )
        .run(r.collectorId, r.collectorId, Math.max(1, keep));
    })();
  }

  async listSnapshots(collectorId: string): Promise<SnapshotRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, collector_id, marker_id, file_name, size_bytes, sha256, truncated, created_at FROM snapshots
         WHERE collector_id = ? ORDER BY created_at DESC, rowid DESC`,
      )
      .all(collectorId) as SnapshotRow[];
    return rows.map(toSnapshot);
  }

  async getSnapshot(collectorId: string, id: string): Promise<{ record: SnapshotRecord; archive: Buffer } | null> {
    const row = this.db.prepare("SELECT * FROM snapshots WHERE collector_id = ? AND id = ?").get(collectorId, id) as
      | (SnapshotRow & { archive: Buffer })
      | undefined;
    return row ? { record: toSnapshot(row), archive: row.archive } : null;
  }

  async saveDoctorVerdict(r: DoctorVerdictRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO doctor_verdicts (collector_id, verdict, at) VALUES (?, ?, ?)
         ON CONFLICT (collector_id) DO UPDATE SET verdict = excluded.verdict, at = excluded.at`,
      )
      .run(r.collectorId, JSON.stringify(r.verdict), r.at);
  }

  async getDoctorVerdict(collectorId: string): Promise<DoctorVerdictRecord | null> {
    const row = this.db.prepare("SELECT * FROM doctor_verdicts WHERE collector_id = ?").get(collectorId) as
      | { collector_id: string; verdict: string; at: number }
      | undefined;
    return row
      ? {
          collectorId: row.collector_id,
          verdict: JSON.parse(row.verdict) as DoctorVerdictRecord["verdict"],
          at: row.at,
        }
      : null;
  }
}

interface SnapshotRow {
  id: string;
  collector_id: string;
  marker_id: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  truncated: number;
  created_at: number;
}

function toSnapshot(row: SnapshotRow): SnapshotRecord {
  return {
    id: row.id,
    collectorId: row.collector_id,
    markerId: row.marker_id,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    truncated: row.truncated === 1,
    createdAt: row.created_at,
  };
}

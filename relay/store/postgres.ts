// PostgreSQL store (node `pg`): the same Store as SQLite, for several relay replicas on one database.
// Migrations run on start under an advisory lock, so replicas starting together apply each one exactly once.

import { randomUUID } from "node:crypto";
import pg from "pg";
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

/** Any constant shared by all replicas; `pg_advisory_lock` takes a bigint. */
const MIGRATION_LOCK = 0x4c4d_6d69;
/** First key of the two-key transaction locks (a key space per purpose). */
const LOCK_SPACE = { enroll: 0x4c4d_0001, rates: 0x4c4d_0002 } as const;

/** Numbered like SQLite's; times are epoch milliseconds (BIGINT), JSON is stored as text exactly as SQLite does. */
const MIGRATIONS: string[] = [
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE enrollment_tokens (
     id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
     max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0, labels TEXT NOT NULL, revoked_at BIGINT);
   CREATE TABLE collectors (
     id TEXT PRIMARY KEY, hostname TEXT NOT NULL, type TEXT NOT NULL, version TEXT, labels TEXT NOT NULL,
     enrolled_at BIGINT NOT NULL, last_push_at BIGINT, last_rejection TEXT, graph TEXT,
     host_metrics TEXT NOT NULL DEFAULT '{}', host_metrics_at BIGINT);
   CREATE UNIQUE INDEX collectors_host_type ON collectors (hostname, type);
   CREATE TABLE credentials (
     id TEXT PRIMARY KEY, kind TEXT NOT NULL, collector_id TEXT NOT NULL, secret_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT);
   CREATE INDEX credentials_collector ON credentials (collector_id);
   CREATE TABLE events (
     seq BIGSERIAL, id TEXT PRIMARY KEY, collector_id TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
     message TEXT NOT NULL, detail TEXT NOT NULL, time BIGINT NOT NULL);
   CREATE INDEX events_collector_time ON events (collector_id, time);`,
  // series_key is BYTEA: series keys separate attributes with NUL, which PostgreSQL text cannot hold.
  `CREATE TABLE agent_links (
     collector_id TEXT PRIMARY KEY, acked_seq BIGINT NOT NULL DEFAULT 0, connected_at BIGINT, disconnected_at BIGINT);
   CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
   CREATE TABLE throughput (
     collector_id TEXT NOT NULL, via TEXT NOT NULL, series_key BYTEA NOT NULL, component_id TEXT NOT NULL,
     component_path TEXT NOT NULL, signal TEXT NOT NULL, direction TEXT NOT NULL, raw_value DOUBLE PRECISION NOT NULL,
     rate_per_second DOUBLE PRECISION, time_ms BIGINT NOT NULL, updated_at BIGINT NOT NULL,
     PRIMARY KEY (collector_id, via, series_key));
   CREATE TABLE rate_state (collector_id TEXT NOT NULL, via TEXT NOT NULL, state TEXT NOT NULL,
     PRIMARY KEY (collector_id, via));`,
  `CREATE TABLE snapshots (
     seq BIGSERIAL, id TEXT PRIMARY KEY, collector_id TEXT NOT NULL, marker_id TEXT NOT NULL, file_name TEXT NOT NULL,
     size_bytes BIGINT NOT NULL, sha256 TEXT NOT NULL, truncated BOOLEAN NOT NULL, created_at BIGINT NOT NULL,
     archive BYTEA NOT NULL);
   CREATE INDEX snapshots_collector_time ON snapshots (collector_id, created_at);
   CREATE TABLE doctor_verdicts (collector_id TEXT PRIMARY KEY, verdict TEXT NOT NULL, at BIGINT NOT NULL);`,
  // Replicas (relay/cluster): who is alive, which replica holds which agent link, replies to forwarded requests.
  `CREATE TABLE cluster_replicas (id TEXT PRIMARY KEY, seen_at BIGINT NOT NULL);
   CREATE TABLE cluster_agents (collector_id TEXT PRIMARY KEY, replica_id TEXT NOT NULL, since BIGINT NOT NULL);
   CREATE TABLE cluster_replies (request_id TEXT PRIMARY KEY, body TEXT NOT NULL, at BIGINT NOT NULL);`,
  // Data-point times are fractional milliseconds (OTLP nanoseconds / 1e6); BIGINT refused them.
  "ALTER TABLE throughput ALTER COLUMN time_ms TYPE DOUBLE PRECISION;",
];

// BIGINT (20) comes back as text by default; every BIGINT here is epoch ms or a count, well inside 2^53.
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, "query">;

const str = (v: unknown) => v as string;
const num = (v: unknown) => v as number;
const numOrNull = (v: unknown) => (v === null ? null : (v as number));

function toThroughput(r: Row): ThroughputRecord {
  return {
    collectorId: str(r.collector_id),
    via: r.via as ThroughputVia,
    seriesKey: (r.series_key as Buffer).toString("utf8"),
    componentId: str(r.component_id),
    componentPath: str(r.component_path),
    signal: r.signal as ThroughputRecord["signal"],
    direction: r.direction as ThroughputRecord["direction"],
    rawValue: num(r.raw_value),
    ratePerSecond: numOrNull(r.rate_per_second),
    timeMs: num(r.time_ms),
    updatedAt: num(r.updated_at),
  };
}

function toSnapshot(row: Row): SnapshotRecord {
  return {
    id: str(row.id),
    collectorId: str(row.collector_id),
    markerId: str(row.marker_id),
    fileName: str(row.file_name),
    sizeBytes: num(row.size_bytes),
    sha256: str(row.sha256),
    truncated: row.truncated === true,
    createdAt: num(row.created_at),
  };
}

const SNAPSHOT_COLUMNS = "id, collector_id, marker_id, file_name, size_bytes, sha256, truncated, created_at";

export interface PostgresStoreOptions {
  /** Pool size per replica (default 10). */
  maxConnections?: number;
}

export class PostgresStore implements Store {
  private constructor(
    private readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  /** Connects, applies pending migrations under the advisory lock, and returns the store. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types: TYPES });
    // An idle client losing its server (failover, restart) must not crash the relay; the next query reconnects.
    pool.on("error", () => undefined);
    const store = new PostgresStore(pool, url);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      try {
        await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
        const done = await client.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
        const version = Number(done.rows[0]?.v ?? 0);
        for (let i = version; i < MIGRATIONS.length; i++) {
          await client.query("BEGIN");
          try {
            await client.query(MIGRATIONS[i] ?? "");
            await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [i + 1]);
            await client.query("COMMIT");
          } catch (error) {
            await client.query("ROLLBACK");
            throw error;
          }
        }
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction on one connection. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Plain query for the cluster layer (its tables live in this schema). */
  async query<T = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, values)).rows as T[];
  }

  private async one<T = Row>(text: string, values: unknown[]): Promise<T | undefined> {
    return (await this.pool.query(text, values)).rows[0] as T | undefined;
  }

  async getSetting(key: string): Promise<string | null> {
    const row = await this.one("SELECT value FROM settings WHERE key = $1", [key]);
    return row ? str(row.value) : null;
  }

  async setSettingIfAbsent(key: string, value: string): Promise<boolean> {
    const result = await this.pool.query(
      "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
      [key, value],
    );
    return result.rowCount === 1;
  }

  async createEnrollmentToken(t: EnrollmentTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO enrollment_tokens (id, secret_hash, created_at, expires_at, max_uses, uses, labels, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.id, t.secretHash, t.createdAt, t.expiresAt, t.maxUses, t.uses, JSON.stringify(t.labels), t.revokedAt],
    );
  }

  async listEnrollmentTokens(): Promise<EnrollmentTokenRecord[]> {
    return (await this.query<TokenRow>("SELECT * FROM enrollment_tokens ORDER BY created_at DESC")).map(toToken);
  }

  async getEnrollmentToken(id: string): Promise<EnrollmentTokenRecord | null> {
    const row = await this.one<TokenRow>("SELECT * FROM enrollment_tokens WHERE id = $1", [id]);
    return row ? toToken(row) : null;
  }

  async consumeEnrollmentToken(id: string, now: number) {
    return this.transaction(async (tx) => {
      // FOR UPDATE: two replicas consuming the last use of a token at once are serialised here.
      const row = (await tx.query("SELECT * FROM enrollment_tokens WHERE id = $1 FOR UPDATE", [id])).rows[0] as
        | TokenRow
        | undefined;
      if (!row) return { ok: false as const, reason: "unknown" as const };
      const token = toToken(row);
      if (token.revokedAt !== null) return { ok: false as const, reason: "revoked" as const };
      if (token.expiresAt <= now) return { ok: false as const, reason: "expired" as const };
      if (token.uses >= token.maxUses) return { ok: false as const, reason: "used_up" as const };
      await tx.query("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = $1", [id]);
      return { ok: true as const, token };
    });
  }

  async revokeEnrollmentToken(id: string, now: number): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE enrollment_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
      [now, id],
    );
    return result.rowCount === 1;
  }

  async enrollCollector(input: Parameters<Store["enrollCollector"]>[0]) {
    return this.transaction(async (tx) => {
      // Serialises enrolments of the same host and type across replicas (the unique index would fail one).
      await tx.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
        LOCK_SPACE.enroll,
        `${input.hostname}/${input.type}`,
      ]);
      const existing = (
        await tx.query("SELECT * FROM collectors WHERE hostname = $1 AND type = $2", [input.hostname, input.type])
      ).rows[0] as CollectorRow | undefined;
      const id = existing ? existing.id : input.newId;
      if (existing) {
        await tx.query("UPDATE credentials SET revoked_at = $1 WHERE collector_id = $2 AND revoked_at IS NULL", [
          input.now,
          id,
        ]);
        await tx.query("UPDATE collectors SET version = $1, labels = $2 WHERE id = $3", [
          input.version,
          JSON.stringify(input.labels),
          id,
        ]);
      } else {
        await tx.query(
          "INSERT INTO collectors (id, hostname, type, version, labels, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6)",
          [id, input.hostname, input.type, input.version, JSON.stringify(input.labels), input.now],
        );
      }
      for (const c of input.credentials) {
        await tx.query(
          `INSERT INTO credentials (id, kind, collector_id, secret_hash, created_at, expires_at, revoked_at)
           VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
          [c.id, c.kind, id, c.secretHash, c.createdAt, c.expiresAt],
        );
      }
      const row = (await tx.query("SELECT * FROM collectors WHERE id = $1", [id])).rows[0] as CollectorRow;
      return { collector: toCollector(row), replaced: existing !== undefined };
    });
  }

  async getCollector(id: string): Promise<CollectorRecord | null> {
    const row = await this.one<CollectorRow>("SELECT * FROM collectors WHERE id = $1", [id]);
    return row ? toCollector(row) : null;
  }

  async listCollectors(): Promise<CollectorRecord[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const rows = await this.query<CollectorRow>(
      'SELECT * FROM collectors ORDER BY hostname COLLATE "C", type COLLATE "C"',
    );
    return rows.map(toCollector);
  }

  async updateCollector(id: string, patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>): Promise<void> {
    await patchCollector(this.pool, id, patch);
  }

  async deregisterCollector(id: string, now: number): Promise<boolean> {
    return this.transaction(async (tx) => {
      await tx.query("UPDATE credentials SET revoked_at = $1 WHERE collector_id = $2 AND revoked_at IS NULL", [
        now,
        id,
      ]);
      await tx.query("DELETE FROM throughput WHERE collector_id = $1", [id]);
      await tx.query("DELETE FROM rate_state WHERE collector_id = $1", [id]);
      return (await tx.query("DELETE FROM collectors WHERE id = $1", [id])).rowCount === 1;
    });
  }

  async getCredential(id: string): Promise<CredentialRecord | null> {
    const row = await this.one<CredentialRow>("SELECT * FROM credentials WHERE id = $1", [id]);
    return row ? toCredential(row) : null;
  }

  async addEvent(event: NewEvent): Promise<EventRecord> {
    return insertEvent(this.pool, event);
  }

  async listEvents(collectorId: string, options: { limit?: number; before?: number } = {}): Promise<EventRecord[]> {
    const rows = await this.query<EventRow>(
      "SELECT * FROM events WHERE collector_id = $1 AND time < $2 ORDER BY time DESC, seq DESC LIMIT $3",
      [collectorId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit ?? 200],
    );
    return rows.map(toEvent);
  }

  async getAgentLink(collectorId: string): Promise<AgentLinkRecord | null> {
    const row = await this.one<AgentLinkRow>("SELECT * FROM agent_links WHERE collector_id = $1", [collectorId]);
    return row ? toAgentLink(row) : null;
  }

  async listAgentLinks(): Promise<AgentLinkRecord[]> {
    return (await this.query<AgentLinkRow>("SELECT * FROM agent_links")).map(toAgentLink);
  }

  async saveAgentLink(link: AgentLinkRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO agent_links (collector_id, acked_seq, connected_at, disconnected_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (collector_id) DO UPDATE SET acked_seq = excluded.acked_seq,
         connected_at = excluded.connected_at, disconnected_at = excluded.disconnected_at`,
      [link.collectorId, link.ackedSeq, link.connectedAt, link.disconnectedAt],
    );
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.pool.query("INSERT INTO sessions (id_hash, created_at, expires_at) VALUES ($1, $2, $3)", [
      session.idHash,
      session.createdAt,
      session.expiresAt,
    ]);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = await this.one("SELECT * FROM sessions WHERE id_hash = $1", [idHash]);
    return row ? { idHash: str(row.id_hash), createdAt: num(row.created_at), expiresAt: num(row.expires_at) } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.pool.query("DELETE FROM sessions WHERE expires_at <= $1", [now])).rowCount ?? 0;
  }

  async writeIngestBatch(batch: IngestBatch): Promise<void> {
    await this.transaction(async (tx) => {
      const ids = [...new Set([...(batch.throughput ?? []), ...(batch.rateStates ?? [])].map((r) => r.collectorId))];
      // Rows of a collector deregistered meanwhile are dropped rather than resurrected.
      const live =
        ids.length === 0
          ? new Set<string>()
          : new Set((await tx.query("SELECT id FROM collectors WHERE id = ANY($1)", [ids])).rows.map((r) => r.id));
      const rows = (batch.throughput ?? []).filter((t) => live.has(t.collectorId));
      if (rows.length > 0) {
        // One statement for the whole batch; a row written later by another replica is not overwritten.
        await tx.query(
          `INSERT INTO throughput (collector_id, via, series_key, component_id, component_path, signal, direction,
             raw_value, rate_per_second, time_ms, updated_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[], $7::text[],
             $8::float8[], $9::float8[], $10::float8[], $11::bigint[])
           ON CONFLICT (collector_id, via, series_key) DO UPDATE SET component_id = excluded.component_id,
             component_path = excluded.component_path, signal = excluded.signal, direction = excluded.direction,
             raw_value = excluded.raw_value, rate_per_second = excluded.rate_per_second, time_ms = excluded.time_ms,
             updated_at = excluded.updated_at
           WHERE throughput.updated_at <= excluded.updated_at`,
          [
            rows.map((t) => t.collectorId),
            rows.map((t) => t.via),
            rows.map((t) => Buffer.from(t.seriesKey, "utf8")),
            rows.map((t) => t.componentId),
            rows.map((t) => t.componentPath),
            rows.map((t) => t.signal),
            rows.map((t) => t.direction),
            rows.map((t) => t.rawValue),
            rows.map((t) => t.ratePerSecond),
            rows.map((t) => t.timeMs),
            rows.map((t) => t.updatedAt),
          ],
        );
      }
      for (const r of batch.removeThroughput ?? []) {
        await tx.query("DELETE FROM throughput WHERE collector_id = $1 AND via = $2 AND series_key = $3", [
          r.collectorId,
          r.via,
          Buffer.from(r.seriesKey, "utf8"),
        ]);
      }
      for (const r of batch.rateStates ?? []) {
        if (!live.has(r.collectorId)) continue;
        await tx.query(
          `INSERT INTO rate_state (collector_id, via, state) VALUES ($1, $2, $3)
           ON CONFLICT (collector_id, via) DO UPDATE SET state = excluded.state`,
          [r.collectorId, r.via, r.state],
        );
      }
      for (const c of batch.collectors ?? []) await patchCollector(tx, c.id, c.patch);
      for (const e of batch.events ?? []) await insertEvent(tx, e);
    });
  }

  async listThroughput(collectorId?: string): Promise<ThroughputRecord[]> {
    const rows =
      collectorId === undefined
        ? await this.query("SELECT * FROM throughput")
        : await this.query("SELECT * FROM throughput WHERE collector_id = $1", [collectorId]);
    return rows.map(toThroughput);
  }

  async listRateStates(): Promise<RateStateRecord[]> {
    const rows = await this.query("SELECT * FROM rate_state");
    return rows.map((r) => ({ collectorId: str(r.collector_id), via: r.via as ThroughputVia, state: str(r.state) }));
  }

  async updateRateState<T>(
    collectorId: string,
    via: ThroughputVia,
    step: (state: string | null) => { state: string; result: T },
  ): Promise<T | null> {
    return this.transaction(async (tx) => {
      // Pushes of one collector landing on different replicas take turns on this lock. Not a row lock: the
      // write-behind's transaction updates collector rows for a while and must not hold pushes up.
      await tx.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_SPACE.rates, `${collectorId}/${via}`]);
      const found = await tx.query(
        `SELECT c.id, r.state FROM collectors c LEFT JOIN rate_state r ON r.collector_id = c.id AND r.via = $2
         WHERE c.id = $1`,
        [collectorId, via],
      );
      const row = found.rows[0] as Row | undefined;
      if (!row) return null;
      const { state, result } = step(row.state === null ? null : str(row.state));
      await tx.query(
        `INSERT INTO rate_state (collector_id, via, state) VALUES ($1, $2, $3)
         ON CONFLICT (collector_id, via) DO UPDATE SET state = excluded.state`,
        [collectorId, via, state],
      );
      return result;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async saveSnapshot(r: SnapshotRecord, archive: Buffer, keep: number): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO snapshots (id, collector_id, marker_id, file_name, size_bytes, sha256, truncated, created_at, archive)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [r.id, r.collectorId, r.markerId, r.fileName, r.sizeBytes, r.sha256, r.truncated, r.createdAt, archive],
      );
      await tx.query(
        `DELETE FROM snapshots WHERE collector_id = $1 AND id NOT IN
           (SELECT id FROM snapshots WHERE collector_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2)`,
        [r.collectorId, Math.max(1, keep)],
      );
    });
  }

  async listSnapshots(collectorId: string): Promise<SnapshotRecord[]> {
    const rows = await this.query(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE collector_id = $1 ORDER BY created_at DESC, seq DESC`,
      [collectorId],
    );
    return rows.map(toSnapshot);
  }

  async getSnapshot(collectorId: string, id: string): Promise<{ record: SnapshotRecord; archive: Buffer } | null> {
    const row = await this.one("SELECT * FROM snapshots WHERE collector_id = $1 AND id = $2", [collectorId, id]);
    return row ? { record: toSnapshot(row), archive: row.archive as Buffer } : null;
  }

  async saveDoctorVerdict(r: DoctorVerdictRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO doctor_verdicts (collector_id, verdict, at) VALUES ($1, $2, $3)
       ON CONFLICT (collector_id) DO UPDATE SET verdict = excluded.verdict, at = excluded.at`,
      [r.collectorId, JSON.stringify(r.verdict), r.at],
    );
  }

  async getDoctorVerdict(collectorId: string): Promise<DoctorVerdictRecord | null> {
    const row = await this.one("SELECT * FROM doctor_verdicts WHERE collector_id = $1", [collectorId]);
    return row
      ? {
          collectorId: str(row.collector_id),
          verdict: JSON.parse(str(row.verdict)) as DoctorVerdictRecord["verdict"],
          at: num(row.at),
        }
      : null;
  }
}

async function patchCollector(
  db: Queryable,
  id: string,
  patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>,
): Promise<void> {
  const { columns, values } = collectorPatchColumns(patch);
  if (columns.length === 0) return;
  const sets = columns.map((column, i) => `${column} = $${i + 1}`).join(", ");
  await db.query(`UPDATE collectors SET ${sets} WHERE id = $${values.length + 1}`, [...values, id]);
}

async function insertEvent(db: Queryable, event: NewEvent): Promise<EventRecord> {
  const record: EventRecord = { ...event, id: event.id ?? randomUUID() };
  await db.query(
    `INSERT INTO events (id, collector_id, type, severity, message, detail, time) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [
      record.id,
      record.collectorId,
      record.type,
      record.severity,
      // PostgreSQL text cannot hold NUL (SQLite can); an agent-reported message is kept readable instead.
      record.message.replaceAll("\u0000", "\ufffd"),
      JSON.stringify(record.detail),
      record.time,
    ],
  );
  return record;
}

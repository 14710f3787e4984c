import { randomUUID } from "node:crypto";
import pg from "pg";
import type { PostgresStore } from "../store/index.js";
import type { Bus } from "./bus.js";
import { packSignals, parseEnvelope, type Signal } from "./signals.js";

export const CHANNEL = "linkmesh_cluster";
/** Milliseconds on the database's clock, so replicas with skewed clocks agree on who is alive. */
const DB_NOW = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export interface PgBusOptions {
  /** Signals are sent batched this often (default 50 ms). */
  batchMs?: number;
  /** Liveness heartbeat and presence refresh (default 1 s). */
  heartbeatMs?: number;
  /** A replica silent this long is dead; its agent links count as gone (default 5 s). */
  replicaTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

type Handler = Parameters<Bus["subscribe"]>[0];

/** LISTEN/NOTIFY on one dedicated connection; presence and replies in the store's `cluster_*` tables. */
export class PgBus implements Bus {
  readonly replicaId = randomUUID();
  private readonly handlers: Handler[] = [];
  private queue: Signal[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private remote: ReadonlySet<string> = new Set();
  private readonly ticker: NodeJS.Timeout;
  private closed = false;
  private ticks = 0;
  private sending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: PostgresStore,
    private readonly url: string,
    private readonly options: PgBusOptions,
  ) {
    this.ticker = setInterval(() => void this.tick(), options.heartbeatMs ?? 1_000);
    this.ticker.unref();
  }

  static async start(store: PostgresStore, options: PgBusOptions = {}): Promise<PgBus> {
    const bus = new PgBus(store, store.url, options);
    await bus.listen();
    await bus.tick();
    return bus;
  }

  publish(signal: Signal): void {
    if (this.closed) return;
    this.queue.push(signal);
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, this.options.batchMs ?? 50);
  }

  subscribe(handler: Handler): void {
    this.handlers.push(handler);
  }

  remoteAgents(): ReadonlySet<string> {
    return this.remote;
  }

  async claimAgent(collectorId: string): Promise<void> {
    await this.store.query(
      `INSERT INTO cluster_agents (collector_id, replica_id, since) VALUES ($1, $2, ${DB_NOW})
       ON CONFLICT (collector_id) DO UPDATE SET replica_id = excluded.replica_id, since = excluded.since`,
      [collectorId, this.replicaId],
    );
    const next = new Set(this.remote);
    next.delete(collectorId);
    this.remote = next;
    this.publish({ kind: "agent_claimed", collectorId });
  }

  async releaseAgent(collectorId: string): Promise<void> {
    await this.store.query("DELETE FROM cluster_agents WHERE collector_id = $1 AND replica_id = $2", [
      collectorId,
      this.replicaId,
    ]);
  }

  async putReply(requestId: string, body: string): Promise<void> {
    await this.store.query(`INSERT INTO cluster_replies (request_id, body, at) VALUES ($1, $2, ${DB_NOW})`, [
      requestId,
      body,
    ]);
  }

  async takeReply(requestId: string): Promise<string | null> {
    const rows = await this.store.query("DELETE FROM cluster_replies WHERE request_id = $1 RETURNING body", [
      requestId,
    ]);
    return rows[0] ? String(rows[0].body) : null;
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flush();
    this.closed = true;
    clearInterval(this.ticker);
    await this.sending;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.store
      .query("DELETE FROM cluster_agents WHERE replica_id = $1", [this.replicaId])
      .then(() => this.store.query("DELETE FROM cluster_replicas WHERE id = $1", [this.replicaId]))
      .catch(() => undefined);
  }

  private flush(): Promise<void> {
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0 || this.closed) return this.sending;
    const payloads = packSignals(this.replicaId, queued);
    this.sending = this.sending.then(async () => {
      for (const payload of payloads) {
        await this.store.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]).catch(this.options.onError);
      }
    });
    return this.sending;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const envelope = parseEnvelope(message.payload);
      if (!envelope || envelope.from === this.replicaId) return;
      for (const signal of envelope.signals) {
        if ("to" in signal && signal.to !== undefined && signal.to !== this.replicaId) continue;
        if (signal.kind === "agent_claimed") this.remote = new Set(this.remote).add(signal.collectorId);
        for (const handler of this.handlers) handler(signal, envelope.from);
      }
    });
    const reconnect = () => {
      if (this.closed || this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      setTimeout(() => {
        if (this.closed) return;
        this.listen()
          .then(() => {
            for (const handler of this.handlers) handler({ kind: "resync" }, this.replicaId);
          })
          .catch((error: unknown) => {
            this.options.onError?.(error);
            reconnect();
          });
      }, 1_000).unref();
    };
    client.on("error", reconnect);
    client.on("end", reconnect);
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  }

  /** Heartbeat, and the refreshed list of agents held by other live replicas. */
  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      await this.store.query(
        `INSERT INTO cluster_replicas (id, seen_at) VALUES ($1, ${DB_NOW})
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
        [this.replicaId],
      );
      const rows = await this.store.query(
        `SELECT a.collector_id FROM cluster_agents a JOIN cluster_replicas r ON r.id = a.replica_id
         WHERE a.replica_id <> $1 AND r.seen_at > ${DB_NOW} - $2`,
        [this.replicaId, this.options.replicaTimeoutMs ?? 5_000],
      );
      this.remote = new Set(rows.map((r) => String(r.collector_id)));
      // Replies nobody collected (the asker died) and long-dead replicas are swept now and then.
      if (this.ticks++ % 60 !== 0) return;
      await this.store.query(`DELETE FROM cluster_replies WHERE at < ${DB_NOW} - 600000`);
      await this.store.query(`DELETE FROM cluster_replicas WHERE seen_at < ${DB_NOW} - 86400000`);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

// Row <-> record mapping both engines share: the column names and JSON-as-text encoding are the same in SQLite and
// PostgreSQL (which parses BIGINT as a JS number). Engine-specific columns (BYTEA series keys, boolean flags) stay
// in each engine.

import type { CollectorType } from "../../common/model/index.js";
import type { EventSeverity, EventType } from "../../common/protocol/index.js";
import type {
  AgentLinkRecord,
  CollectorRecord,
  CredentialRecord,
  EnrollmentTokenRecord,
  EventRecord,
} from "./types.js";

export interface CollectorRow {
  id: string;
  hostname: string;
  type: string;
  version: string | null;
  labels: string;
  enrolled_at: number;
  last_push_at: number | null;
  last_rejection: string | null;
  graph: string | null;
  host_metrics: string;
  host_metrics_at: number | null;
}

export interface TokenRow {
  id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  max_uses: number;
  uses: number;
  labels: string;
  revoked_at: number | null;
}

export interface CredentialRow {
  id: string;
  kind: string;
  collector_id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface EventRow {
  id: string;
  collector_id: string;
  type: string;
  severity: string;
  message: string;
  detail: string;
  time: number;
}

export interface AgentLinkRow {
  collector_id: string;
  acked_seq: number;
  connected_at: number | null;
  disconnected_at: number | null;
}

export function toCollector(row: CollectorRow): CollectorRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    type: row.type as CollectorType,
    version: row.version,
    labels: JSON.parse(row.labels) as Record<string, string>,
    enrolledAt: row.enrolled_at,
    lastPushAt: row.last_push_at,
    lastRejection: row.last_rejection ? (JSON.parse(row.last_rejection) as CollectorRecord["lastRejection"]) : null,
    graph: row.graph ? (JSON.parse(row.graph) as CollectorRecord["graph"]) : null,
    hostMetrics: JSON.parse(row.host_metrics) as Record<string, number>,
    hostMetricsAt: row.host_metrics_at,
  };
}

export function toToken(row: TokenRow): EnrollmentTokenRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: row.uses,
    labels: JSON.parse(row.labels) as Record<string, string>,
    revokedAt: row.revoked_at,
  };
}

export function toCredential(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    kind: row.kind as CredentialRecord["kind"],
    collectorId: row.collector_id,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    collectorId: row.collector_id,
    type: row.type as EventType,
    severity: row.severity as EventSeverity,
    message: row.message,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    time: row.time,
  };
}

export function toAgentLink(row: AgentLinkRow): AgentLinkRecord {
  return {
    collectorId: row.collector_id,
    ackedSeq: row.acked_seq,
    connectedAt: row.connected_at,
    disconnectedAt: row.disconnected_at,
  };
}

const COLLECTOR_COLUMNS: Record<string, { column: string; encode: (v: unknown) => unknown }> = {
  hostname: { column: "hostname", encode: (v) => v },
  type: { column: "type", encode: (v) => v },
  version: { column: "version", encode: (v) => v },
  labels: { column: "labels", encode: (v) => JSON.stringify(v) },
  lastPushAt: { column: "last_push_at", encode: (v) => v },
  lastRejection: { column: "last_rejection", encode: (v) => (v === null ? null : JSON.stringify(v)) },
  graph: { column: "graph", encode: (v) => (v === null ? null : JSON.stringify(v)) },
  hostMetrics: { column: "host_metrics", encode: (v) => JSON.stringify(v) },
  hostMetricsAt: { column: "host_metrics_at", encode: (v) => v },
};

/** The columns a collector patch sets and their encoded values, in the same order; undefined fields are skipped. */
export function collectorPatchColumns(patch: Partial<Omit<CollectorRecord, "id" | "enrolledAt">>): {
  columns: string[];
  values: unknown[];
} {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = COLLECTOR_COLUMNS[key];
    if (!column || value === undefined) continue;
    columns.push(column.column);
    values.push(column.encode(value));
  }
  return { columns, values };
}

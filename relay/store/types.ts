import type { CollectorType, ComponentGraph } from "../../common/model/index.js";
import type { EventSeverity, EventType, TokenKind } from "../../common/protocol/index.js";

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

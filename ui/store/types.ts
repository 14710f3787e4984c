// What the UI knows about the fleet: plain shapes mirroring /api/v1 answers after validation (see parse.ts).
import type { CollectorType, ComponentKind } from "../../common/model/index.js";

export type RateWindow = "1m" | "5m" | "1h";
export const RATE_WINDOWS: readonly RateWindow[] = ["1m", "5m", "1h"];

export interface TopologyComponent {
  id: string;
  kind: ComponentKind;
  type: string;
}

export interface TopologyEdge {
  from: string;
  to: string;
  signal: string | null;
  /** null until the relay has two samples. */
  ratePerSecond: number | null;
  failedPerSecond: number | null;
  /** The relay's edge state (e.g. active, waiting, stale, orphan); unknown values are kept as-is. */
  state: string;
  /** When the rate was last updated, ms since the epoch. */
  updatedAt: number | null;
  via: string;
  /** The relay's own explanation when the edge is inactive, if it gives one. */
  reason: string | null;
}

export interface TopologyCollector {
  id: string;
  hostname: string;
  type: CollectorType | string;
  version: string | null;
  /** healthy / degraded / no_telemetry / agent_offline (as the relay says). */
  status: string;
  statusReason: string | null;
  hostMetrics: Record<string, number>;
  lastPushAt: number | null;
  components: TopologyComponent[];
  edges: TopologyEdge[];
}

export interface Topology {
  collectors: TopologyCollector[];
  /** The relay's clock when it built this topology (ms), if it says. */
  generatedAt?: number | null;
}

export interface CollectorSummary {
  id: string;
  hostname: string;
  type: string;
  version: string | null;
  labels: Record<string, string>;
  enrolledAt: number | null;
  lastPushAt: number | null;
  lastRejection: { reason: string; at: number } | null;
  hostMetrics: Record<string, number>;
}

export interface CollectorEvent {
  id: string;
  type: string;
  severity: string;
  message: string;
  detail: Record<string, unknown>;
  time: number;
}

export interface TokenSummary {
  id: string;
  createdAt: number | null;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number | null;
  labels: Record<string, string>;
  state: string;
}

export interface MintedToken {
  id: string;
  token: string;
  expiresAt: number | null;
}

export interface MintRequest {
  expiresIn?: string;
  maxUses?: number;
  labels?: Record<string, string>;
}

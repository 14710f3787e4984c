// What the UI knows about the fleet: plain shapes mirroring /api/v1 answers after validation (see parse.ts).
import type { CollectorType, ComponentKind } from "../../common/model/index.js";
import type { CheckStatus } from "../../common/protocol/index.js";

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

/** One doctor check as the relay relays it: status, what was seen, and the exact next step when it failed. */
export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  evidence: string[];
  fix: string;
}

export interface DoctorVerdictView {
  ok: boolean;
  /** Id of the first failing check (null when all passed). */
  stuckAt: string | null;
  checks: DoctorCheck[];
}

/** The last verdict the relay kept: when it ran (relay clock) and how old the relay said it was when we asked. */
export interface DoctorRecord {
  verdict: DoctorVerdictView;
  at: number;
  ageSeconds: number;
  /** Browser clock when the answer arrived: age now = ageSeconds + (now - receivedAt), immune to clock skew. */
  receivedAt: number;
}

export interface SnapshotSummary {
  id: string;
  markerId: string;
  fileName: string;
  sizeBytes: number;
  truncated: boolean;
  createdAt: number;
  /** Where the browser downloads it (the session cookie authorises the GET). */
  href: string;
}

/** A diagnostics action's life cycle: idle -> running -> idle (done) | failed (with the relay's reason). */
export type ActionState =
  | { state: "idle" }
  | { state: "running"; since: number }
  | { state: "failed"; reason: string; message: string; at: number };

export interface CollectorDiagnostics {
  /** undefined until loaded; null when doctor has never run for this collector. */
  doctor: DoctorRecord | null | undefined;
  doctorRun: ActionState;
  /** Newest first; undefined until loaded. */
  snapshots: SnapshotSummary[] | undefined;
  snapshotRun: ActionState;
  /** Loading the last verdict or the list failed (not the actions). */
  loadError: string | null;
}

// Validation of relay answers: everything from the network is `unknown` until it passes through here.
// Lenient on extra fields and on optional ones, strict on what the UI needs to draw.
import type {
  CollectorEvent,
  CollectorSummary,
  DoctorCheck,
  DoctorRecord,
  MintedToken,
  SnapshotSummary,
  TokenSummary,
  Topology,
  TopologyCollector,
  TopologyComponent,
  TopologyEdge,
} from "./types.js";

/** A relay answer the UI cannot use; `reason` is machine-readable, the message says what was wrong. */
export class ApiShapeError extends Error {
  readonly reason = "unexpected_api_shape";
  constructor(where: string, what: string) {
    super(`The relay answered ${where} with an unexpected shape (${what}). Is the UI newer than the relay?`);
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new ApiShapeError(where, "not an object");
  return v;
}

function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new ApiShapeError(where, "not a list");
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== "string") throw new ApiShapeError(where, "missing text");
  return v;
}

function optStr(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function optNum(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Accepts ISO strings or epoch milliseconds. */
function optTime(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function numberRecord(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === "number" && Number.isFinite(x)) out[k] = x;
  return out;
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

const KINDS = new Set(["source", "processor", "destination"]);

function parseComponent(v: unknown, where: string): TopologyComponent {
  const o = obj(v, where);
  const kind = str(o.kind, `${where}.kind`);
  if (!KINDS.has(kind)) throw new ApiShapeError(`${where}.kind`, `unknown kind ${kind}`);
  return { id: str(o.id, `${where}.id`), kind: kind as TopologyComponent["kind"], type: optStr(o.type) ?? "" };
}

function parseEdge(v: unknown, where: string): TopologyEdge {
  const o = obj(v, where);
  return {
    from: str(o.from, `${where}.from`),
    to: str(o.to, `${where}.to`),
    signal: optStr(o.signal),
    ratePerSecond: optNum(o.ratePerSecond),
    failedPerSecond: optNum(o.failedPerSecond),
    state: optStr(o.state) ?? (optNum(o.ratePerSecond) === null ? "waiting" : "active"),
    updatedAt: optTime(o.updatedAt),
    via: optStr(o.via) ?? "otlp",
    reason: optStr(o.reason) ?? optStr(o.inactiveReason),
  };
}

/** `status` may be a plain word with a sibling reason, or `{ state | status, reason }`. */
function parseStatus(o: Obj): { status: string; statusReason: string | null } {
  const s = o.status;
  if (isObj(s)) {
    return {
      status: optStr(s.state) ?? optStr(s.status) ?? optStr(s.value) ?? "unknown",
      statusReason: optStr(s.reason) ?? optStr(s.message),
    };
  }
  return { status: optStr(s) ?? "unknown", statusReason: optStr(o.statusReason) ?? optStr(o.reason) };
}

export function parseTopologyCollector(v: unknown, where = "collector"): TopologyCollector {
  const o = obj(v, where);
  return {
    id: str(o.id, `${where}.id`),
    hostname: optStr(o.hostname) ?? str(o.id, `${where}.id`),
    type: optStr(o.type) ?? "unknown",
    version: optStr(o.version),
    ...parseStatus(o),
    hostMetrics: numberRecord(o.hostMetrics ?? o.host),
    lastPushAt: optTime(o.lastPushAt),
    components: arr(o.components ?? [], `${where}.components`).map((c, i) =>
      parseComponent(c, `${where}.components[${i}]`),
    ),
    edges: arr(o.edges ?? [], `${where}.edges`).map((e, i) => parseEdge(e, `${where}.edges[${i}]`)),
  };
}

export function parseTopology(v: unknown): Topology {
  const o = obj(v, "/api/v1/topology");
  return {
    collectors: arr(o.collectors, "/api/v1/topology collectors").map((c, i) =>
      parseTopologyCollector(c, `collectors[${i}]`),
    ),
    generatedAt: optTime(o.generatedAt),
  };
}

export function parseCollectors(v: unknown): CollectorSummary[] {
  const o = obj(v, "/api/v1/collectors");
  return arr(o.collectors, "/api/v1/collectors collectors").map((x, i) => {
    const c = obj(x, `collectors[${i}]`);
    const rejection = isObj(c.lastRejection) ? c.lastRejection : null;
    const rejectedAt = rejection ? optTime(rejection.at) : null;
    return {
      id: str(c.id, `collectors[${i}].id`),
      hostname: optStr(c.hostname) ?? str(c.id, `collectors[${i}].id`),
      type: optStr(c.type) ?? "unknown",
      version: optStr(c.version),
      labels: stringRecord(c.labels),
      enrolledAt: optTime(c.enrolledAt),
      lastPushAt: optTime(c.lastPushAt),
      lastRejection:
        rejection && rejectedAt !== null ? { reason: optStr(rejection.reason) ?? "unknown", at: rejectedAt } : null,
      hostMetrics: numberRecord(c.hostMetrics),
    };
  });
}

export function parseEvents(v: unknown): CollectorEvent[] {
  const o = obj(v, "events");
  return arr(o.events, "events").map((x, i) => {
    const e = obj(x, `events[${i}]`);
    return {
      id: optStr(e.id) ?? String(i),
      type: str(e.type, `events[${i}].type`),
      severity: optStr(e.severity) ?? "info",
      message: optStr(e.message) ?? "",
      detail: isObj(e.detail) ? e.detail : {},
      time: optTime(e.time) ?? 0,
    };
  });
}

export function parseTokens(v: unknown): TokenSummary[] {
  const o = obj(v, "/api/v1/tokens");
  return arr(o.tokens, "/api/v1/tokens tokens").map((x, i) => {
    const t = obj(x, `tokens[${i}]`);
    return {
      id: str(t.id, `tokens[${i}].id`),
      createdAt: optTime(t.createdAt),
      expiresAt: optTime(t.expiresAt),
      maxUses: optNum(t.maxUses),
      uses: optNum(t.uses),
      labels: stringRecord(t.labels),
      state: optStr(t.state) ?? "active",
    };
  });
}

export function parseMinted(v: unknown): MintedToken {
  const o = obj(v, "POST /api/v1/tokens");
  return { id: str(o.id, "minted.id"), token: str(o.token, "minted.token"), expiresAt: optTime(o.expiresAt) };
}

const CHECK_STATUSES = new Set<DoctorCheck["status"]>(["ok", "fail", "skipped"]);

function parseCheck(v: unknown, where: string): DoctorCheck {
  const o = obj(v, where);
  const status = str(o.status, `${where}.status`);
  if (!CHECK_STATUSES.has(status as DoctorCheck["status"]))
    throw new ApiShapeError(`${where}.status`, `unknown status ${status}`);
  return {
    id: str(o.id, `${where}.id`),
    title: optStr(o.title) ?? str(o.id, `${where}.id`),
    status: status as DoctorCheck["status"],
    evidence: arr(o.evidence ?? [], `${where}.evidence`).filter((e): e is string => typeof e === "string"),
    fix: optStr(o.fix) ?? "",
  };
}

/** GET/POST /api/v1/collectors/:id/doctor: `{ verdict, at, ageSeconds }`. */
export function parseDoctor(v: unknown, receivedAt: number): DoctorRecord {
  const where = "doctor";
  const o = obj(v, where);
  const verdict = obj(o.verdict, `${where}.verdict`);
  const checks = arr(verdict.checks, `${where}.verdict.checks`).map((c, i) => parseCheck(c, `checks[${i}]`));
  const at = optTime(o.at);
  if (at === null) throw new ApiShapeError(`${where}.at`, "missing time");
  // The relay names the first failing check; fall back to finding it ourselves.
  const stuckAt = optStr(verdict.stuckAt) ?? checks.find((c) => c.status === "fail")?.id ?? null;
  return {
    verdict: { ok: stuckAt === null && verdict.ok !== false, stuckAt, checks },
    at,
    ageSeconds: optNum(o.ageSeconds) ?? 0,
    receivedAt,
  };
}

/** One snapshot as GET /snapshots lists it (and POST answers); `href` comes from the caller's route table. */
export function parseSnapshot(v: unknown, where: string, href: (id: string) => string): SnapshotSummary {
  const o = obj(v, where);
  const id = str(o.id, `${where}.id`);
  const createdAt = optTime(o.createdAt);
  const sizeBytes = optNum(o.sizeBytes);
  if (createdAt === null) throw new ApiShapeError(`${where}.createdAt`, "missing time");
  if (sizeBytes === null) throw new ApiShapeError(`${where}.sizeBytes`, "missing size");
  return {
    id,
    markerId: str(o.markerId, `${where}.markerId`),
    fileName: optStr(o.fileName) ?? `${id}.tar.gz`,
    sizeBytes,
    truncated: o.truncated === true,
    createdAt,
    href: href(id),
  };
}

export function parseSnapshots(v: unknown, href: (id: string) => string): SnapshotSummary[] {
  const o = obj(v, "snapshots");
  return arr(o.snapshots, "snapshots")
    .map((s, i) => parseSnapshot(s, `snapshots[${i}]`, href))
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** A stream message that carries a whole topology (used as-is) or only says "something changed" (null). */
export function topologyFromStreamMessage(data: string): Topology | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObj(parsed)) return null;
  const candidate = isObj(parsed.topology) ? parsed.topology : parsed;
  if (!Array.isArray(candidate.collectors)) return null;
  try {
    return parseTopology(candidate);
  } catch {
    return null;
  }
}

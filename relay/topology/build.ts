// Pure: collectors + throughput rows -> the topology the canvas draws. Edges: source -> collector from receiver
// `accepted`, collector -> destination from exporter `sent` (`send_failed` apart), one per signal served.

import { classifyAlloyComponent } from "../../common/alloy-graph/index.js";
import type { Component, ComponentGraph, ComponentKind, Signal } from "../../common/model/index.js";
import { canonicalComponentId } from "../../common/telemetry/index.js";
import type { CollectorRecord, ThroughputRecord, ThroughputVia } from "../store/index.js";
import type { EdgeState, RateWindow, TopologyCollector, TopologyComponent, TopologyEdge } from "./schema.js";
import { type CollectorStatusInput, collectorStatus } from "./status.js";

/** No data newer than this: the edge is stale and the collector has "no telemetry". */
export const STALE_AFTER_MS = 2 * 60_000;
const ROOT_PATH = "/";

export interface ThroughputView extends ThroughputRecord {
  /** The rate over the requested window when history allows, else the latest-interval rate. */
  windowRatePerSecond?: number | null;
}

export interface CollectorInput {
  record: CollectorRecord;
  rows: readonly ThroughputView[];
  agentConnected: boolean;
  /** The agent has connected at least once (so its absence means something). */
  agentKnown: boolean;
  agentDisconnectedAt: number | null;
}

/** The id a row's component has in the graph: otelcol graph ids may be section-qualified (`receiver:otlp`). */
export function graphIdsOf(component: Component): string[] {
  if (!component.otelcol) return [component.id];
  // For most otelcol ids the canonical spelling is the id itself: list it once, or its rows count twice.
  return [...new Set([component.id, canonicalComponentId(component.otelcol.id)])];
}

export function buildCollectorTopology(input: CollectorInput, now: number, window: RateWindow): TopologyCollector {
  const { record } = input;
  const rootRows = input.rows.filter((r) => r.componentPath === ROOT_PATH);
  const fromGraph = record.graph !== null && record.graph.components.length > 0;
  const components = fromGraph ? (record.graph?.components ?? []) : deriveComponents(record, rootRows);
  const byComponent = new Map<string, ThroughputView[]>();
  for (const row of rootRows) {
    const list = byComponent.get(row.componentId);
    if (list) list.push(row);
    else byComponent.set(row.componentId, [row]);
  }

  const feeders = fromGraph ? sourcesFeedingSources(record.graph ?? { components: [], edges: [] }) : new Set<string>();
  const edges: TopologyEdge[] = [];
  for (const component of components) {
    if (component.kind === "processor") continue;
    const rows = graphIdsOf(component).flatMap((id) => byComponent.get(id) ?? []);
    // prometheus.exporter.* / discovery.* hand targets to a scrape: the data enters through the scrape's edge.
    if (rows.length === 0 && feeders.has(component.id)) continue;
    for (const signal of signalsOf(component, rows)) {
      edges.push(edgeFor(record.id, component, signal, rows, now, window));
    }
  }

  const otlpFresh = record.lastPushAt !== null && now - record.lastPushAt <= STALE_AFTER_MS;
  const agentFresh = input.rows.some((r) => r.via === "agent" && now - r.updatedAt <= STALE_AFTER_MS);
  const statusInput: CollectorStatusInput = {
    now,
    lastPushAt: record.lastPushAt,
    lastRejection: record.lastRejection,
    otlpFresh,
    agentFresh,
    agentConnected: input.agentConnected,
    agentKnown: input.agentKnown,
    agentDisconnectedAt: input.agentDisconnectedAt,
    failingEdges: edges
      .filter((e) => (e.failedPerSecond ?? 0) > 0)
      .map((e) => ({ component: e.from === record.id ? e.to : e.from, failedPerSecond: e.failedPerSecond ?? 0 })),
  };

  return {
    id: record.id,
    hostname: record.hostname,
    type: record.type,
    version: record.version,
    status: collectorStatus(statusInput),
    lastPushAt: iso(record.lastPushAt),
    agentConnected: input.agentConnected,
    hostMetrics: finiteOnly(record.hostMetrics),
    hostMetricsAt: iso(record.hostMetricsAt),
    graphSource: fromGraph ? "graph" : "series",
    components: components.map((c): TopologyComponent => ({ id: c.id, kind: c.kind, type: c.type })),
    edges,
  };
}

/** Sources whose only job is to feed another source (exporter or discovery targets to a scrape). */
function sourcesFeedingSources(graph: ComponentGraph): Set<string> {
  const kindOf = new Map(graph.components.map((c) => [c.id, c.kind]));
  const feeders = new Set<string>();
  for (const edge of graph.edges) {
    if (kindOf.get(edge.from) === "source" && kindOf.get(edge.to) === "source") feeders.add(edge.from);
  }
  return feeders;
}

const SOURCE_DIRECTIONS = { ok: ["accepted"], failed: ["refused"], fallback: ["out"] } as const;
const DESTINATION_DIRECTIONS = { ok: ["sent"], failed: ["send_failed"], fallback: [] } as const;

function edgeFor(
  collectorId: string,
  component: Component,
  signal: Signal,
  allRows: readonly ThroughputView[],
  now: number,
  window: RateWindow,
): TopologyEdge {
  const isSource = component.kind === "source";
  const directions = isSource ? SOURCE_DIRECTIONS : DESTINATION_DIRECTIONS;
  const rows = allRows.filter((r) => r.signal === signal);
  const via = pickVia(rows, now);
  const chosen = via === null ? rows : rows.filter((r) => r.via === via);
  let okRows = chosen.filter((r) => (directions.ok as readonly string[]).includes(r.direction));
  if (okRows.length === 0)
    okRows = chosen.filter((r) => (directions.fallback as readonly string[]).includes(r.direction));
  const failedRows = chosen.filter((r) => (directions.failed as readonly string[]).includes(r.direction));
  const rate = sumRates(okRows, window);
  const failed = sumRates(failedRows, window);
  const updatedAt = Math.max(0, ...chosen.map((r) => r.updatedAt));
  const { state, reason } = edgeState(okRows.length > 0, via !== null, rate, via);
  return {
    from: isSource ? component.id : collectorId,
    to: isSource ? collectorId : component.id,
    signal,
    ratePerSecond: via === null ? null : rate,
    failedPerSecond: via === null ? null : failed,
    state,
    reason,
    updatedAt: updatedAt > 0 ? new Date(updatedAt).toISOString() : null,
    via,
  };
}

/** The collector's own push wins while fresh; the agent's scrape is the fallback. */
function pickVia(rows: readonly ThroughputView[], now: number): ThroughputVia | null {
  for (const via of ["otlp", "agent"] as const) {
    if (rows.some((r) => r.via === via && now - r.updatedAt <= STALE_AFTER_MS)) return via;
  }
  return null;
}

function sumRates(rows: readonly ThroughputView[], window: RateWindow): number | null {
  let sum: number | null = null;
  for (const row of rows) {
    const rate = window === "30s" ? row.ratePerSecond : (row.windowRatePerSecond ?? row.ratePerSecond);
    if (rate !== null) sum = (sum ?? 0) + rate;
  }
  return sum;
}

function edgeState(
  hasRows: boolean,
  fresh: boolean,
  rate: number | null,
  via: ThroughputVia | null,
): { state: EdgeState; reason: string | null } {
  if (!hasRows && !fresh) return { state: "no_data", reason: "no throughput reported for this component" };
  if (!fresh) return { state: "stale", reason: "no OTLP push for 2 m" };
  if (!hasRows) return { state: "no_data", reason: "no throughput reported for this component" };
  if (rate === null) return { state: "waiting", reason: "waiting for second sample" };
  return { state: "live", reason: via === "agent" ? "via agent" : null };
}

function signalsOf(component: Component, rows: readonly ThroughputView[]): Signal[] {
  const seen = new Set<Signal>(rows.map((r) => r.signal));
  if (seen.size > 0) return [...seen].sort();
  if (component.signals.length > 0) return [...component.signals];
  return [guessSignal(component.type)];
}

function guessSignal(type: string): Signal {
  if (type.startsWith("loki.")) return "logs";
  if (type.startsWith("pyroscope.")) return "profiles";
  return "metrics";
}

/** No graph yet: components from the series seen (kind from the Alloy kind table or from the counter direction). */
export function deriveComponents(record: CollectorRecord, rows: readonly ThroughputRecord[]): Component[] {
  const byId = new Map<string, { directions: Set<string>; signals: Set<Signal> }>();
  for (const row of rows) {
    const entry = byId.get(row.componentId) ?? { directions: new Set<string>(), signals: new Set<Signal>() };
    entry.directions.add(row.direction);
    entry.signals.add(row.signal);
    byId.set(row.componentId, entry);
  }
  const components: Component[] = [];
  for (const [id, entry] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    const type = record.type === "alloy" ? id.split(".").slice(0, -1).join(".") || id : (id.split("/")[0] ?? id);
    components.push({
      id,
      kind: kindOf(record.type, type, entry.directions),
      type,
      signals: [...entry.signals].sort(),
    });
  }
  return components;
}

function kindOf(collectorType: CollectorRecord["type"], type: string, directions: Set<string>): ComponentKind {
  if (collectorType === "alloy") return classifyAlloyComponent(type);
  if (directions.has("accepted") || directions.has("refused")) return "source";
  if (directions.has("sent") || directions.has("send_failed")) return "destination";
  return "processor";
}

function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) if (Number.isFinite(value)) out[name] = value;
  return out;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

// The relay's view of one collector as its doctor needs it: last push and rejection, own_metrics offer, throughput
// counts and the component_naming_mismatch findings that still hold. Pure: records in, view out.

import type { AgentSelfView, MismatchFinding } from "../../common/protocol/index.js";
import type { CollectorRecord, EventRecord, ThroughputRecord } from "../store/index.js";
import { graphIdsOf, STALE_AFTER_MS } from "../topology/index.js";

const ROOT_PATH = "/";
type Reason = MismatchFinding["reason"];

function reasonOf(event: EventRecord): Reason | null {
  const reason = event.detail.reason;
  return reason === "unknown component" || reason === "orphan throughput" ? reason : null;
}

/**
 * A finding holds while a root-module row names a component the graph lacks: "unknown component" only while
 * that row is still fed (a restart with the right config ends it), "orphan throughput" until its TTL drops it.
 */
export function currentMismatches(
  record: CollectorRecord,
  rows: readonly ThroughputRecord[],
  events: readonly EventRecord[],
  now: number,
): MismatchFinding[] {
  if (record.graph === null) return [];
  const known = new Set(record.graph.components.flatMap(graphIdsOf));
  const latest = new Map<string, { reason: Reason; at: number }>();
  for (const e of events) {
    const component = e.detail.component;
    const reason = reasonOf(e);
    if (e.type !== "component_naming_mismatch" || reason === null || typeof component !== "string") continue;
    const seen = latest.get(component);
    if (!seen || e.time > seen.at) latest.set(component, { reason, at: e.time });
  }
  const findings = new Map<string, MismatchFinding>();
  for (const row of rows) {
    if (row.componentPath !== ROOT_PATH || known.has(row.componentId)) continue;
    const event = latest.get(row.componentId);
    const reason = event?.reason ?? "unknown component";
    if (reason === "unknown component" && now - row.updatedAt > STALE_AFTER_MS) continue;
    const at = event?.at ?? row.updatedAt;
    const previous = findings.get(row.componentId);
    if (!previous || previous.at < at) findings.set(row.componentId, { reason, component: row.componentId, at });
  }
  return [...findings.values()].sort((a, b) => a.component.localeCompare(b.component));
}

export function buildSelfView(
  record: CollectorRecord,
  rows: readonly ThroughputRecord[],
  events: readonly EventRecord[],
  now: number,
): AgentSelfView {
  return {
    collectorId: record.id,
    hostname: record.hostname,
    collectorType: record.type,
    relayTimeMs: now,
    lastPushAt: record.lastPushAt,
    lastRejection: record.lastRejection,
    ownMetricsOffered: events.some((e) => e.type === "own_metrics_offered"),
    hostMetricsAt: record.hostMetricsAt,
    throughput: {
      rows: rows.length,
      withRate: rows.filter((r) => r.ratePerSecond !== null).length,
      nonZero: rows.filter((r) => r.ratePerSecond !== null && r.ratePerSecond > 0).length,
    },
    mismatches: currentMismatches(record, rows, events, now),
  };
}

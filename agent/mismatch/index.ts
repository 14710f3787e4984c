// Local `component_naming_mismatch`: compares the components the config declares with the ones self-telemetry
// names. Pure: a graph and recent scrapes in, mismatches out. Only the root module (`component_path="/"`) counts.

import type { CollectorType, ComponentGraph } from "../../common/model/index.js";

export type NamingMismatch =
  | { reason: "unknown component"; component: string }
  | { reason: "silent component"; component: string; intervals: number };

/**
 * Component types whose self-telemetry carries their id: the only ones whose silence means something.
 * Others (prometheus.exporter.*, local.file, otelcol.auth.*, discovery.*) legitimately emit nothing.
 */
const ALLOY_EMITTING_PREFIXES = [
  "otelcol.receiver.",
  "otelcol.processor.",
  "otelcol.exporter.",
  "otelcol.connector.",
  "prometheus.scrape",
  "prometheus.remote_write",
  "prometheus.relabel",
  "loki.write",
  "loki.process",
  "loki.relabel",
];

function expectedToEmit(collectorType: CollectorType, component: ComponentGraph["components"][number]): boolean {
  if (collectorType === "alloy") return ALLOY_EMITTING_PREFIXES.some((p) => component.type.startsWith(p));
  // otelcol: receivers and exporters report at the default ("basic"/"normal") telemetry level.
  const section = component.otelcol?.section;
  return section === "receiver" || section === "exporter";
}

/**
 * `recent`: for each of the last scrapes (oldest first), the component ids that emitted a series.
 * Unknown: named by the latest scrape but absent from the config. Silent: expected to emit but absent from
 * all of the last `silentAfter` scrapes (never reported before that many scrapes exist).
 */
export function findNamingMismatches(
  collectorType: CollectorType,
  graph: ComponentGraph,
  recent: readonly (readonly string[])[],
  silentAfter: number,
): NamingMismatch[] {
  const declared = new Set(graph.components.map((c) => c.id));
  const latest = recent.at(-1) ?? [];
  const out: NamingMismatch[] = [];
  for (const id of [...new Set(latest)].sort()) {
    if (!declared.has(id)) out.push({ reason: "unknown component", component: id });
  }
  if (recent.length >= silentAfter && silentAfter > 0) {
    const window = recent.slice(-silentAfter);
    const emitted = new Set(window.flat());
    for (const c of [...graph.components].sort((a, b) => a.id.localeCompare(b.id))) {
      if (expectedToEmit(collectorType, c) && !emitted.has(c.id)) {
        out.push({ reason: "silent component", component: c.id, intervals: silentAfter });
      }
    }
  }
  return out;
}

export function mismatchKey(m: NamingMismatch): string {
  return `${m.reason}:${m.component}`;
}

/** The sentence a person reads in status and the Events tab. */
export function describeMismatch(m: NamingMismatch): string {
  return m.reason === "unknown component"
    ? `self-telemetry names ${m.component}, which the config does not declare (renamed or removed?)`
    : `${m.component} is in the config but emitted no self-telemetry for ${m.intervals} scrapes`;
}

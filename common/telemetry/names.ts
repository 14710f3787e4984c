// Normalisation of metric names and component ids, so that every collector version compares equal.
// Canonical metric name: underscores, no `_total`, `otelcol_` prefix, no unit suffix the OTLP name lacks.

import {
  COMPONENT_TYPE_ALIASES,
  OTELCOL_PREFIX,
  PREFIXLESS_OTELCOL_FAMILIES,
  TELEMETRY_METRICS,
  type TelemetryMetric,
} from "./table.js";

const TOTAL_SUFFIX = "_total";

/** Steps that need no table: dots -> underscores, drop `_total`, restore a missing `otelcol_` prefix. */
function baseNormalize(name: string): string {
  let out = name.includes(".") ? name.replaceAll(".", "_") : name;
  if (out.endsWith(TOTAL_SUFFIX)) out = out.slice(0, -TOTAL_SUFFIX.length);
  if (!out.startsWith(OTELCOL_PREFIX) && PREFIXLESS_OTELCOL_FAMILIES.some((family) => out.startsWith(family))) {
    out = OTELCOL_PREFIX + out;
  }
  return out;
}

const BY_CANONICAL_NAME: ReadonlyMap<string, TelemetryMetric> = (() => {
  const index = new Map<string, TelemetryMetric>();
  for (const metric of TELEMETRY_METRICS) {
    const key = baseNormalize(metric.name);
    if (index.has(key)) throw new Error(`telemetry table lists ${key} twice`);
    index.set(key, metric);
  }
  return index;
})();

/**
 * `otelcol_exporter_sent_metric_points_total`, `otelcol.exporter.sent.metric_points` and
 * `exporter_sent_metric_points` all give `otelcol_exporter_sent_metric_points`;
 * `otelcol_process_memory_rss_bytes` gives `otelcol_process_memory_rss`.
 */
export function normalizeMetricName(name: string): string {
  const base = baseNormalize(name);
  if (BY_CANONICAL_NAME.has(base)) return base;
  for (const suffix of ["_bytes", "_seconds", "_ratio"] as const) {
    if (!base.endsWith(suffix)) continue;
    const stripped = base.slice(0, -suffix.length);
    const metric = BY_CANONICAL_NAME.get(stripped);
    if (metric?.kind === "host" && metric.unitSuffix === suffix) return stripped;
  }
  return base;
}

/** The table entry for a metric name in any spelling, or undefined for metrics LinkMesh does not read. */
export function lookupMetric(name: string): TelemetryMetric | undefined {
  return BY_CANONICAL_NAME.get(normalizeMetricName(name));
}

/**
 * otelcol component id `type[/name]` with renamed types mapped to their old spelling:
 * `otlp_http/relay` -> `otlphttp/relay`, `otlp_grpc` -> `otlp`. Apply to config ids and telemetry ids alike.
 */
export function canonicalComponentId(id: string): string {
  const slash = id.indexOf("/");
  const type = slash === -1 ? id : id.slice(0, slash);
  const alias = COMPONENT_TYPE_ALIASES.get(type);
  if (alias === undefined) return id;
  return slash === -1 ? alias : alias + id.slice(slash);
}

/**
 * A stable key for one series: canonical name plus attributes sorted by key.
 * Two spellings of the same series (with or without `_total`, dots or underscores in the name) share a key.
 */
export function seriesKeyOf(metricName: string, attributes: Readonly<Record<string, string>>): string {
  const keys = Object.keys(attributes).sort();
  let key = `${normalizeMetricName(metricName)}{`;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    key += `${i === 0 ? "" : ","}${JSON.stringify(k)}=${JSON.stringify(attributes[k])}`;
  }
  return `${key}}`;
}

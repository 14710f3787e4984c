// Maps one self-telemetry series to the component it counts and how items moved (accepted, sent, ...).
// Pure: series we do not read give null. Alloy keys on component_id + component_path, otelcol on its id labels.

import type { CollectorType, Signal } from "../model/index.js";
import { canonicalComponentId, lookupMetric } from "./names.js";
import { ATTRIBUTE_KEYS, type FlowDirection, type FlowMetric } from "./table.js";

export interface SeriesClass {
  /** Alloy: local component id (`otelcol.exporter.otlphttp.default`); otelcol: canonical `type[/name]`. */
  componentId: string;
  /** Alloy module path (`/`, `/remotecfg`, ...); always `/` for otelcol. */
  componentPath: string;
  signal: Signal;
  direction: FlowDirection;
}

export type Attributes = Readonly<Record<string, string | undefined>>;

const SIGNALS: ReadonlySet<string> = new Set<Signal>(["metrics", "logs", "traces", "profiles"]);
const ROOT_PATH = "/";
const SUCCESS_OUTCOME = "success";

/** First non-empty value among the spellings of an attribute key. */
export function attributeOf(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

export function classifySeries(
  metricName: string,
  attributes: Attributes,
  collectorType: CollectorType,
): SeriesClass | null {
  const metric = lookupMetric(metricName);
  if (metric?.kind !== "flow") return null;
  const direction = directionOf(metric, attributes);
  if (direction === null) return null;
  const signal = signalOf(metric, attributes);
  if (signal === null) return null;
  const identity = collectorType === "alloy" ? alloyIdentity(attributes) : otelcolIdentity(metric, attributes);
  if (identity === null) return null;
  return { componentId: identity.id, componentPath: identity.path, signal, direction };
}

function directionOf(metric: FlowMetric, attributes: Attributes): FlowDirection | null {
  const outcome = attributeOf(attributes, ATTRIBUTE_KEYS.outcome);
  if (outcome === undefined || outcome === SUCCESS_OUTCOME) return metric.direction;
  return metric.failureDirection ?? null;
}

function signalOf(metric: FlowMetric, attributes: Attributes): Signal | null {
  if (metric.signal !== "from_attributes") return metric.signal;
  const value = attributeOf(attributes, ATTRIBUTE_KEYS.signal);
  return value !== undefined && SIGNALS.has(value) ? (value as Signal) : null;
}

function alloyIdentity(attributes: Attributes): { id: string; path: string } | null {
  const id = attributeOf(attributes, ATTRIBUTE_KEYS.alloyComponentId);
  if (id === undefined) return null;
  return { id, path: attributeOf(attributes, ATTRIBUTE_KEYS.alloyComponentPath) ?? ROOT_PATH };
}

function otelcolIdentity(metric: FlowMetric, attributes: Attributes): { id: string; path: string } | null {
  if (metric.identity === "alloy_only") return null;
  const kind = attributeOf(attributes, ATTRIBUTE_KEYS.otelComponentKind);
  if (kind !== undefined && kind !== metric.identity) return null;
  if (metric.identity === "connector" && kind === undefined) return null;
  const id =
    (metric.identity === "connector" ? undefined : attributeOf(attributes, [metric.identity])) ??
    attributeOf(attributes, ATTRIBUTE_KEYS.otelComponentId);
  if (id === undefined) return null;
  return { id: canonicalComponentId(id), path: ROOT_PATH };
}

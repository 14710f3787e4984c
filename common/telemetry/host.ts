// Host and collector-process gauges (CPU, memory, uptime) and the process-start signal for reset detection.
// Pure lookups over the table; aggregation across CPUs or states is left to the caller.

import { type Attributes, attributeOf } from "./classify.js";
import { lookupMetric } from "./names.js";
import { ATTRIBUTE_KEYS, type HostMetricKind, type InfoMetricKind } from "./table.js";

export interface HostMetricMatch {
  metric: HostMetricKind;
  /** CPU mode (`idle`, `user`, ...) or memory state (`used`, `free`, ...), when the series has one. */
  state?: string;
  /** Logical CPU (`cpu0`), for per-CPU series. */
  cpu?: string;
}

export function hostMetricOf(name: string, attributes: Attributes): HostMetricMatch | null {
  const metric = lookupMetric(name);
  if (metric?.kind !== "host") return null;
  const match: HostMetricMatch = { metric: metric.host };
  const state = attributeOf(attributes, ATTRIBUTE_KEYS.state);
  if (state !== undefined) match.state = state;
  const cpu = attributeOf(attributes, ATTRIBUTE_KEYS.cpu);
  if (cpu !== undefined) match.cpu = cpu;
  return match;
}

/**
 * When the collector process started, in ms since the epoch, from one host-metric point; null if the point
 * does not tell. Alloy exposes the start time; otelcol exposes uptime, so start = sample time - uptime
 * (jitters by the scrape delay: compare with a tolerance, as the rate engine does).
 */
export function processStartMsOf(metric: HostMetricKind, value: number, sampleTimeMs: number): number | null {
  if (!Number.isFinite(value)) return null;
  if (metric === "process_start_time_seconds") return value * 1000;
  if (metric === "process_uptime_seconds") return sampleTimeMs - value * 1000;
  return null;
}

/** Non-throughput collector facts (graph edges, build info, config hash), or null. */
export function infoMetricOf(name: string): InfoMetricKind | null {
  const metric = lookupMetric(name);
  return metric?.kind === "info" ? metric.info : null;
}

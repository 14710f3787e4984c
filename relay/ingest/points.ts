// Pure: sorts the points of one push into counter series (with their component) and host gauges, and finds the
// collector's process start. A per-collector cache keeps the hot path free of repeated name normalisation.

import type { CollectorType } from "../../common/model/index.js";
import type { HostHealth } from "../../common/protocol/index.js";
import {
  classifySeries,
  type HostMetricMatch,
  hostMetricOf,
  processStartMsOf,
  type SeriesClass,
  seriesKeyOf,
} from "../../common/telemetry/index.js";
import type { RateInput } from "../rates/index.js";

export interface RawPoint {
  name: string;
  attributes: Record<string, string>;
  value: number;
  timeMs: number;
  /** 0 = not set. */
  startTimeMs: number;
  temporality: "cumulative" | "delta";
  /** Only sums (counters) are rated; gauges may still be host metrics. */
  isCounter: boolean;
  /** The decoder's identity of `attributes` (see MetricPoint.seriesIdentity); absent for JSON and agent samples. */
  seriesIdentity?: string | undefined;
}

export interface FlowSample {
  input: RateInput;
  cls: SeriesClass;
}

export interface ClassifiedPush {
  flows: FlowSample[];
  /** Host gauges by name (`cpu_utilization`, `memory_usage_bytes.used`, ...), averaged over CPUs. */
  host: Record<string, number>;
  processStartMs: number | null;
}

type Cached = { kind: "flow"; seriesKey: string; cls: SeriesClass } | { kind: "host"; match: HostMetricMatch } | null;

/** Remembers what each raw series is; bounded so a collector with churning labels cannot grow it forever. */
export class SeriesCache {
  /** Keyed by a string built from name and attributes. */
  private readonly entries = new Map<string, Cached>();
  /** name -> seriesIdentity -> what it is: no key to build, and the identity string arrives already hashed. */
  private readonly byIdentity = new Map<string, Map<string, Cached>>();
  private size = 0;
  constructor(private readonly maxEntries = 20_000) {}

  lookup(point: RawPoint, collectorType: CollectorType): Cached {
    const identity = point.seriesIdentity;
    if (identity !== undefined) {
      const hit = this.byIdentity.get(point.name)?.get(identity);
      if (hit !== undefined) return hit;
      const value = classify(point, collectorType);
      this.makeRoom();
      let byName = this.byIdentity.get(point.name);
      if (byName === undefined) {
        byName = new Map();
        this.byIdentity.set(point.name, byName);
      }
      byName.set(identity, value);
      this.size++;
      return value;
    }
    let key = point.name;
    for (const k in point.attributes) key += `\u0000${k}\u0001${point.attributes[k]}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = classify(point, collectorType);
    this.makeRoom();
    this.entries.set(key, value);
    this.size++;
    return value;
  }

  private makeRoom(): void {
    if (this.size < this.maxEntries) return;
    this.entries.clear();
    this.byIdentity.clear();
    this.size = 0;
  }
}

function classify(point: RawPoint, collectorType: CollectorType): Cached {
  const cls = classifySeries(point.name, point.attributes, collectorType);
  if (cls) return { kind: "flow", seriesKey: seriesKeyOf(point.name, point.attributes), cls };
  const match = hostMetricOf(point.name, point.attributes);
  return match ? { kind: "host", match } : null;
}

export function classifyPoints(
  points: readonly RawPoint[],
  collectorType: CollectorType,
  cache: SeriesCache,
): ClassifiedPush {
  const flows: FlowSample[] = [];
  const sums: Record<string, { total: number; count: number }> = {};
  let processStartMs: number | null = null;
  for (const point of points) {
    // NaN/Infinity carry no count and would poison sums (OTLP allows them; fuzzing sends them).
    if (!Number.isFinite(point.value) || !Number.isFinite(point.timeMs)) continue;
    const what = cache.lookup(point, collectorType);
    if (what === null) continue;
    if (what.kind === "flow") {
      if (!point.isCounter) continue;
      const input: RateInput = {
        seriesKey: what.seriesKey,
        value: point.value,
        timeMs: point.timeMs,
        temporality: point.temporality,
      };
      if (point.startTimeMs > 0) input.startTimeMs = point.startTimeMs;
      flows.push({ input, cls: what.cls });
      continue;
    }
    const start = processStartMsOf(what.match.metric, point.value, point.timeMs);
    if (start !== null) processStartMs = start;
    const name = what.match.state === undefined ? what.match.metric : `${what.match.metric}.${what.match.state}`;
    const entry = sums[name] ?? { total: 0, count: 0 };
    entry.total += point.value;
    entry.count++;
    sums[name] = entry;
  }
  const host: Record<string, number> = {};
  for (const [name, { total, count }] of Object.entries(sums)) {
    // Utilisation per CPU is averaged; byte counts and seconds are summed over their split.
    host[name] = name.startsWith("cpu_utilization") ? total / count : total;
  }
  if (processStartMs !== null) for (const flow of flows) flow.input.processStartMs = processStartMs;
  return { flows, host, processStartMs };
}

/**
 * The agent's host health in the collector record's host-metric names (the ones OTLP host metrics use too),
 * so the canvas reads one vocabulary whichever path the numbers took.
 */
export function hostMetricsFromAgentHealth(health: HostHealth): Record<string, number> {
  const out: Record<string, number> = {
    cpu_utilization: health.cpuUtilization,
    memory_usage_bytes: health.memoryUsedBytes,
    uptime_seconds: health.uptimeSeconds,
    disk_usage_bytes: health.diskUsedBytes,
  };
  if (health.memoryTotalBytes > 0) out.memory_utilization = health.memoryUsedBytes / health.memoryTotalBytes;
  if (health.diskTotalBytes > 0) out.disk_utilization = health.diskUsedBytes / health.diskTotalBytes;
  return out;
}

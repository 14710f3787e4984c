// Turns an OTLP ExportMetricsServiceRequest (protobuf or JSON) into flat metric points. Pure; never throws
// on odd-but-valid shapes, throws `OtlpDecodeError` with a reason for bodies that are not OTLP at all.

import { AttributeCache, readMetricsRequest } from "./wire-metrics.js";

export type Temporality = "cumulative" | "delta" | "unspecified";

export interface MetricPoint {
  /** Resource attributes (service.name, service.instance.id, ...), stringified. */
  resource: Record<string, string>;
  name: string;
  kind: "sum" | "gauge" | "histogram" | "summary";
  temporality: Temporality;
  monotonic: boolean;
  attributes: Record<string, string>;
  /** Milliseconds since the epoch (fractional); 0 when the point carries no start time (Alloy >= 1.14). */
  startTimeMs: number;
  timeMs: number;
  /** Sum/gauge value; histogram and summary points carry their count. */
  value: number;
  /**
   * Protobuf only: the raw bytes of the point's attributes (scope's included) as a latin1 string. Equal
   * identities mean equal `attributes`, so per-series caches can key on it without re-stringifying them.
   */
  seriesIdentity?: string;
}

export class OtlpDecodeError extends Error {
  readonly reason = "malformed_otlp";
}

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose | null {
  return typeof value === "object" && value !== null ? (value as Loose) : null;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** 64-bit values arrive as number, decimal string (JSON) or a Long-like object (protobufjs). */
function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value === "" ? 0 : Number(value);
  const long = asRecord(value);
  if (long && typeof long.low === "number" && typeof long.high === "number") {
    const unsigned = long.unsigned === true;
    const high = unsigned ? long.high >>> 0 : long.high;
    return high * 4294967296 + (long.low >>> 0);
  }
  return 0;
}

function nanosToMs(value: unknown): number {
  if (typeof value === "string" && value.length > 6) return Number(BigInt(value) / 1000n) / 1000;
  return toNumber(value) / 1e6;
}

/**
 * An AnyValue as text: string as is, bool/int/double as decimal text, arrays as a JSON list, maps and bytes as "".
 * Own properties only (protobufjs keeps proto3 defaults on the prototype). wire-metrics.ts renders the same way.
 */
function anyValueToString(value: unknown): string {
  const v = asRecord(value);
  if (!v) return "";
  const has = (field: string) => Object.hasOwn(v, field) && v[field] !== null && v[field] !== undefined;
  if (has("stringValue") && typeof v.stringValue === "string") return v.stringValue;
  if (has("boolValue")) return String(v.boolValue === true || v.boolValue === "true");
  if (has("intValue")) return String(toNumber(v.intValue));
  if (has("doubleValue")) return String(toNumber(v.doubleValue));
  if (has("arrayValue")) return JSON.stringify(asArray(asRecord(v.arrayValue)?.values).map(anyValueToString));
  return "";
}

function attributesOf(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of asArray(list)) {
    const kv = asRecord(item);
    if (kv && typeof kv.key === "string") out[kv.key] = anyValueToString(kv.value);
  }
  return out;
}

function temporalityOf(value: unknown): Temporality {
  // OTLP enum: 1 = DELTA, 2 = CUMULATIVE (JSON may carry the enum name).
  if (value === 1 || value === "AGGREGATION_TEMPORALITY_DELTA") return "delta";
  if (value === 2 || value === "AGGREGATION_TEMPORALITY_CUMULATIVE") return "cumulative";
  return "unspecified";
}

/** Own properties only: protobufjs puts proto3 defaults (asDouble = 0) on the prototype, so `in` would lie. */
function numberValue(point: Loose): number {
  if (Object.hasOwn(point, "asDouble") && point.asDouble !== null) return toNumber(point.asDouble);
  if (Object.hasOwn(point, "asInt") && point.asInt !== null) return toNumber(point.asInt);
  return toNumber(point.count);
}

/** Walks the request object (protobufjs message or OTLP JSON: both use lowerCamelCase field names). */
export function flattenMetricsRequest(request: unknown): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const rmItem of asArray(asRecord(request)?.resourceMetrics)) {
    const rm = asRecord(rmItem);
    if (!rm) continue;
    const resource = attributesOf(asRecord(rm.resource)?.attributes);
    for (const smItem of asArray(rm.scopeMetrics)) {
      // otelcol's newer pipeline telemetry carries `otelcol.component.id` as a scope attribute.
      const scopeAttributes = attributesOf(asRecord(asRecord(smItem)?.scope)?.attributes);
      const hasScopeAttributes = Object.keys(scopeAttributes).length > 0;
      for (const metricItem of asArray(asRecord(smItem)?.metrics)) {
        const metric = asRecord(metricItem);
        if (!metric || typeof metric.name !== "string") continue;
        const data =
          (["sum", "gauge", "histogram", "summary"] as const)
            .map((kind) => ({ kind, body: asRecord(metric[kind]) }))
            .find((d) => d.body !== null) ?? null;
        if (!data?.body) continue;
        const temporality = data.kind === "gauge" ? "unspecified" : temporalityOf(data.body.aggregationTemporality);
        for (const dpItem of asArray(data.body.dataPoints)) {
          const dp = asRecord(dpItem);
          if (!dp) continue;
          points.push({
            resource,
            name: metric.name,
            kind: data.kind,
            temporality,
            monotonic: data.body.isMonotonic === true,
            attributes: hasScopeAttributes
              ? { ...scopeAttributes, ...attributesOf(dp.attributes) }
              : attributesOf(dp.attributes),
            startTimeMs: nanosToMs(dp.startTimeUnixNano),
            timeMs: nanosToMs(dp.timeUnixNano),
            value: numberValue(dp),
          });
        }
      }
    }
  }
  return points;
}

/**
 * Protobuf body -> points, read straight off the wire (`wire-metrics.ts`; protobufjs is its oracle in tests).
 * Pass one long-lived `cache` so repeated pushes reuse decoded attribute records (they are frozen and shared).
 */
export function decodeProtobufMetrics(body: Uint8Array, cache?: AttributeCache): MetricPoint[] {
  try {
    return readMetricsRequest(body, cache ?? new AttributeCache());
  } catch (error) {
    throw new OtlpDecodeError(`body is not an OTLP ExportMetricsServiceRequest: ${(error as Error).message}`);
  }
}

export function decodeJsonMetrics(body: Uint8Array): MetricPoint[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new OtlpDecodeError("body is not valid JSON");
  }
  if (asRecord(parsed) === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError("JSON body must be an object with resourceMetrics");
  }
  return flattenMetricsRequest(parsed);
}

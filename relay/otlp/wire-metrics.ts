// Reads an OTLP ExportMetricsServiceRequest straight from protobuf bytes into MetricPoints in one pass. It gives
// exactly what protobufjs + `flattenMetricsRequest` give (oneof "last one wins", repeated singular messages merge,
// proto3 defaults, the same errors) and skips what the relay never reads. `wire-metrics.test.ts` holds it to that.

import type { MetricPoint } from "./decode.js";
import { WireReader } from "./wire-reader.js";

type Attributes = Readonly<Record<string, string>>;
type Kind = MetricPoint["kind"];

const EMPTY: Attributes = Object.freeze({});
/** Attribute sets longer than this (raw bytes) are decoded on every push rather than remembered. */
const MAX_CACHED_IDENTITY = 1024;

/**
 * Decoded attribute records by the raw bytes they came from (their KeyValue fields, tags included), so a
 * collector pushing the same series every 30 s costs no string decoding. Records are frozen: points share them.
 */
export class AttributeCache {
  private readonly records = new Map<string, Attributes>();
  constructor(private readonly maxEntries = 50_000) {}

  get(identity: string): Attributes | undefined {
    return this.records.get(identity);
  }

  set(identity: string, record: Attributes): void {
    if (identity.length > MAX_CACHED_IDENTITY) return;
    if (this.records.size >= this.maxEntries) this.records.clear();
    this.records.set(identity, record);
  }
}

/**
 * Where the KeyValue fields of one attribute list sit in the body: [start, end) pairs, tags included,
 * adjacent fields joined. The bytes (not the decoded strings) are the list's identity.
 */
type Ranges = number[];

function addRange(ranges: Ranges, start: number, end: number): void {
  const last = ranges.length - 1;
  if (last > 0 && ranges[last] === start) ranges[last] = end;
  else ranges.push(start, end);
}

class MetricsWalk {
  readonly out: MetricPoint[] = [];
  constructor(
    private readonly r: WireReader,
    private readonly cache: AttributeCache,
  ) {}

  /** ExportMetricsServiceRequest (depth 0). */
  request(): void {
    const r = this.r;
    while (r.pos < r.len) {
      const tag = r.tag();
      if (tag === ((1 << 3) | 2)) this.resourceMetrics(1);
      else r.skipType(tag & 7, 0, tag >>> 3);
    }
  }

  private resourceMetrics(depth: number): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    const first = this.out.length;
    const attributes: Ranges = [];
    while (r.pos < r.len) {
      const tag = r.tag();
      if (tag === ((1 << 3) | 2)) this.resource(depth + 1, attributes);
      else if (tag === ((2 << 3) | 2)) this.scopeMetrics(depth + 1);
      else if (tag === ((3 << 3) | 2)) r.skipString();
      else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
    const resource = this.resolve(attributes, depth + 2).record;
    for (let i = first; i < this.out.length; i++) (this.out[i] as MetricPoint).resource = resource;
  }

  private resource(depth: number, attributes: Ranges): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    while (r.pos < r.len) {
      const start = r.pos;
      const tag = r.tag();
      if (tag === ((1 << 3) | 2)) {
        r.skipBytes();
        addRange(attributes, start, r.pos);
      } else if (tag === ((2 << 3) | 0)) r.uint32();
      else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
  }

  private scopeMetrics(depth: number): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    const first = this.out.length;
    const scopeAttributes: Ranges = [];
    while (r.pos < r.len) {
      const tag = r.tag();
      if (tag === ((1 << 3) | 2)) this.scope(depth + 1, scopeAttributes);
      else if (tag === ((2 << 3) | 2)) this.metric(depth + 1);
      else if (tag === ((3 << 3) | 2)) r.skipString();
      else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
    if (scopeAttributes.length === 0) return;
    // otelcol's newer pipeline telemetry carries `otelcol.component.id` as a scope attribute; point attributes win.
    const scope = this.resolve(scopeAttributes, depth + 2);
    if (Object.keys(scope.record).length === 0) return;
    for (let i = first; i < this.out.length; i++) {
      const point = this.out[i] as MetricPoint & { seriesIdentity: string };
      const identity = scope.identity + point.seriesIdentity;
      let merged = this.cache.get(identity);
      if (merged === undefined) {
        merged = Object.freeze({ ...scope.record, ...point.attributes });
        this.cache.set(identity, merged);
      }
      point.attributes = merged;
      point.seriesIdentity = identity;
    }
  }

  private scope(depth: number, attributes: Ranges): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    while (r.pos < r.len) {
      const start = r.pos;
      const tag = r.tag();
      if (tag === ((1 << 3) | 2) || tag === ((2 << 3) | 2)) r.skipString();
      else if (tag === ((3 << 3) | 2)) {
        r.skipBytes();
        addRange(attributes, start, r.pos);
      } else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
  }

  private metric(depth: number): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    let name = "";
    // The `data` oneof: a new member starts fresh, the same member again merges into it (protobuf rules).
    let kind: Kind | null = null;
    const body: DataBody = { points: [], temporality: 0, monotonic: false };
    while (r.pos < r.len) {
      const tag = r.tag();
      const field = tag >>> 3;
      if ((tag & 7) === 2) {
        const next = DATA_FIELDS[field];
        if (next !== undefined) {
          if (kind !== next) {
            body.points = [];
            body.temporality = 0;
            body.monotonic = false;
          }
          this.data(next, depth + 1, body);
          kind = next;
          continue;
        }
        if (field === 1) {
          name = r.string();
          continue;
        }
        if (field === 2 || field === 3) {
          r.skipString();
          continue;
        }
      }
      r.skipType(tag & 7, depth, field);
    }
    r.leave(outer);
    if (kind === null) return;
    // OTLP enum: 1 = DELTA, 2 = CUMULATIVE; gauges and summaries carry none.
    const temporality =
      kind === "gauge" || kind === "summary"
        ? "unspecified"
        : body.temporality === 1
          ? "delta"
          : body.temporality === 2
            ? "cumulative"
            : "unspecified";
    const monotonic = kind === "sum" && body.monotonic;
    for (const point of body.points) {
      point.name = name;
      point.kind = kind;
      point.temporality = temporality;
      point.monotonic = monotonic;
      this.out.push(point);
    }
  }

  /** Gauge, Sum, Histogram or Summary: data points plus (sum, histogram) temporality and (sum) monotonicity. */
  private data(kind: Kind, depth: number, body: DataBody): void {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    while (r.pos < r.len) {
      const tag = r.tag();
      if (tag === ((1 << 3) | 2)) body.points.push(this.dataPoint(kind, depth + 1));
      else if (tag === ((2 << 3) | 0) && (kind === "sum" || kind === "histogram")) body.temporality = r.int32();
      else if (tag === ((3 << 3) | 0) && kind === "sum") body.monotonic = r.bool();
      else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
  }

  /**
   * NumberDataPoint (value: as_double or as_int, last one wins; neither = 0), HistogramDataPoint and
   * SummaryDataPoint (value: count). Times are fixed64 nanoseconds.
   */
  private dataPoint(kind: Kind, depth: number): MetricPoint {
    const r = this.r;
    const outer = r.enter(r.size(), depth);
    const number = kind === "sum" || kind === "gauge";
    const attributesTag = kind === "histogram" ? (9 << 3) | 2 : (7 << 3) | 2;
    const attributes: Ranges = [];
    let startNs = 0;
    let timeNs = 0;
    let value = 0;
    while (r.pos < r.len) {
      const start = r.pos;
      const tag = r.tag();
      if (tag === attributesTag) {
        r.skipBytes();
        addRange(attributes, start, r.pos);
      } else if (tag === ((2 << 3) | 1)) startNs = r.fixed64();
      else if (tag === ((3 << 3) | 1)) timeNs = r.fixed64();
      else if (number && tag === ((4 << 3) | 1)) value = r.double();
      else if (number && tag === ((6 << 3) | 1)) value = r.sfixed64();
      else if (number && tag === ((8 << 3) | 0)) r.uint32();
      else if (!number && tag === ((4 << 3) | 1)) value = r.fixed64();
      else if (!number && tag === ((5 << 3) | 1)) r.double();
      else r.skipType(tag & 7, depth, tag >>> 3);
    }
    r.leave(outer);
    const { record, identity } = this.resolve(attributes, depth + 1);
    return {
      resource: EMPTY,
      name: "",
      kind,
      temporality: "unspecified",
      monotonic: false,
      attributes: record,
      startTimeMs: startNs / 1e6,
      timeMs: timeNs / 1e6,
      value,
      seriesIdentity: identity,
    };
  }

  /** The attribute record of some KeyValue fields: from the cache, or decoded (and checked) now. */
  private resolve(ranges: Ranges, depth: number): { record: Attributes; identity: string } {
    if (ranges.length === 0) return { record: EMPTY, identity: "" };
    const buf = this.r.buf;
    let identity = buf.toString("latin1", ranges[0], ranges[1]);
    for (let i = 2; i < ranges.length; i += 2) identity += buf.toString("latin1", ranges[i], ranges[i + 1]);
    let record = this.cache.get(identity);
    if (record === undefined) {
      record = Object.freeze(this.decodeKeyValues(ranges, depth));
      this.cache.set(identity, record);
    }
    return { record, identity };
  }

  private decodeKeyValues(ranges: Ranges, depth: number): Record<string, string> {
    const r = this.r;
    const { pos, len } = r;
    const out: Record<string, string> = {};
    for (let i = 0; i < ranges.length; i += 2) {
      r.pos = ranges[i] as number;
      r.len = ranges[i + 1] as number;
      while (r.pos < r.len) {
        r.tag();
        keyValue(r, depth, out);
      }
    }
    r.pos = pos;
    r.len = len;
    return out;
  }
}

interface DataBody {
  points: MetricPoint[];
  temporality: number;
  monotonic: boolean;
}

const DATA_FIELDS: Record<number, Kind> = { 5: "gauge", 7: "sum", 9: "histogram", 11: "summary" };

/**
 * One KeyValue into `out` (null: only checked). Repeated `value` fields merge into one AnyValue, as protobuf (and
 * protobufjs) decode them; the merged value is rendered as text by `anyValueText`.
 */
function keyValue(r: WireReader, depth: number, out: Record<string, string> | null): void {
  const outer = r.enter(r.size(), depth);
  let key = "";
  const value: AnyValueState = { kind: "none", text: "", items: [] };
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) key = r.string();
    else if (tag === ((2 << 3) | 2)) anyValue(r, depth + 1, value);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
  r.leave(outer);
  if (out !== null) out[key] = anyValueText(value);
}

/** The member an AnyValue holds so far (a oneof: a new member replaces the old; a second array merges). */
interface AnyValueState {
  kind: "none" | "scalar" | "array" | "other";
  text: string;
  items: string[];
}

/**
 * Text as `flattenMetricsRequest` renders a decoded AnyValue (decode.ts `anyValueToString`): string as is,
 * bool/int/double as decimal text, arrays as a JSON list, maps and bytes as "".
 */
function anyValueText(value: AnyValueState): string {
  if (value.kind === "scalar") return value.text;
  if (value.kind === "array") return JSON.stringify(value.items);
  return "";
}

/** Reads one AnyValue message into `state`, merging as protobuf does. */
function anyValue(r: WireReader, depth: number, state: AnyValueState): void {
  const outer = r.enter(r.size(), depth);
  const scalar = (text: string) => {
    state.kind = "scalar";
    state.text = text;
  };
  while (r.pos < r.len) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        scalar(r.string());
        break;
      case (2 << 3) | 0:
        scalar(String(r.bool()));
        break;
      case (3 << 3) | 0:
        scalar(String(r.int64()));
        break;
      case (4 << 3) | 1:
        scalar(String(r.double()));
        break;
      case (5 << 3) | 2: {
        if (state.kind !== "array") state.items = [];
        state.kind = "array";
        arrayValue(r, depth + 1, state.items);
        break;
      }
      case (6 << 3) | 2:
        keyValueList(r, depth + 1);
        state.kind = "other";
        break;
      case (7 << 3) | 2:
        r.skipBytes();
        state.kind = "other";
        break;
      default:
        r.skipType(tag & 7, depth, tag >>> 3);
    }
  }
  r.leave(outer);
}

/** Appends the text of each element (each a fresh AnyValue: repeated fields do not merge). */
function arrayValue(r: WireReader, depth: number, items: string[]): void {
  const outer = r.enter(r.size(), depth);
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) {
      const element: AnyValueState = { kind: "none", text: "", items: [] };
      anyValue(r, depth + 1, element);
      items.push(anyValueText(element));
    } else r.skipType(tag & 7, depth, tag >>> 3);
  }
  r.leave(outer);
}

function keyValueList(r: WireReader, depth: number): void {
  const outer = r.enter(r.size(), depth);
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) keyValue(r, depth + 1, null);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
  r.leave(outer);
}

/** Throws (RangeError / Error) on bytes protobufjs would refuse; the caller turns that into a 400. */
export function readMetricsRequest(body: Uint8Array, cache: AttributeCache = new AttributeCache()): MetricPoint[] {
  const walk = new MetricsWalk(new WireReader(body), cache);
  walk.request();
  return walk.out;
}

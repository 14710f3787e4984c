// The hand-written OTLP reader must give exactly what protobufjs + flattenMetricsRequest give (the decoder it
// replaced), on random requests written field by field (any order, repeats, unknown fields, oneof switches),
// on protobufjs's own encodings, and on broken bytes (both refuse, or both give the same points).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeProtobufMetrics, type MetricPoint, OtlpDecodeError } from "./decode.js";
import { ExportMetricsServiceRequest, flattenMetricsRequest } from "./index.js";
import { AttributeCache } from "./wire-metrics.js";

type Outcome = { ok: true; points: unknown[] } | { ok: false };

function oracle(bytes: Uint8Array): Outcome {
  try {
    return { ok: true, points: flattenMetricsRequest(ExportMetricsServiceRequest.decode(bytes)).map(withKeyOrder) };
  } catch {
    return { ok: false };
  }
}

function wire(bytes: Uint8Array, cache?: AttributeCache): Outcome {
  try {
    return {
      ok: true,
      points: decodeProtobufMetrics(bytes, cache).map(({ seriesIdentity: _, ...p }) => withKeyOrder(p)),
    };
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpDecodeError);
    return { ok: false };
  }
}

/** toStrictEqual ignores key order; attribute order is visible (it feeds cache keys), so compare it too. */
function withKeyOrder(point: MetricPoint) {
  return { ...point, attributeOrder: Object.keys(point.attributes), resourceOrder: Object.keys(point.resource) };
}

function expectSame(bytes: Uint8Array, cache?: AttributeCache): Outcome {
  const expected = oracle(bytes);
  expect(wire(bytes, cache)).toStrictEqual(expected);
  return expected;
}

// --- a tiny protobuf writer, so requests can carry what protobufjs's encoder never writes -----------------------

function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
const bytesField = (field: number, payload: number[]) => [
  ...tag(field, 2),
  ...varint(BigInt(payload.length)),
  ...payload,
];
const stringField = (field: number, s: string) => bytesField(field, [...Buffer.from(s, "utf8")]);
const varintField = (field: number, value: bigint) => [...tag(field, 0), ...varint(value)];
function fixed64Field(field: number, value: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...tag(field, 1), ...b];
}
function doubleField(field: number, value: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return [...tag(field, 1), ...b];
}
const message = (fields: fc.Arbitrary<number[]>, maxLength: number) =>
  fc.array(fields, { maxLength }).map((parts) => parts.flat());

/** Fields no OTLP message here defines (numbers 20-40), in every wire type, a group included. */
const unknownField = fc.oneof(
  fc
    .tuple(fc.integer({ min: 20, max: 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
    .map(([f, v]) => varintField(f, v)),
  fc
    .tuple(fc.integer({ min: 20, max: 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
    .map(([f, v]) => fixed64Field(f, v)),
  fc.tuple(fc.integer({ min: 20, max: 40 }), fc.string()).map(([f, s]) => stringField(f, s)),
  fc.integer({ min: 20, max: 40 }).map((f) => [...tag(f, 5), 1, 2, 3, 4]),
  fc.integer({ min: 20, max: 40 }).map((f) => [...tag(f, 3), ...varintField(1, 7n), ...tag(f, 4)]),
);

const text = fc.oneof(
  fc.constantFrom("", "component_id", "component_path", "/", "receiver", "otelcol.component.id", "__proto__", "1"),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 61n }),
);
const double = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1.5, Number.NaN));

const { anyValue } = fc.letrec((tie) => ({
  anyValue: message(
    fc.oneof(
      { depthSize: "small" },
      text.map((s) => stringField(1, s)),
      text.map((s) => stringField(1, s)),
      fc.boolean().map((b) => varintField(2, b ? 1n : 0n)),
      int64.map((v) => varintField(3, v)),
      double.map((v) => doubleField(4, v)),
      message(
        tie("anyValue").map((v) => bytesField(1, v as number[])),
        2,
      ).map((a) => bytesField(5, a)),
      message(
        tie("keyValue").map((kv) => bytesField(1, kv as number[])),
        2,
      ).map((l) => bytesField(6, l)),
      fc.uint8Array({ maxLength: 4 }).map((b) => bytesField(7, [...b])),
      unknownField,
    ),
    3,
  ),
  keyValue: message(
    fc.oneof(
      text.map((k) => stringField(1, k)),
      tie("anyValue").map((v) => bytesField(2, v as number[])),
      unknownField,
    ),
    3,
  ),
}));
const keyValue = message(
  fc.oneof(
    { weight: 3, arbitrary: text.map((k) => stringField(1, k)) },
    { weight: 3, arbitrary: anyValue.map((v) => bytesField(2, v)) },
    { weight: 1, arbitrary: unknownField },
  ),
  3,
);

const dataPoint = (attributesField: number, numberPoint: boolean) =>
  message(
    fc.oneof(
      { weight: 4, arbitrary: keyValue.map((kv) => bytesField(attributesField, kv)) },
      { weight: 2, arbitrary: uint64.map((v) => fixed64Field(2, v)) },
      { weight: 2, arbitrary: uint64.map((v) => fixed64Field(3, v)) },
      {
        weight: 2,
        arbitrary: numberPoint ? double.map((v) => doubleField(4, v)) : uint64.map((v) => fixed64Field(4, v)),
      },
      {
        weight: 2,
        arbitrary: numberPoint ? int64.map((v) => fixed64Field(6, v)) : double.map((v) => doubleField(5, v)),
      },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 300n }).map((v) => varintField(8, v)) },
      { weight: 1, arbitrary: unknownField },
    ),
    8,
  );
const temporality = fc.oneof(fc.bigInt({ min: -1n, max: 3n }), fc.constant(2n ** 32n + 1n));
const dataBody = (points: fc.Arbitrary<number[]>) =>
  message(
    fc.oneof(
      { weight: 4, arbitrary: points.map((p) => bytesField(1, p)) },
      { weight: 1, arbitrary: temporality.map((v) => varintField(2, v)) },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n }).map((v) => varintField(3, v)) },
      { weight: 1, arbitrary: unknownField },
    ),
    5,
  );
const metric = message(
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .constantFrom("", "otelcol_exporter_sent_metric_points_total", "alloy_build_info", "system.cpu.utilization")
        .map((n) => stringField(1, n)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(2, 3), text).map(([field, s]) => stringField(field, s)) },
    { weight: 2, arbitrary: dataBody(dataPoint(7, true)).map((b) => bytesField(5, b)) },
    { weight: 3, arbitrary: dataBody(dataPoint(7, true)).map((b) => bytesField(7, b)) },
    { weight: 1, arbitrary: dataBody(dataPoint(9, false)).map((b) => bytesField(9, b)) },
    { weight: 1, arbitrary: dataBody(dataPoint(7, false)).map((b) => bytesField(11, b)) },
    { weight: 1, arbitrary: unknownField },
  ),
  4,
);
const scope = message(
  fc.oneof(
    text.map((s) => stringField(1, s)),
    text.map((s) => stringField(2, s)),
    keyValue.map((kv) => bytesField(3, kv)),
    unknownField,
  ),
  3,
);
const scopeMetrics = message(
  fc.oneof(
    { weight: 1, arbitrary: scope.map((s) => bytesField(1, s)) },
    { weight: 3, arbitrary: metric.map((m) => bytesField(2, m)) },
    { weight: 1, arbitrary: text.map((s) => stringField(3, s)) },
  ),
  4,
);
const resourceMetrics = message(
  fc.oneof(
    {
      weight: 1,
      arbitrary: message(
        fc.oneof(
          keyValue.map((kv) => bytesField(1, kv)),
          fc.bigInt({ min: 0n, max: 9n }).map((v) => varintField(2, v)),
        ),
        3,
      ).map((r) => bytesField(1, r)),
    },
    { weight: 3, arbitrary: scopeMetrics.map((s) => bytesField(2, s)) },
    { weight: 1, arbitrary: unknownField },
  ),
  4,
);
const request = message(
  resourceMetrics.map((rm) => bytesField(1, rm)),
  3,
).map((fields) => Uint8Array.from(fields));

describe("the wire reader gives what protobufjs gives", () => {
  it("on requests written field by field: any order, repeats, merges, oneof switches, unknown fields", () => {
    let withPoints = 0;
    fc.assert(
      fc.property(request, (bytes) => {
        const outcome = expectSame(bytes);
        if (outcome.ok && outcome.points.length > 0) withPoints++;
      }),
      { numRuns: 1500 },
    );
    expect(withPoints).toBeGreaterThan(300);
  });

  it("on the same bodies again through a shared attribute cache", () => {
    const cache = new AttributeCache();
    const bodies = fc.sample(request, 300);
    for (const bytes of bodies) expectSame(bytes, cache);
    for (const bytes of bodies) expectSame(bytes, cache);
  });

  it("on protobufjs's own encodings of OTLP-shaped objects", () => {
    const attribute = fc.record({
      key: text,
      value: fc.oneof(
        fc.record({ stringValue: text }),
        fc.record({ intValue: fc.integer() }),
        fc.record({ boolValue: fc.boolean() }),
        fc.record({ doubleValue: fc.double() }),
      ),
    });
    const point = fc.record(
      {
        attributes: fc.array(attribute, { maxLength: 4 }),
        startTimeUnixNano: uint64.map(String),
        timeUnixNano: uint64.map(String),
        asDouble: fc.double(),
        asInt: int64.map(String),
      },
      { requiredKeys: [] },
    );
    const body = fc.record({
      resourceMetrics: fc.array(
        fc.record({
          resource: fc.record({ attributes: fc.array(attribute, { maxLength: 3 }) }),
          scopeMetrics: fc.array(
            fc.record({
              scope: fc.record({ name: text, attributes: fc.array(attribute, { maxLength: 2 }) }),
              metrics: fc.array(
                fc.record({
                  name: text,
                  sum: fc.record({
                    dataPoints: fc.array(point, { maxLength: 3 }),
                    aggregationTemporality: fc.integer({ min: 0, max: 2 }),
                    isMonotonic: fc.boolean(),
                  }),
                }),
                { maxLength: 3 },
              ),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
    });
    fc.assert(
      fc.property(body, (object) => {
        expectSame(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(object)).finish());
      }),
      { numRuns: 500 },
    );
  });

  it("on broken bytes: flipped, cut or random, both refuse or both agree", () => {
    const broken = fc.oneof(
      fc
        .tuple(request, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat())
        .map(([bytes, flips, cut]) => {
          const copy = Uint8Array.from(bytes);
          for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
          return copy.subarray(0, cut % (copy.length + 1));
        }),
      fc.uint8Array({ maxLength: 256 }),
    );
    let refused = 0;
    fc.assert(
      fc.property(broken, (bytes) => {
        if (!expectSame(bytes).ok) refused++;
      }),
      { numRuns: 3000 },
    );
    expect(refused).toBeGreaterThan(300);
  });
});

describe("wire reader edge cases (table)", () => {
  const point = (...fields: number[][]) => fields.flat();
  const requestOf = (metricFields: number[]) =>
    Uint8Array.from(bytesField(1, bytesField(2, bytesField(2, metricFields))));
  const sum = (...points: number[][]) =>
    bytesField(7, [...varintField(2, 2n), ...points.flatMap((p) => bytesField(1, p))]);
  const attr = (key: string, value: string) =>
    bytesField(7, [...stringField(1, key), ...bytesField(2, stringField(1, value))]);
  const cases: { name: string; bytes: Uint8Array; expect: Partial<MetricPoint>[] | "refused" }[] = [
    {
      name: "as_int then as_double: the last member wins",
      bytes: requestOf([...stringField(1, "m"), ...sum(point(fixed64Field(6, -5n), doubleField(4, 2.5)))]),
      expect: [{ value: 2.5, temporality: "cumulative" }],
    },
    {
      name: "as_double then as_int (negative)",
      bytes: requestOf([...stringField(1, "m"), ...sum(point(doubleField(4, 2.5), fixed64Field(6, -5n)))]),
      expect: [{ value: -5 }],
    },
    {
      name: "sum, then gauge: the gauge replaces the sum",
      bytes: requestOf([
        ...sum(point([])),
        ...bytesField(5, bytesField(1, point(doubleField(4, 1)))),
        ...stringField(1, "g"),
      ]),
      expect: [{ name: "g", kind: "gauge", temporality: "unspecified", value: 1 }],
    },
    {
      name: "sum twice: the data points merge",
      bytes: requestOf([...sum(point(doubleField(4, 1))), ...sum(point(doubleField(4, 2)))]),
      expect: [{ value: 1 }, { value: 2 }],
    },
    {
      name: "attributes split around a timestamp, a duplicate key (last value, first position)",
      bytes: requestOf([
        ...stringField(1, "m"),
        ...sum(point(attr("a", "1"), fixed64Field(3, 2_000_000n), attr("b", "2"), attr("a", "3"))),
      ]),
      expect: [{ attributes: { a: "3", b: "2" }, timeMs: 2 }],
    },
    { name: "a field number 0 is refused", bytes: requestOf([...varintField(0, 1n)]), expect: "refused" },
    {
      name: "invalid UTF-8 in a description is refused",
      bytes: requestOf([...bytesField(2, [0xff])]),
      expect: "refused",
    },
    { name: "a truncated length is refused", bytes: Uint8Array.from([0x0a, 0x05, 0x12]), expect: "refused" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const outcome = expectSame(c.bytes);
      if (c.expect === "refused") expect(outcome.ok).toBe(false);
      else {
        expect(outcome.ok).toBe(true);
        const points = decodeProtobufMetrics(c.bytes);
        expect(points).toHaveLength(c.expect.length);
        for (const [i, e] of c.expect.entries()) expect(points[i]).toMatchObject(e);
      }
    });
  }
});

describe("series identity", () => {
  it("equal attribute bytes share one identity and one frozen record; different bytes do not", () => {
    const body = (value: string) =>
      Uint8Array.from(
        bytesField(
          1,
          bytesField(
            2,
            bytesField(2, [
              ...stringField(1, "m"),
              ...bytesField(
                7,
                bytesField(1, bytesField(7, [...stringField(1, "k"), ...bytesField(2, stringField(1, value))])),
              ),
            ]),
          ),
        ),
      );
    const cache = new AttributeCache();
    const [a1] = decodeProtobufMetrics(body("x"), cache);
    const [a2] = decodeProtobufMetrics(body("x"), cache);
    const [b] = decodeProtobufMetrics(body("y"), cache);
    expect(a1?.seriesIdentity).toBe(a2?.seriesIdentity);
    expect(a1?.attributes).toBe(a2?.attributes);
    expect(Object.isFrozen(a1?.attributes)).toBe(true);
    expect(b?.seriesIdentity).not.toBe(a1?.seriesIdentity);
    expect(b?.attributes).toEqual({ k: "y" });
  });
});

describe("attribute values that are not strings", () => {
  it("keep their value as text (an int server.port stays 4318), on the protobuf and the JSON path alike", () => {
    const request = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "otelcol_exporter_sent_spans",
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        attributes: [
                          { key: "server.port", value: { intValue: 4318 } },
                          { key: "retry", value: { boolValue: true } },
                          { key: "ratio", value: { doubleValue: 1.5 } },
                          { key: "tags", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: 1 }] } } },
                          { key: "exporter", value: { stringValue: "otlp_http/backend" } },
                        ],
                        timeUnixNano: "1796600000000000000",
                        asInt: 7,
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const expected = {
      "server.port": "4318",
      retry: "true",
      ratio: "1.5",
      tags: '["a","1"]',
      exporter: "otlp_http/backend",
    };
    const body = ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(request)).finish();
    expect(decodeProtobufMetrics(body)[0]?.attributes).toEqual(expected);
    expect(flattenMetricsRequest(request)[0]?.attributes).toEqual(expected);
  });
});

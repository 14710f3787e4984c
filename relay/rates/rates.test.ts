import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emptyRateState,
  RateEngine,
  type RateInput,
  RateStateError,
  type RateStatus,
  type ResetReason,
  unixNanoToMs,
  updateRates,
} from "./index.js";

const T0 = 1_700_000_000_000;
const S = 1000;

type Point = Partial<Omit<RateInput, "timeMs" | "value">> & { t: number; v: number };
type Expect = { status: RateStatus; rate: number | null; reset?: ResetReason };

/** Feeds points (t in seconds after T0) one batch each, the wall clock following data time. */
function run(points: Point[]): { status: RateStatus; rate: number | null; raw: number; reset?: ResetReason }[] {
  const engine = new RateEngine();
  return points.map(({ t, v, ...rest }) => {
    const input: RateInput = { seriesKey: "s", temporality: "cumulative", ...rest, value: v, timeMs: T0 + t * S };
    const update = engine.update([input], T0 + t * S);
    const out = update.rates[0];
    const row: { status: RateStatus; rate: number | null; raw: number; reset?: ResetReason } = {
      status: out?.status ?? "first",
      rate: out?.ratePerSecond ?? null,
      raw: out?.rawValue ?? Number.NaN,
    };
    if (update.resets[0] !== undefined) row.reset = update.resets[0].reason;
    return row;
  });
}

function expectRates(actual: ReturnType<typeof run>, expected: Expect[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i];
    expect(got?.status, `point ${i} status`).toBe(want.status);
    expect(got?.reset, `point ${i} reset`).toBe(want.reset);
    if (want.rate === null) expect(got?.rate, `point ${i} rate`).toBeNull();
    else if (want.rate === 0) expect(got?.rate, `point ${i} rate`).toBe(0);
    else
      expect(Math.abs((got?.rate ?? Number.NaN) - want.rate) / want.rate, `point ${i} rate ${got?.rate}`).toBeLessThan(
        0.01,
      );
  });
}

describe("rate engine: cumulative counters", () => {
  const scenarios: { what: string; points: Point[]; want: Expect[] }[] = [
    {
      what: "first point has no rate; then a steady 100/s is reported within 1 %",
      points: [
        { t: 0, v: 5000 },
        { t: 30, v: 8000 },
        { t: 60, v: 11000 },
        { t: 90.2, v: 14020 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 100 },
        { status: "rated", rate: 100 },
        { status: "rated", rate: 100 },
      ],
    },
    {
      what: "points closer than 30 s keep the earlier baseline (15 s scrape -> rate over 30 s)",
      points: [
        { t: 0, v: 0 },
        { t: 10, v: 10 },
        { t: 20, v: 20 },
        { t: 30, v: 300 },
        { t: 45, v: 310 },
        { t: 60, v: 600 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "held", rate: null },
        { status: "held", rate: null },
        { status: "rated", rate: 10 }, // (300 - 0) / 30, not (300 - 20) / 10
        { status: "held", rate: 10 }, // repeats the last rate
        { status: "rated", rate: 10 },
      ],
    },
    {
      what: "restart with counters back to 0 and no start time: a reset, no spike, then normal rates",
      points: [
        { t: 0, v: 1_000_000 },
        { t: 30, v: 1_003_000 },
        { t: 60, v: 40 },
        { t: 90, v: 3040 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 100 },
        { status: "reset", rate: null, reset: "value_decreased" },
        { status: "rated", rate: 100 },
      ],
    },
    {
      what: "a decrease between close points is still a reset",
      points: [
        { t: 0, v: 500 },
        { t: 10, v: 600 },
        { t: 20, v: 3 },
        { t: 40, v: 5 },
        { t: 50, v: 303 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "held", rate: null },
        { status: "reset", rate: null, reset: "value_decreased" },
        { status: "held", rate: null },
        { status: "rated", rate: 10 },
      ],
    },
    {
      what: "collector process restarted (new start time) although the counter grew: reset, no bogus rate",
      points: [
        { t: 0, v: 100, processStartMs: T0 - 3600 * S },
        { t: 30, v: 400, processStartMs: T0 - 3600 * S },
        { t: 60, v: 9000, processStartMs: T0 + 45 * S },
        { t: 90, v: 9300, processStartMs: T0 + 45 * S },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "reset", rate: null, reset: "process_restarted" },
        { status: "rated", rate: 10 },
      ],
    },
    {
      what: "process start derived from uptime jitters by < 5 s: not a restart",
      points: [
        { t: 0, v: 100, processStartMs: T0 - 600 * S },
        { t: 30, v: 400, processStartMs: T0 - 600 * S + 900 },
        { t: 60, v: 700, processStartMs: T0 - 600 * S - 1200 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "rated", rate: 10 },
      ],
    },
    {
      what: "a point without the process start keeps the known one, so a later restart is still seen",
      points: [
        { t: 0, v: 100, processStartMs: T0 - 600 * S },
        { t: 30, v: 400 },
        { t: 60, v: 700, processStartMs: T0 + 50 * S },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "reset", rate: null, reset: "process_restarted" },
      ],
    },
    {
      what: "OTLP start time changed: reset",
      points: [
        { t: 0, v: 100, startTimeMs: T0 - 100 * S },
        { t: 30, v: 400, startTimeMs: T0 - 100 * S },
        { t: 60, v: 500, startTimeMs: T0 + 55 * S },
        { t: 90, v: 800, startTimeMs: T0 + 55 * S },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "reset", rate: null, reset: "start_time_changed" },
        { status: "rated", rate: 10 },
      ],
    },
    {
      what: "a counter that stops moving reports 0/s, not null",
      points: [
        { t: 0, v: 7 },
        { t: 30, v: 7 },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 0 },
      ],
    },
  ];
  it.each(scenarios)("$what", ({ points, want }) => {
    expectRates(run(points), want);
  });

  it("keeps the raw cumulative value next to the rate", () => {
    const rows = run([
      { t: 0, v: 5000 },
      { t: 30, v: 8000 },
    ]);
    expect(rows[1]).toMatchObject({ raw: 8000, rate: 100 });
  });
});

describe("rate engine: delta temporality", () => {
  const scenarios: { what: string; points: Point[]; want: Expect[] }[] = [
    {
      what: "a delta point with its start time is rated directly",
      points: [{ t: 60, v: 600, temporality: "delta", startTimeMs: T0 }],
      want: [{ status: "rated", rate: 10 }],
    },
    {
      what: "without start times, the first increment has no known interval; the next ones are rated",
      points: [
        { t: 0, v: 999, temporality: "delta" },
        { t: 30, v: 300, temporality: "delta" },
        { t: 60, v: 600, temporality: "delta" },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "rated", rate: 20 },
      ],
    },
    {
      what: "increments 10 s apart are summed until the window reaches 30 s",
      points: [
        { t: 10, v: 100, temporality: "delta", startTimeMs: T0 },
        { t: 20, v: 100, temporality: "delta", startTimeMs: T0 + 10 * S },
        { t: 30, v: 400, temporality: "delta", startTimeMs: T0 + 20 * S },
        { t: 40, v: 50, temporality: "delta", startTimeMs: T0 + 30 * S },
      ],
      want: [
        { status: "first", rate: null },
        { status: "held", rate: null },
        { status: "rated", rate: 20 }, // (100 + 100 + 400) / 30
        { status: "held", rate: 20 },
      ],
    },
    {
      what: "a series switching from cumulative to delta is reset, not rated across the switch",
      points: [
        { t: 0, v: 100 },
        { t: 30, v: 400 },
        { t: 60, v: 5, temporality: "delta" },
        { t: 90, v: 300, temporality: "delta" },
      ],
      want: [
        { status: "first", rate: null },
        { status: "rated", rate: 10 },
        { status: "reset", rate: null, reset: "temporality_changed" },
        { status: "rated", rate: 10 },
      ],
    },
  ];
  it.each(scenarios)("$what", ({ points, want }) => {
    expectRates(run(points), want);
  });

  it("keeps the raw increment next to the rate", () => {
    const rows = run([{ t: 60, v: 600, temporality: "delta", startTimeMs: T0 }]);
    expect(rows[0]).toMatchObject({ raw: 600, rate: 10 });
  });
});

describe("rate engine: bookkeeping", () => {
  const point = (seriesKey: string, t: number, v: number): RateInput => ({
    seriesKey,
    value: v,
    timeMs: T0 + t * S,
    temporality: "cumulative",
  });

  it("honours a configured minimum interval", () => {
    const engine = new RateEngine({ minIntervalMs: 10_000 });
    engine.update([point("s", 0, 0)], T0);
    const { rates } = engine.update([point("s", 10, 50)], T0 + 10 * S);
    expect(rates[0]?.ratePerSecond).toBe(5);
  });

  it("forgets series not seen for 10 minutes; a returning series starts over", () => {
    const engine = new RateEngine();
    engine.update([point("old", 0, 1), point("live", 0, 1)], T0);
    engine.update([point("live", 300, 2)], T0 + 300 * S);
    const update = engine.update([point("live", 601, 3)], T0 + 601 * S);
    expect(update.expired).toEqual(["old"]);
    expect(engine.seriesCount).toBe(1);
    const back = engine.update([point("old", 630, 99)], T0 + 630 * S);
    expect(back.rates[0]?.status).toBe("first");
  });

  it("the engine (which skips the stale scan while nothing can be stale) expires exactly what updateRates does", () => {
    // Pushes of a few series at wall-clock steps that may jump back or idle past the stale limit.
    const push = fc.record({
      wallStepS: fc.oneof(fc.integer({ min: -120, max: 120 }), fc.integer({ min: 500, max: 900 })),
      series: fc.subarray(["a", "b", "c", "d"]),
      value: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.array(push, { maxLength: 40 }), (pushes) => {
        const engine = new RateEngine();
        let state = emptyRateState();
        let wall = T0;
        let data = T0;
        for (const p of pushes) {
          wall += p.wallStepS * S;
          data += 30 * S;
          const samples = p.series.map((key) => point(key, (data - T0) / S, p.value));
          const pure = updateRates(state, samples, wall);
          state = pure.state;
          const { state: _state, ...expected } = pure;
          expect(engine.update(samples, wall)).toStrictEqual(expected);
        }
        expect(engine.toJSON()).toStrictEqual({ ...state, series: { ...state.series } });
      }),
      { numRuns: 300 },
    );
  });

  it("skips points that are not newer than the last one, and non-finite values", () => {
    const engine = new RateEngine();
    engine.update([point("s", 30, 10)], T0 + 30 * S);
    const update = engine.update([point("s", 30, 10), point("s", 20, 5), point("s", 40, Number.NaN)], T0 + 40 * S);
    expect(update.ignored).toBe(3);
    expect(update.rates).toEqual([]);
    expect(update.resets).toEqual([]);
  });

  it("rates several series from one batch independently", () => {
    const engine = new RateEngine();
    engine.update([point("a", 0, 0), point("b", 0, 1000)], T0);
    const { rates } = engine.update([point("a", 30, 300), point("b", 30, 1600)], T0 + 30 * S);
    expect(rates.map((r) => [r.seriesKey, r.ratePerSecond])).toEqual([
      ["a", 10],
      ["b", 20],
    ]);
  });

  it("updateRates is pure: the input state is left as it was", () => {
    const first = updateRates(emptyRateState(), [point("s", 0, 0)], T0);
    const frozen = JSON.stringify(first.state);
    const second = updateRates(first.state, [point("s", 30, 300)], T0 + 30 * S);
    expect(JSON.stringify(first.state)).toBe(frozen);
    expect(second.rates[0]?.ratePerSecond).toBe(10);
    // Replaying the same step from the old state gives the same answer.
    expect(updateRates(first.state, [point("s", 30, 300)], T0 + 30 * S).rates).toEqual(second.rates);
  });

  it("survives a JSON round trip (a state shared by relay replicas through a database row)", () => {
    const a = new RateEngine();
    a.update([point("s", 0, 0), point("__proto__", 0, 0)], T0);
    const stored = JSON.stringify(a);
    const b = RateEngine.fromJSON(JSON.parse(stored));
    const { rates } = b.update([point("s", 30, 300), point("__proto__", 30, 60)], T0 + 30 * S);
    expect(rates.map((r) => r.ratePerSecond)).toEqual([10, 2]);
    expect(JSON.stringify(a)).toBe(stored); // the snapshot did not move with b
  });

  it("toJSON is a snapshot that later updates do not change", () => {
    const engine = new RateEngine();
    engine.update([point("s", 0, 0)], T0);
    const snapshot = engine.toJSON();
    engine.update([point("s", 30, 300)], T0 + 30 * S);
    expect(snapshot.series.s?.lastValue).toBe(0);
  });

  const malformed: [string, unknown][] = [
    ["null", null],
    ["wrong version", { version: 2, series: {} }],
    ["series not an object", { version: 1, series: [] }],
    ["series entry missing fields", { version: 1, series: { s: { temporality: "cumulative" } } }],
    [
      "series entry with a string value",
      {
        version: 1,
        series: {
          s: {
            temporality: "cumulative",
            baseValue: "1",
            baseTimeMs: 0,
            lastValue: 1,
            lastTimeMs: 0,
            startTimeMs: null,
            processStartMs: null,
            ratePerSecond: null,
            seenAtMs: 0,
          },
        },
      },
    ],
  ];
  it.each(malformed)("rejects stored state that is %s with reason invalid_rate_state", (_what, json) => {
    expect(() => RateEngine.fromJSON(json)).toThrow(RateStateError);
    try {
      RateEngine.fromJSON(json);
    } catch (error) {
      expect((error as RateStateError).reason).toBe("invalid_rate_state");
    }
  });
});

describe("unixNanoToMs", () => {
  const cases: [bigint | string | number, number][] = [
    [1_700_000_000_123_456_789n, 1_700_000_000_123.4568],
    ["1700000000123456789", 1_700_000_000_123.4568],
    [1_700_000_000_123_000_000, 1_700_000_000_123],
    [0n, 0],
    ["not a number", Number.NaN],
  ];
  it.each(cases)("%s -> %s", (input, want) => {
    const got = unixNanoToMs(input);
    if (Number.isNaN(want)) expect(got).toBeNaN();
    else expect(got).toBeCloseTo(want, 3);
  });
});

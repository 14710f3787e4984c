// One point of one series -> its rate and the series' next state. Pure: never mutates `prev`.
// Cumulative: (value - baseline) / (time - baseline time); delta: sum of increments / window length.

import type { RatedSample, RateInput, RateOptions, ResetEvent, ResetReason, SeriesState } from "./types.js";

export interface StepResult {
  next: SeriesState;
  out: RatedSample;
  reset: ResetEvent | null;
}

/** Returns null for a point that must be skipped (non-finite, or not newer than the series' last point). */
export function stepSeries(
  prev: SeriesState | undefined,
  input: RateInput,
  nowMs: number,
  options: RateOptions,
): StepResult | null {
  if (!Number.isFinite(input.value) || !Number.isFinite(input.timeMs)) return null;
  if (prev !== undefined && input.timeMs <= prev.lastTimeMs) return null;
  return input.temporality === "delta"
    ? stepDelta(prev, input, nowMs, options)
    : stepCumulative(prev, input, nowMs, options);
}

function stepCumulative(
  prev: SeriesState | undefined,
  input: RateInput,
  nowMs: number,
  options: RateOptions,
): StepResult {
  const reason = prev === undefined ? null : resetReason(prev, input, options);
  if (prev === undefined || reason !== null) {
    const next = baseline(input, nowMs, input.value, input.timeMs, null);
    const out = rated(input, null, prev === undefined ? "first" : "reset");
    const reset: ResetEvent | null =
      prev === undefined || reason === null
        ? null
        : {
            seriesKey: input.seriesKey,
            reason,
            timeMs: input.timeMs,
            previousValue: prev.lastValue,
            value: input.value,
          };
    return { next, out, reset };
  }
  const elapsedMs = input.timeMs - prev.baseTimeMs;
  if (elapsedMs < options.minIntervalMs) {
    return { next: advance(prev, input, nowMs), out: rated(input, prev.ratePerSecond, "held"), reset: null };
  }
  const rate = ((input.value - prev.baseValue) * 1000) / elapsedMs;
  const next = baseline(input, nowMs, input.value, input.timeMs, rate, prev);
  return { next, out: rated(input, rate, "rated"), reset: null };
}

/** Delta points need no reset detection: each one is an increment on its own. */
function stepDelta(prev: SeriesState | undefined, input: RateInput, nowMs: number, options: RateOptions): StepResult {
  if (prev !== undefined && prev.temporality !== "delta") {
    const next = baseline(input, nowMs, 0, input.timeMs, null);
    const reset: ResetEvent = {
      seriesKey: input.seriesKey,
      reason: "temporality_changed",
      timeMs: input.timeMs,
      previousValue: prev.lastValue,
      value: input.value,
    };
    return { next, out: rated(input, null, "reset"), reset };
  }
  // The window starts where the previous one ended, or at the point's own start time for a new series.
  const windowStartMs = prev?.baseTimeMs ?? input.startTimeMs;
  if (windowStartMs === undefined || windowStartMs >= input.timeMs) {
    // No known interval for this increment: discard it and measure from this point on.
    return { next: baseline(input, nowMs, 0, input.timeMs, null, prev), out: rated(input, null, "first"), reset: null };
  }
  const sum = (prev?.baseValue ?? 0) + input.value;
  const elapsedMs = input.timeMs - windowStartMs;
  if (elapsedMs < options.minIntervalMs) {
    const next = baseline(input, nowMs, sum, windowStartMs, prev?.ratePerSecond ?? null, prev);
    return { next, out: rated(input, prev?.ratePerSecond ?? null, prev === undefined ? "first" : "held"), reset: null };
  }
  const rate = (sum * 1000) / elapsedMs;
  return { next: baseline(input, nowMs, 0, input.timeMs, rate, prev), out: rated(input, rate, "rated"), reset: null };
}

function resetReason(prev: SeriesState, input: RateInput, options: RateOptions): ResetReason | null {
  if (prev.temporality !== "cumulative") return "temporality_changed";
  if (
    input.processStartMs !== undefined &&
    prev.processStartMs !== null &&
    Math.abs(input.processStartMs - prev.processStartMs) > options.processStartToleranceMs
  ) {
    return "process_restarted";
  }
  if (input.startTimeMs !== undefined && prev.startTimeMs !== null && input.startTimeMs !== prev.startTimeMs) {
    return "start_time_changed";
  }
  if (input.value < prev.lastValue) return "value_decreased";
  return null;
}

/**
 * A state with a new baseline whose last point is `input`. Start times the point omits are taken from
 * `carry` (the previous state), except after a reset, which starts clean.
 */
function baseline(
  input: RateInput,
  nowMs: number,
  baseValue: number,
  baseTimeMs: number,
  rate: number | null,
  carry?: SeriesState,
): SeriesState {
  return {
    temporality: input.temporality,
    baseValue,
    baseTimeMs,
    lastValue: input.value,
    lastTimeMs: input.timeMs,
    startTimeMs: input.startTimeMs ?? carry?.startTimeMs ?? null,
    processStartMs: input.processStartMs ?? carry?.processStartMs ?? null,
    ratePerSecond: rate,
    seenAtMs: nowMs,
  };
}

/** Same baseline, newer last point. Start times keep their old value when the point omits them. */
function advance(prev: SeriesState, input: RateInput, nowMs: number): SeriesState {
  return {
    ...prev,
    lastValue: input.value,
    lastTimeMs: input.timeMs,
    startTimeMs: input.startTimeMs ?? prev.startTimeMs,
    processStartMs: input.processStartMs ?? prev.processStartMs,
    seenAtMs: nowMs,
  };
}

function rated(input: RateInput, rate: number | null, status: RatedSample["status"]): RatedSample {
  return {
    seriesKey: input.seriesKey,
    temporality: input.temporality,
    rawValue: input.value,
    ratePerSecond: rate,
    timeMs: input.timeMs,
    status,
  };
}

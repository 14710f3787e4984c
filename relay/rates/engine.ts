// Applies batches of points to a per-collector rate state and expires stale series.
// Two doors over the same core: `updateRates` (pure, returns a new state) and `RateEngine` (updates in place).

import { stepSeries } from "./step.js";
import {
  DEFAULT_RATE_OPTIONS,
  type RateInput,
  type RateOptions,
  type RateState,
  type RateUpdate,
  type SeriesState,
} from "./types.js";

export function emptyRateState(): RateState {
  return { version: 1, series: Object.create(null) as Record<string, SeriesState> };
}

export function resolveRateOptions(options: Partial<RateOptions> = {}): RateOptions {
  return { ...DEFAULT_RATE_OPTIONS, ...stripUndefined(options) };
}

/**
 * Pure: returns the next state and leaves `state` untouched (per-series states are immutable, so only the
 * series record is copied). Points are applied in input order; `nowMs` is the wall clock, used for expiry only.
 */
export function updateRates(
  state: RateState,
  samples: readonly RateInput[],
  nowMs: number,
  options: Partial<RateOptions> = {},
): RateUpdate & { state: RateState } {
  const series = Object.assign(Object.create(null) as Record<string, SeriesState>, state.series);
  const update = applyInPlace(series, samples, nowMs, resolveRateOptions(options));
  return { ...update, state: { version: 1, series } };
}

/**
 * The shared core. Mutates `series` (a record the caller owns). `expire: false` skips the scan for stale
 * series, for a caller that knows none can be stale yet.
 */
function applyInPlace(
  series: Record<string, SeriesState>,
  samples: readonly RateInput[],
  nowMs: number,
  options: RateOptions,
  expire = true,
): RateUpdate {
  const update: RateUpdate = { rates: [], resets: [], expired: [], ignored: 0 };
  for (const input of samples) {
    const step = stepSeries(series[input.seriesKey], input, nowMs, options);
    if (step === null) {
      update.ignored++;
      continue;
    }
    series[input.seriesKey] = step.next;
    update.rates.push(step.out);
    if (step.reset !== null) update.resets.push(step.reset);
  }
  if (!expire) return update;
  for (const key in series) {
    const entry = series[key];
    if (entry !== undefined && nowMs - entry.seenAtMs > options.staleAfterMs) {
      delete series[key];
      update.expired.push(key);
    }
  }
  return update;
}

/**
 * The same engine as a small class for a long-lived owner (one per collector in a relay replica).
 * `toJSON()` gives plain data to store; `RateEngine.fromJSON` validates it when read back.
 */
export class RateEngine {
  private readonly state: RateState;
  private readonly options: RateOptions;
  /**
   * No series was last seen before this (a lower bound), so until it is `staleAfterMs` old the scan for stale
   * series would find none and is skipped: a push then costs nothing per series it did not carry.
   */
  private oldestSeenMs: number;

  constructor(options: Partial<RateOptions> = {}, state: RateState = emptyRateState()) {
    this.options = resolveRateOptions(options);
    this.state = {
      version: 1,
      series: Object.assign(Object.create(null) as Record<string, SeriesState>, state.series),
    };
    this.oldestSeenMs = oldestSeen(this.state.series);
  }

  /** Throws `RateStateError` if `json` is not a state this engine wrote. */
  static fromJSON(json: unknown, options: Partial<RateOptions> = {}): RateEngine {
    return new RateEngine(options, parseRateState(json));
  }

  update(samples: readonly RateInput[], nowMs: number): RateUpdate {
    const expire = nowMs - this.oldestSeenMs > this.options.staleAfterMs;
    const update = applyInPlace(this.state.series, samples, nowMs, this.options, expire);
    if (expire) this.oldestSeenMs = oldestSeen(this.state.series);
    else if (nowMs < this.oldestSeenMs) this.oldestSeenMs = nowMs;
    return update;
  }

  get seriesCount(): number {
    return Object.keys(this.state.series).length;
  }

  /** A snapshot: later updates do not change it. */
  toJSON(): RateState {
    return { version: 1, series: { ...this.state.series } };
  }
}

function oldestSeen(series: Record<string, SeriesState>): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const key in series) {
    const seen = (series[key] as SeriesState).seenAtMs;
    if (seen < oldest) oldest = seen;
  }
  return oldest;
}

export type RateStateErrorReason = "invalid_rate_state";

export class RateStateError extends Error {
  readonly reason: RateStateErrorReason = "invalid_rate_state";
  constructor(detail: string) {
    super(
      `Stored rate state is not valid (${detail}). Discard it and start from an empty state: ` +
        "each series then shows no rate until it has two points far enough apart.",
    );
    this.name = "RateStateError";
  }
}

/** Validates untrusted stored state (e.g. a database row written by another relay replica). */
export function parseRateState(json: unknown): RateState {
  if (!isRecord(json)) throw new RateStateError("not an object");
  if (json.version !== 1) throw new RateStateError(`unknown version ${String(json.version)}`);
  if (!isRecord(json.series)) throw new RateStateError("series is not an object");
  const series = Object.create(null) as Record<string, SeriesState>;
  for (const [key, value] of Object.entries(json.series)) {
    if (!isSeriesState(value)) throw new RateStateError(`series ${JSON.stringify(key)} is malformed`);
    series[key] = value;
  }
  return { version: 1, series };
}

function isSeriesState(value: unknown): value is SeriesState {
  if (!isRecord(value)) return false;
  const finite = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
  const finiteOrNull = (v: unknown): boolean => v === null || finite(v);
  return (
    (value.temporality === "cumulative" || value.temporality === "delta") &&
    finite(value.baseValue) &&
    finite(value.baseTimeMs) &&
    finite(value.lastValue) &&
    finite(value.lastTimeMs) &&
    finiteOrNull(value.startTimeMs) &&
    finiteOrNull(value.processStartMs) &&
    finiteOrNull(value.ratePerSecond) &&
    finite(value.seenAtMs)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stripUndefined(options: Partial<RateOptions>): Partial<RateOptions> {
  const out: Partial<RateOptions> = {};
  for (const key of Object.keys(options) as (keyof RateOptions)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

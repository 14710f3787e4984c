// Plain-data shapes of the rate engine: its input points, its outputs and its serialisable state.
// Times are milliseconds since the Unix epoch (JS numbers) so the state is plain JSON; see `unixNanoToMs`.

export type Temporality = "cumulative" | "delta";

export interface RateInput {
  /** Identifies one series of one collector (e.g. collector id + `seriesKeyOf(name, attributes)`). */
  seriesKey: string;
  /** The point's value: running total (cumulative) or increment since `startTimeMs` (delta). */
  value: number;
  /** Data-point time, ms since the epoch (OTLP `time_unix_nano` / 1e6). */
  timeMs: number;
  /** OTLP `start_time_unix_nano` in ms, when the collector sets it (Alloy >= v1.14 does not). */
  startTimeMs?: number;
  /** When the collector process started, ms (from `processStartMsOf`); the same for all its series. */
  processStartMs?: number;
  temporality: Temporality;
}

/**
 * first: no baseline yet. reset: the counter restarted, this point is the new baseline.
 * rated: a fresh rate over >= minIntervalMs. held: too close to the baseline; the last rate is repeated.
 */
export type RateStatus = "first" | "reset" | "rated" | "held";

export interface RatedSample {
  seriesKey: string;
  temporality: Temporality;
  /** The point's own value as received (running total or increment). Never a rate. */
  rawValue: number;
  /** Items per second over the last completed interval; null when not known (first point, just reset). */
  ratePerSecond: number | null;
  timeMs: number;
  status: RateStatus;
}

export type ResetReason = "process_restarted" | "start_time_changed" | "value_decreased" | "temporality_changed";

export interface ResetEvent {
  seriesKey: string;
  reason: ResetReason;
  timeMs: number;
  previousValue: number;
  value: number;
}

/** Per-series memory. Every field is JSON-safe (numbers, null, strings). */
export interface SeriesState {
  temporality: Temporality;
  /**
   * Cumulative: the value the next rate is measured from. Delta: the sum of increments since `baseTimeMs`.
   */
  baseValue: number;
  /** Cumulative: time of the baseline point. Delta: start of the window being accumulated. */
  baseTimeMs: number;
  lastValue: number;
  lastTimeMs: number;
  startTimeMs: number | null;
  processStartMs: number | null;
  /** The last rate computed, repeated by `held` points; null after a reset. */
  ratePerSecond: number | null;
  /** Wall-clock time (the `nowMs` of the update) this series last received a point; drives expiry. */
  seenAtMs: number;
}

export interface RateState {
  version: 1;
  series: Record<string, SeriesState>;
}

export interface RateOptions {
  /** A rate is computed only over at least this much data time. Default 30 s. */
  minIntervalMs: number;
  /** A series with no point for this long (wall clock) is forgotten. Default 10 min. */
  staleAfterMs: number;
  /**
   * Process start times closer than this are the same process: otelcol's start is derived from uptime and
   * jitters by the scrape delay. Default 5 s.
   */
  processStartToleranceMs: number;
}

export const DEFAULT_RATE_OPTIONS: Readonly<RateOptions> = {
  minIntervalMs: 30_000,
  staleAfterMs: 10 * 60_000,
  processStartToleranceMs: 5_000,
};

export interface RateUpdate {
  /** One per accepted input point, in input order. */
  rates: RatedSample[];
  resets: ResetEvent[];
  /** Series keys forgotten by this update because they went stale. */
  expired: string[];
  /** Points skipped: non-finite value or time, or not newer than the series' last point. */
  ignored: number;
}

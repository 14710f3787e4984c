// Rate engine: turns counter points (cumulative or delta) into per-second rates with reset detection.
// Pure and clock-free: the caller passes `nowMs`; the state is plain JSON so relay replicas can share it.

export type { RateStateErrorReason } from "./engine.js";
export { emptyRateState, parseRateState, RateEngine, RateStateError, updateRates } from "./engine.js";
export { unixNanoToMs } from "./time.js";
export type {
  RatedSample,
  RateInput,
  RateOptions,
  RateState,
  RateStatus,
  RateUpdate,
  ResetEvent,
  ResetReason,
  SeriesState,
  Temporality,
} from "./types.js";
export { DEFAULT_RATE_OPTIONS } from "./types.js";

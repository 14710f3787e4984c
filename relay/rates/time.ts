// Conversion from OTLP nanosecond timestamps to the engine's milliseconds.

/**
 * `time_unix_nano` (bigint, decimal string, or number) -> ms since the epoch, keeping sub-ms as a fraction.
 * Returns NaN for input that is not an integer, which the engine then skips.
 */
export function unixNanoToMs(nanos: bigint | string | number): number {
  if (typeof nanos === "number") return nanos / 1e6;
  let big: bigint;
  try {
    big = typeof nanos === "bigint" ? nanos : BigInt(nanos);
  } catch {
    return Number.NaN;
  }
  return Number(big / 1_000_000n) + Number(big % 1_000_000n) / 1e6;
}

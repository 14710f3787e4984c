// Per-series memory of recent cumulative points, for the rate window selector (1m / 5m / 1h).
// In memory only: after a relay restart windows fill up again; the 30 s rate never depends on it.

const KEEP_MS = 3_600_000 + 60_000;
/** Points closer than this to the window start still count as covering it (pushes jitter). */
const TOLERANCE_MS = 5_000;

export class SeriesHistory {
  private times: number[] = [];
  private values: number[] = [];

  add(timeMs: number, value: number): void {
    this.times.push(timeMs);
    this.values.push(value);
    let drop = 0;
    while (drop < this.times.length - 1 && timeMs - (this.times[drop] ?? timeMs) > KEEP_MS) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.values.splice(0, drop);
    }
  }

  /** Forget everything (a counter reset: earlier values are from another process). */
  reset(timeMs: number, value: number): void {
    this.times = [timeMs];
    this.values = [value];
  }

  /** Average rate over the last `windowMs` of data time; null when the history does not span two points. */
  rate(windowMs: number): number | null {
    const last = this.times.length - 1;
    if (last < 1) return null;
    const lastTime = this.times[last] as number;
    let first = 0;
    while (first < last && lastTime - (this.times[first] as number) > windowMs + TOLERANCE_MS) first++;
    if (first === last) return null;
    const seconds = (lastTime - (this.times[first] as number)) / 1000;
    return seconds > 0 ? ((this.values[last] as number) - (this.values[first] as number)) / seconds : null;
  }
}

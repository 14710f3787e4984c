// Failed-authentication rate limiting per source address. Pure state over an injected clock: a source that
// fails `maxFailures` times within `windowMs` is refused (429, Retry-After) until `windowMs` after its last burst.

export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
  now: () => number;
  /** Bound on tracked sources, so a spray of addresses cannot grow memory without limit. */
  maxSources?: number;
}

interface SourceState {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

export class AuthFailureLimiter {
  private readonly sources = new Map<string, SourceState>();

  constructor(private readonly options: LimiterOptions) {}

  /** Milliseconds the source must still wait; 0 when it may try. */
  blockedFor(source: string): number {
    const state = this.sources.get(source);
    if (!state) return 0;
    return Math.max(0, state.blockedUntil - this.options.now());
  }

  recordFailure(source: string): void {
    const now = this.options.now();
    let state = this.sources.get(source);
    if (!state || now - state.windowStart >= this.options.windowMs) {
      if (!state && this.sources.size >= (this.options.maxSources ?? 100_000)) this.prune(now);
      state = { windowStart: now, failures: 0, blockedUntil: state?.blockedUntil ?? 0 };
      this.sources.set(source, state);
    }
    state.failures++;
    if (state.failures >= this.options.maxFailures) state.blockedUntil = now + this.options.windowMs;
  }

  private prune(now: number): void {
    for (const [source, state] of this.sources) {
      if (now - state.windowStart >= this.options.windowMs && state.blockedUntil <= now) this.sources.delete(source);
    }
    // Still full: forget the oldest entries (insertion order).
    const excess = this.sources.size - Math.floor((this.options.maxSources ?? 100_000) * 0.9);
    if (excess > 0) for (const source of [...this.sources.keys()].slice(0, excess)) this.sources.delete(source);
  }
}

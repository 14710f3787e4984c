// The link's life cycle as an explicit state machine, and its reconnect delay. Pure.
//   stopped -> connecting -> hello -> live -> backoff -> connecting ...   (any -> stopped on stop)

export type LinkState = "stopped" | "connecting" | "hello" | "live" | "backoff";

export type LinkEvent =
  | { type: "start" }
  | { type: "open" }
  | { type: "welcome" }
  | { type: "closed"; reason: string }
  | { type: "retry" }
  | { type: "stop" };

const TRANSITIONS: Record<LinkState, Partial<Record<LinkEvent["type"], LinkState>>> = {
  stopped: { start: "connecting" },
  connecting: { open: "hello", closed: "backoff", stop: "stopped" },
  hello: { welcome: "live", closed: "backoff", stop: "stopped" },
  live: { closed: "backoff", stop: "stopped" },
  backoff: { retry: "connecting", stop: "stopped" },
};

/** The next state, or null when the event does not apply in this state (ignored, e.g. a late close). */
export function linkTransition(state: LinkState, event: LinkEvent): LinkState | null {
  return TRANSITIONS[state][event.type] ?? null;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): full jitter, random in [0, min(max, initial * 2^attempt)],
 * added to the relay's `goaway.retryAfterMs` when it sent one, so a restarted relay is not hit by every agent at once.
 */
export function reconnectDelay(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return (retryAfterMs ?? 0) + Math.round(random() * ceiling);
}

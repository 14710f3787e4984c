import { describe, expect, it } from "vitest";
import { type LinkEvent, type LinkState, linkTransition, reconnectDelay } from "./index.js";

describe("the link's life cycle", () => {
  const cases: [LinkState, LinkEvent, LinkState | null][] = [
    ["stopped", { type: "start" }, "connecting"],
    ["connecting", { type: "open" }, "hello"],
    ["connecting", { type: "closed", reason: "ECONNREFUSED" }, "backoff"],
    ["hello", { type: "welcome" }, "live"],
    ["hello", { type: "closed", reason: "401" }, "backoff"],
    ["live", { type: "closed", reason: "relay restarted" }, "backoff"],
    ["backoff", { type: "retry" }, "connecting"],
    ["live", { type: "stop" }, "stopped"],
    ["live", { type: "welcome" }, null],
    ["stopped", { type: "closed", reason: "late close after stop" }, null],
    ["backoff", { type: "open" }, null],
  ];
  it.each(cases)("%s + %o -> %s", (from, event, to) => {
    expect(linkTransition(from, event)).toBe(to);
  });
});

describe("reconnect delay", () => {
  const policy = { initialMs: 1_000, maxMs: 60_000 };
  it("grows exponentially up to the cap, with full jitter", () => {
    expect(reconnectDelay(0, policy, null, () => 1)).toBe(1_000);
    expect(reconnectDelay(3, policy, null, () => 1)).toBe(8_000);
    expect(reconnectDelay(20, policy, null, () => 1)).toBe(60_000);
    expect(reconnectDelay(20, policy, null, () => 0)).toBe(0);
    expect(reconnectDelay(3, policy, null, () => 0.5)).toBe(4_000);
  });

  it("waits at least the relay's retryAfterMs, plus jitter", () => {
    expect(reconnectDelay(0, policy, 30_000, () => 0)).toBe(30_000);
    expect(reconnectDelay(0, policy, 30_000, () => 1)).toBe(31_000);
  });

  it("spreads a fleet reconnecting after a relay restart", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(4, policy, 5_000, random));
    const perSecond = new Map<number, number>();
    for (const d of delays) perSecond.set(Math.floor(d / 1000), (perSecond.get(Math.floor(d / 1000)) ?? 0) + 1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...perSecond.values())).toBeLessThan(150);
  });
});

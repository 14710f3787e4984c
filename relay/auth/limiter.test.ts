import { describe, expect, it } from "vitest";
import { AuthFailureLimiter } from "./limiter.js";

describe("failed-auth limiter", () => {
  const make = () => {
    const clock = { now: 1_000_000 };
    return { clock, limiter: new AuthFailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => clock.now }) };
  };

  it.each([
    { failures: 2, blocked: false },
    { failures: 3, blocked: true },
    { failures: 10, blocked: true },
  ])("$failures failures within the window -> blocked=$blocked", ({ failures, blocked }) => {
    const { limiter } = make();
    for (let i = 0; i < failures; i++) limiter.recordFailure("10.0.0.1");
    expect(limiter.blockedFor("10.0.0.1") > 0).toBe(blocked);
    expect(limiter.blockedFor("10.0.0.2")).toBe(0);
  });

  it("lets the source try again once the block has passed, and failures spread over windows never block", () => {
    const { clock, limiter } = make();
    for (let i = 0; i < 3; i++) limiter.recordFailure("a");
    expect(limiter.blockedFor("a")).toBe(60_000);
    clock.now += 60_001;
    expect(limiter.blockedFor("a")).toBe(0);
    for (let i = 0; i < 6; i++) {
      limiter.recordFailure("b");
      clock.now += 30_001;
      if (i % 2 === 1) clock.now += 30_000;
    }
    expect(limiter.blockedFor("b")).toBe(0);
  });
});

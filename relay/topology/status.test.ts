import { describe, expect, it } from "vitest";
import { type CollectorStatusInput, collectorStatus } from "./index.js";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const base: CollectorStatusInput = {
  now: NOW,
  lastPushAt: NOW - 10_000,
  lastRejection: null,
  otlpFresh: true,
  agentFresh: true,
  agentConnected: true,
  agentKnown: true,
  agentDisconnectedAt: null,
  failingEdges: [],
};

describe("collector status", () => {
  it.each<[string, Partial<CollectorStatusInput>, string, RegExp]>([
    ["pushing, agent live", {}, "healthy", /pushing self-telemetry/],
    [
      "never pushed",
      { lastPushAt: null, otlpFresh: false, agentFresh: false },
      "no_telemetry",
      /no OTLP push received yet/,
    ],
    [
      "only rejections",
      {
        lastPushAt: null,
        otlpFresh: false,
        agentFresh: false,
        lastRejection: { reason: "token_unknown_or_revoked_or_expired", at: NOW - 5_000 },
      },
      "no_telemetry",
      /rejected \(token_unknown_or_revoked_or_expired\); re-enrol/,
    ],
    [
      "pushed, then its token was revoked (numbers still fresh)",
      { lastRejection: { reason: "token_unknown_or_revoked_or_expired", at: NOW - 2_000 } },
      "degraded",
      /rejected since .* re-enrol the host/,
    ],
    [
      "an old rejection before the last good push",
      { lastRejection: { reason: "missing_or_malformed_bearer", at: NOW - 60_000 } },
      "healthy",
      /pushing/,
    ],
    [
      "agent link down",
      { agentConnected: false, agentDisconnectedAt: NOW - 30_000 },
      "agent_offline",
      /agent link is down/,
    ],
    ["rates only via the agent", { otlpFresh: false }, "degraded", /rates via agent/],
    [
      "an exporter failing",
      { failingEdges: [{ component: "otelcol.exporter.otlphttp.x", failedPerSecond: 3 }] },
      "degraded",
      /otelcol\.exporter\.otlphttp\.x is failing 3\.0 items\/s/,
    ],
  ])("%s -> %s", (_name, patch, state, reason) => {
    const status = collectorStatus({ ...base, ...patch });
    expect(status.state).toBe(state);
    expect(status.reason).toMatch(reason);
  });
});

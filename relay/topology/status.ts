// Collector status as an explicit union with a reason a person reads. Pure; precedence is the order below.

import type { CollectorState } from "./schema.js";

export interface CollectorStatusInput {
  now: number;
  lastPushAt: number | null;
  lastRejection: { reason: string; at: number } | null;
  otlpFresh: boolean;
  agentFresh: boolean;
  agentConnected: boolean;
  agentKnown: boolean;
  agentDisconnectedAt: number | null;
  failingEdges: { component: string; failedPerSecond: number }[];
}

export function collectorStatus(s: CollectorStatusInput): { state: CollectorState; reason: string } {
  const rejectedRecently = s.lastRejection !== null && (s.lastPushAt === null || s.lastRejection.at > s.lastPushAt);
  if (!s.otlpFresh && !s.agentFresh) {
    if (rejectedRecently && s.lastRejection) {
      return {
        state: "no_telemetry",
        reason: `OTLP pushes are rejected (${s.lastRejection.reason}); re-enrol the host`,
      };
    }
    return {
      state: "no_telemetry",
      reason:
        s.lastPushAt === null
          ? "no OTLP push received yet"
          : `no OTLP push for ${ago(s.now - s.lastPushAt)} (last ${new Date(s.lastPushAt).toISOString()})`,
    };
  }
  // The last word from the collector was a refusal: its numbers are about to go stale, say why now.
  if (rejectedRecently && s.lastRejection) {
    return {
      state: "degraded",
      reason: `OTLP pushes are rejected since ${new Date(s.lastRejection.at).toISOString()} (${s.lastRejection.reason}); re-enrol the host`,
    };
  }
  if (s.agentKnown && !s.agentConnected) {
    return {
      state: "agent_offline",
      reason:
        s.agentDisconnectedAt === null
          ? "the agent is not connected"
          : `the agent link is down since ${new Date(s.agentDisconnectedAt).toISOString()}`,
    };
  }
  if (!s.otlpFresh) {
    return {
      state: "degraded",
      reason: `no OTLP push for ${s.lastPushAt === null ? "ever" : ago(s.now - s.lastPushAt)}; rates via agent`,
    };
  }
  const worst = [...s.failingEdges].sort((a, b) => b.failedPerSecond - a.failedPerSecond)[0];
  if (worst) {
    return { state: "degraded", reason: `${worst.component} is failing ${worst.failedPerSecond.toFixed(1)} items/s` };
  }
  return { state: "healthy", reason: "pushing self-telemetry" };
}

function ago(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} m`;
  return `${Math.round(ms / 3_600_000)} h`;
}

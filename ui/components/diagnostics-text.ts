// The Diagnostics tab's pure text work: the verdict's headline, the verdict's age, and what a failed action means.
import { formatAge } from "../layout/index.js";
import type { ActionState, DoctorRecord, DoctorVerdictView } from "../store/index.js";

/** Age of the last verdict now: the relay's age when asked plus the time since (no trust in the browser clock). */
export function verdictAgeMs(record: DoctorRecord, now: number): number {
  return record.ageSeconds * 1000 + Math.max(0, now - record.receivedAt);
}

/** "All 6 checks passed" or "Stuck at check 3 of 6: <title>". */
export function verdictHeadline(verdict: DoctorVerdictView): string {
  const index = verdict.checks.findIndex((c) => c.id === verdict.stuckAt);
  const stuck = verdict.checks[index];
  if (verdict.stuckAt === null || !stuck) {
    const ran = verdict.checks.filter((c) => c.status === "ok").length;
    return ran === verdict.checks.length
      ? `All ${ran} checks passed`
      : `No check failed (${ran} of ${verdict.checks.length} ran)`;
  }
  return `Stuck at check ${index + 1} of ${verdict.checks.length}: ${stuck.title}`;
}

/** "2 m ago"; "just now" under 5 s. */
export function verdictAge(record: DoctorRecord, now: number): string {
  const ms = verdictAgeMs(record, now);
  return ms < 5_000 ? "just now" : `${formatAge(ms)} ago`;
}

/** The headline of a failed action; the relay's message (which says what to do) follows it. */
export function problemHeadline(run: Extract<ActionState, { state: "failed" }>, action: "doctor" | "snapshot"): string {
  const what = action === "doctor" ? "Doctor could not run" : "No snapshot was taken";
  switch (run.reason) {
    case "agent_offline":
      return `${what}: the agent is offline.`;
    case "agent_request_timeout":
      return `${what}: the agent did not answer in time.`;
    case "relay_unreachable":
      return `${what}: the relay cannot be reached.`;
    default:
      return `${what}.`;
  }
}

// What the daemon turns into events: journal lines about exports, and a throttle so an outage that logs a
// retry every few seconds becomes one event per component and minute, with a count. Pure.

import type { AgentEvent } from "../../common/protocol/index.js";
import type { ClassifiedJournalEntry } from "../journal/index.js";

/** The event a classified journal line raises, or null for lines that say nothing about delivery. */
export function eventForJournalLine(line: ClassifiedJournalEntry): AgentEvent | null {
  const component = line.component ?? "the collector";
  const error = line.fields.error ?? line.fields.err;
  const detail: Record<string, unknown> = {
    kind: line.kind,
    component: line.component ?? null,
    journalTimeMs: line.time,
    ...(line.statusCode !== undefined ? { statusCode: line.statusCode } : {}),
    ...(line.droppedItems !== undefined ? { droppedItems: line.droppedItems } : {}),
    ...(line.rejectedItems !== undefined ? { rejectedItems: line.rejectedItems } : {}),
    ...(error !== undefined ? { error: error.slice(0, 500) } : {}),
  };
  const because = error ? `: ${error.slice(0, 300)}` : "";
  switch (line.kind) {
    case "export_retry":
      return {
        type: "export_failure",
        severity: "warning",
        message: `${component} failed to export and will retry${because}`,
        detail,
      };
    case "export_dropped":
      return {
        type: "export_failure",
        severity: "error",
        message: `${component} dropped ${line.droppedItems ?? "some"} items${because}`,
        detail,
      };
    case "export_rejected":
      return {
        type: "export_failure",
        severity: "error",
        message: `${component} rejected ${line.rejectedItems ?? "some"} items before sending${because}`,
        detail,
      };
    case "partial_success":
      return {
        type: "export_failure",
        severity: "warning",
        message: `${component}: the destination accepted only part of a batch (${line.droppedItems ?? "?"} dropped)`,
        detail,
      };
    case "auth_rejected":
      return {
        type: "auth_rejected",
        severity: "error",
        message: `${component}: the destination refused the credentials (401)${because}`,
        detail,
      };
    case "config_reload_failed":
      return {
        type: "config_changed",
        severity: "error",
        message: `the collector refused to reload its config${because}`,
        detail,
      };
    default:
      return null;
  }
}

/** One event per key per window; the events held back are counted into the next one let through. */
export class EventThrottle {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(private readonly windowMs: number) {}

  admit(key: string, nowMs: number): { pass: boolean; suppressed: number } {
    const seen = this.last.get(key);
    if (seen && nowMs - seen.atMs < this.windowMs) {
      seen.suppressed++;
      return { pass: false, suppressed: 0 };
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { atMs: nowMs, suppressed: 0 });
    return { pass: true, suppressed };
  }
}

// The doctor's verdict as a person reads it in a terminal: one line per check, evidence indented, the broken link
// and its fix last. Pure.

import type { DoctorVerdict } from "../../common/protocol/index.js";

const MARK = { ok: "ok  ", fail: "FAIL", skipped: "skip" } as const;

export function renderVerdict(verdict: DoctorVerdict): string {
  const lines: string[] = [];
  for (const check of verdict.checks) {
    lines.push(`[${MARK[check.status]}] ${check.title}`);
    if (check.status !== "skipped") for (const e of check.evidence) lines.push(`       ${e}`);
  }
  const failed = verdict.checks.find((c) => c.id === verdict.stuckAt);
  lines.push("");
  if (failed) {
    lines.push(`Broken link: ${failed.title} (${failed.id})`);
    lines.push(`Fix: ${failed.fix}`);
  } else {
    lines.push("All checks passed: this collector's self-telemetry reaches LinkMesh and is attributed to its edges.");
  }
  return `${lines.join("\n")}\n`;
}

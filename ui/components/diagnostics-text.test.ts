import { describe, expect, it } from "vitest";
import type { DoctorCheck, DoctorRecord, DoctorVerdictView } from "../store/index.js";
import { problemHeadline, verdictAge, verdictAgeMs, verdictHeadline } from "./diagnostics-text.js";

const check = (id: string, status: DoctorCheck["status"]): DoctorCheck => ({
  id,
  title: `Title of ${id}`,
  status,
  evidence: [],
  fix: "",
});

describe("the doctor verdict reads as one headline", () => {
  it.each<[string, DoctorVerdictView, string]>([
    ["all ok", { ok: true, stuckAt: null, checks: [check("a", "ok"), check("b", "ok")] }, "All 2 checks passed"],
    [
      "stuck at the second",
      { ok: false, stuckAt: "b", checks: [check("a", "ok"), check("b", "fail"), check("c", "skipped")] },
      "Stuck at check 2 of 3: Title of b",
    ],
    [
      "nothing failed but some skipped",
      { ok: true, stuckAt: null, checks: [check("a", "ok"), check("b", "skipped")] },
      "No check failed (1 of 2 ran)",
    ],
  ])("%s", (_, verdict, headline) => expect(verdictHeadline(verdict)).toBe(headline));
});

describe("the verdict's age counts from the relay's age, not the browser clock", () => {
  const record = (ageSeconds: number, receivedAt: number): DoctorRecord => ({
    verdict: { ok: true, stuckAt: null, checks: [] },
    at: 0,
    ageSeconds,
    receivedAt,
  });
  it.each<[DoctorRecord, number, number, string]>([
    [record(0, 1_000), 1_000, 0, "just now"],
    [record(120, 1_000), 31_000, 150_000, "2 m ago"],
    [record(10, 5_000), 4_000, 10_000, "10 s ago"],
  ])("%j at %d -> %d ms", (r, now, ms, text) => {
    expect(verdictAgeMs(r, now)).toBe(ms);
    expect(verdictAge(r, now)).toBe(text);
  });
});

describe("a failed action says why in words", () => {
  it.each<[string, "doctor" | "snapshot", string]>([
    ["agent_offline", "doctor", "Doctor could not run: the agent is offline."],
    ["agent_offline", "snapshot", "No snapshot was taken: the agent is offline."],
    ["agent_request_timeout", "doctor", "Doctor could not run: the agent did not answer in time."],
    ["bad_agent_reply", "snapshot", "No snapshot was taken."],
  ])("%s (%s)", (reason, action, text) =>
    expect(problemHeadline({ state: "failed", reason, message: "m", at: 0 }, action)).toBe(text),
  );
});

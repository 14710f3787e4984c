import { describe, expect, it } from "vitest";
import { parseDoctor, parseSnapshots } from "./parse.js";
import { CSRF_HEADER, RelayStore } from "./store.js";

const VERDICT = {
  ok: false,
  stuckAt: "otlp_push",
  timeMs: 1,
  checks: [
    { id: "own_metrics", title: "Own metrics", status: "ok", evidence: ["marker found"], fix: "" },
    { id: "otlp_push", title: "Pushing OTLP", status: "fail", evidence: ["sent 0 -> 0"], fix: "restart alloy" },
    { id: "relay", title: "Reaching the relay", status: "skipped", evidence: [], fix: "" },
  ],
};
const LAST = { verdict: VERDICT, at: "2026-01-01T00:00:00.000Z", ageSeconds: 90 };
const SNAP = {
  id: "s1",
  markerId: "lms-abc",
  fileName: "linkmesh-snapshot-web-01.tar.gz",
  sizeBytes: 2048,
  sha256: "0".repeat(64),
  truncated: false,
  createdAt: "2026-01-01T00:01:00.000Z",
  download: "/api/v1/collectors/c1/snapshots/s1",
};

type Call = { method: string; url: string; headers: Record<string, string> };
type Answer = { status: number; body: unknown };

/** A relay stand-in: answers by "METHOD path"; records every call. */
function fakeRelay(answers: Record<string, Answer>) {
  const calls: Call[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    calls.push({ method, url, headers: (init?.headers ?? {}) as Record<string, string> });
    const answer = answers[`${method} ${url}`] ?? { status: 404, body: { error: "not_found", message: url } };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  const store = new RelayStore({ fetch: fetchFn, eventSource: null, pollMs: 0 });
  return { store, calls };
}

const OFFLINE = {
  status: 409,
  body: { error: "agent_offline", message: "The agent of collector c1 is offline (it has no live link)." },
};

describe("the store reads and runs diagnostics for the collector page", () => {
  it("loads the last verdict (never ran -> null) and the snapshots with download links", async () => {
    const { store } = fakeRelay({
      "GET /api/v1/collectors/c1/doctor": {
        status: 404,
        body: { error: "no_verdict", message: "doctor has not run" },
      },
      "GET /api/v1/collectors/c1/snapshots": { status: 200, body: { snapshots: [SNAP] } },
    });
    await store.loadDiagnostics("c1");
    const d = store.state.diagnostics.get("c1");
    expect(d?.doctor).toBeNull();
    expect(d?.loadError).toBeNull();
    expect(d?.snapshots?.map((s) => [s.markerId, s.href])).toEqual([["lms-abc", "/api/v1/collectors/c1/snapshots/s1"]]);
  });

  it("runs doctor with the CSRF header and shows the new verdict", async () => {
    const { store, calls } = fakeRelay({
      "POST /api/v1/collectors/c1/doctor": { status: 200, body: { ...LAST, ageSeconds: 0 } },
    });
    const running = store.runDoctor("c1");
    expect(store.state.diagnostics.get("c1")?.doctorRun.state).toBe("running");
    await running;
    const d = store.state.diagnostics.get("c1");
    expect(d?.doctorRun).toEqual({ state: "idle" });
    expect(d?.doctor?.verdict.stuckAt).toBe("otlp_push");
    expect(calls.find((c) => c.method === "POST")?.headers[CSRF_HEADER]).toBe("1");
  });

  it("says the agent is offline and still shows the last verdict", async () => {
    const { store } = fakeRelay({
      "POST /api/v1/collectors/c1/doctor": OFFLINE,
      "POST /api/v1/collectors/c1/snapshots": OFFLINE,
      "GET /api/v1/collectors/c1/doctor": { status: 200, body: LAST },
      "GET /api/v1/collectors/c1/snapshots": { status: 200, body: { snapshots: [] } },
    });
    await store.runDoctor("c1");
    await store.requestSnapshot("c1");
    const d = store.state.diagnostics.get("c1");
    for (const run of [d?.doctorRun, d?.snapshotRun])
      expect(run).toMatchObject({ state: "failed", reason: "agent_offline", message: OFFLINE.body.message });
    expect(d?.doctor?.ageSeconds).toBe(90);
  });

  it("lists a requested snapshot once stored", async () => {
    const { store, calls } = fakeRelay({
      "POST /api/v1/collectors/c1/snapshots": { status: 201, body: SNAP },
      "GET /api/v1/collectors/c1/doctor": { status: 200, body: LAST },
      "GET /api/v1/collectors/c1/snapshots": { status: 200, body: { snapshots: [SNAP] } },
    });
    await store.requestSnapshot("c1");
    const d = store.state.diagnostics.get("c1");
    expect(d?.snapshotRun).toEqual({ state: "idle" });
    expect(d?.snapshots?.map((s) => s.id)).toEqual(["s1"]);
    expect(calls.find((c) => c.method === "POST")?.headers[CSRF_HEADER]).toBe("1");
  });
});

describe("diagnostics answers are validated", () => {
  it("finds the first failing check when the relay does not name it", () => {
    const record = parseDoctor({ ...LAST, verdict: { ...VERDICT, stuckAt: undefined } }, 5);
    expect(record.verdict).toMatchObject({ ok: false, stuckAt: "otlp_push" });
    expect(record).toMatchObject({ at: Date.parse(LAST.at), ageSeconds: 90, receivedAt: 5 });
  });

  it.each<[string, unknown]>([
    ["an unknown check status", { ...LAST, verdict: { ...VERDICT, checks: [{ id: "x", status: "maybe" }] } }],
    ["no time", { verdict: VERDICT }],
    ["no checks", { ...LAST, verdict: { ok: true } }],
  ])("rejects a verdict with %s", (_, body) => expect(() => parseDoctor(body, 0)).toThrow(/unexpected shape/));

  it("sorts snapshots newest first", () => {
    const older = { ...SNAP, id: "s0", createdAt: "2025-12-31T00:00:00.000Z" };
    expect(parseSnapshots({ snapshots: [older, SNAP] }, (id) => id).map((s) => s.id)).toEqual(["s1", "s0"]);
  });
});

import { describe, expect, it } from "vitest";
import { type Envelope, packSignals, parseEnvelope, type Signal } from "./index.js";

const decode = (payloads: string[]) => payloads.map((p) => JSON.parse(p) as Envelope);

describe("packing cross-replica signals into NOTIFY payloads", () => {
  it("merges fleet signals into one deduplicated id list and drops repeated signals", () => {
    const queued: Signal[] = [
      { kind: "fleet", collectorIds: ["a", "b"] },
      { kind: "forget", collectorId: "a", deregistered: true },
      { kind: "fleet", collectorIds: ["b", "c"] },
      { kind: "forget", collectorId: "a", deregistered: true },
    ];
    expect(decode(packSignals("r1", queued))).toEqual([
      {
        from: "r1",
        signals: [
          { kind: "forget", collectorId: "a", deregistered: true },
          { kind: "fleet", collectorIds: ["a", "b", "c"] },
        ],
      },
    ]);
  });

  it("splits a large batch so every payload stays under the limit and no id is lost", () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
    const payloads = packSignals("r1", [{ kind: "fleet", collectorIds: ids }]);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(7_500);
    const got = decode(payloads).flatMap((e) => e.signals.flatMap((s) => (s.kind === "fleet" ? s.collectorIds : [])));
    expect(got).toEqual(ids);
  });

  it.each([
    ["not JSON", "{", null],
    ["no sender", JSON.stringify({ signals: [] }), null],
    [
      "unknown kinds dropped",
      JSON.stringify({ from: "r", signals: [{ kind: "x" }, { kind: "fleet", collectorIds: [] }] }),
      { from: "r", signals: [{ kind: "fleet", collectorIds: [] }] },
    ],
  ])("reads payloads defensively: %s", (_name, payload, expected) => {
    expect(parseEnvelope(payload)).toEqual(expected);
  });
});

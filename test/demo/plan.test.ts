// The demo fleet plan (demo/plan.ts): every broken case present, configs match what the stand-ins count, rates drift.
import { describe, expect, it } from "vitest";
import { BROKEN_CASES, drifting, planFleet } from "../../demo/index.js";

describe("the demo fleet plan", () => {
  it.each([
    [8, 1, 1, 6],
    [9, 2, 1, 6],
    [12, 4, 2, 6],
    [40, 25, 9, 6],
  ])("%i hosts: %i healthy Alloy, %i otelcol-contrib, %i broken", (hosts, alloy, otel, broken) => {
    const plan = planFleet(hosts);
    expect(plan).toHaveLength(hosts);
    expect(new Set(plan.map((h) => h.hostname)).size).toBe(hosts);
    expect(plan.filter((h) => h.kind === "alloy" && h.broken === null)).toHaveLength(alloy);
    expect(plan.filter((h) => h.kind === "otelcol")).toHaveLength(otel);
    expect(plan.filter((h) => h.broken !== null)).toHaveLength(broken);
  });

  it("has every broken case once when at least 8 hosts run", () => {
    expect(
      planFleet(8)
        .map((h) => h.broken)
        .filter((b) => b !== null)
        .sort(),
    ).toEqual([...BROKEN_CASES].sort());
  });

  it("healthy Alloy hosts count what their config declares (plus the LinkMesh blocks)", () => {
    for (const host of planFleet(12)) {
      if (host.kind !== "alloy" || host.broken !== null) continue;
      for (const c of host.components) {
        if (c.id.endsWith(".linkmesh")) continue;
        const [, label] = /\.([a-z_]+)$/.exec(c.id) ?? [];
        const type = c.id.slice(0, c.id.length - (label?.length ?? 0) - 1);
        expect(host.config).toContain(`${type} "${label}"`);
      }
    }
  });

  it("the renamed component is counted under a name its config does not have", () => {
    const host = planFleet(8).find((h) => h.broken === "renamed_component");
    expect(host?.kind === "alloy" && host.components.map((c) => c.id)).toContain("prometheus.remote_write.mimir_eu");
    expect(host?.kind === "alloy" && host.config).not.toContain("mimir_eu");
  });
});

describe("drifting rates", () => {
  it.each([
    [100, 0],
    [420, 2],
    [75, 5],
  ])("base %i (phase %i): never decreases, moves +-40 %% and averages the base over a period", (base, phase) => {
    const count = drifting(base, phase, 600);
    let previous = count(0);
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let t = 15; t <= 600; t += 15) {
      const now = count(t);
      expect(now).toBeGreaterThanOrEqual(previous);
      const rate = (now - previous) / 15;
      min = Math.min(min, rate);
      max = Math.max(max, rate);
      previous = now;
    }
    expect(count(0)).toBe(0);
    expect(count(600) / 600).toBeCloseTo(base, 5);
    expect(min).toBeLessThan(base * 0.7);
    expect(max).toBeGreaterThan(base * 1.3);
  });
});

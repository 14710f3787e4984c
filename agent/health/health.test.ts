import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { cpuUtilization, HostHealthSampler } from "./index.js";

describe("host health", () => {
  const cases: [string, { idle: number; total: number }, { idle: number; total: number }, number][] = [
    ["all idle", { idle: 100, total: 100 }, { idle: 200, total: 200 }, 0],
    ["half busy", { idle: 100, total: 100 }, { idle: 150, total: 200 }, 0.5],
    ["no time passed", { idle: 100, total: 100 }, { idle: 100, total: 100 }, 0],
  ];
  it.each(cases)("CPU utilisation: %s", (_name, before, after, expected) => {
    expect(cpuUtilization(before, after)).toBe(expected);
  });

  it("samples memory, uptime and the disk under the given root", async () => {
    const h = await new HostHealthSampler(tmpdir()).sample();
    expect(h.memoryTotalBytes).toBeGreaterThan(h.memoryUsedBytes);
    expect(h.diskTotalBytes).toBeGreaterThanOrEqual(h.diskUsedBytes);
    expect(h.diskTotalBytes).toBeGreaterThan(0);
    expect(h.uptimeSeconds).toBeGreaterThan(0);
  });
});

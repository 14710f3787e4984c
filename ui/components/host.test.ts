import { describe, expect, it } from "vitest";
import { ago, hostSummary } from "./host.js";

describe("host metrics read as CPU, memory and uptime", () => {
  it.each([
    [{}, { cpu: "–", memory: "–", uptime: "–" }],
    [
      { cpu_utilization: 0.42, memory_utilization: 0.5, uptime_seconds: 7200 },
      { cpu: "42 %", memory: "50 %", uptime: "2 h" },
    ],
    [
      { "system.cpu.utilization": 0.05, "system.memory.usage": 2 * 1024 ** 3 },
      { cpu: "5 %", memory: "2 GiB", uptime: "–" },
    ],
    [
      { process_rss_bytes: 150 * 1024 ** 2, process_uptime_seconds: 30 },
      { cpu: "–", memory: "150 MiB", uptime: "30 s" },
    ],
    [{ process_start_time_seconds: 1_000 }, { cpu: "–", memory: "–", uptime: "1 h" }],
  ])("%j", (metrics, expected) => expect(hostSummary(metrics, 4_600_000)).toEqual(expected));

  it.each([
    [null, "never"],
    [1_000, "59 s ago"],
  ])("last push %s -> %s", (at, text) => expect(ago(at, 60_000)).toBe(text));
});

import { describe, expect, it } from "vitest";
import { classifyPoints, hostMetricsFromAgentHealth, type RawPoint, SeriesCache } from "./points.js";

const point = (name: string, value: number, attributes: Record<string, string> = {}): RawPoint => ({
  name,
  attributes,
  value,
  timeMs: 1_000,
  startTimeMs: 0,
  temporality: "cumulative",
  isCounter: true,
});

describe("classifyPoints", () => {
  it.each([
    { value: Number.NaN, kept: false },
    { value: Number.POSITIVE_INFINITY, kept: false },
    { value: 42, kept: true },
  ])("host gauge value $value kept=$kept", ({ value, kept }) => {
    const out = classifyPoints([point("otelcol_process_uptime", value)], "otelcol-contrib", new SeriesCache());
    expect("process_uptime_seconds" in out.host).toBe(kept);
  });

  it("gives counters their component and the push's process start", () => {
    const out = classifyPoints(
      [
        point("otelcol_exporter_sent_metric_points_total", 10, {
          component_id: "otelcol.exporter.otlphttp.a",
          component_path: "/",
        }),
        { ...point("alloy_resources_process_start_time_seconds", 100), isCounter: false },
      ],
      "alloy",
      new SeriesCache(),
    );
    expect(out.flows.map((f) => [f.cls.componentId, f.cls.direction, f.input.processStartMs])).toEqual([
      ["otelcol.exporter.otlphttp.a", "sent", 100_000],
    ]);
  });
});

describe("agent host health on the collector record", () => {
  it("uses the same metric names as OTLP host metrics, with ratios from used/total", () => {
    const metrics = hostMetricsFromAgentHealth({
      cpuUtilization: 0.25,
      memoryUsedBytes: 2e9,
      memoryTotalBytes: 8e9,
      uptimeSeconds: 3600,
      diskUsedBytes: 10e9,
      diskTotalBytes: 0,
    });
    expect(metrics).toEqual({
      cpu_utilization: 0.25,
      memory_usage_bytes: 2e9,
      memory_utilization: 0.25,
      uptime_seconds: 3600,
      disk_usage_bytes: 10e9,
    });
  });
});

describe("SeriesCache", () => {
  const sent = (attributes: Record<string, string>, seriesIdentity?: string): RawPoint => ({
    ...point("otelcol_exporter_sent_metric_points_total", 1, attributes),
    seriesIdentity,
  });
  const a = { component_id: "otelcol.exporter.otlphttp.a", component_path: "/" };
  const b = { component_id: "otelcol.exporter.otlphttp.b", component_path: "/" };

  it.each([
    { path: "by decoder identity", idA: "\x3a\x01a", idB: "\x3a\x01b" },
    { path: "by attributes (JSON and agent samples)", idA: undefined, idB: undefined },
  ])("tells series apart and classifies each once, $path", ({ idA, idB }) => {
    const cache = new SeriesCache();
    const first = cache.lookup(sent(a, idA), "alloy");
    expect(first).toMatchObject({ kind: "flow", cls: { componentId: "otelcol.exporter.otlphttp.a" } });
    expect(cache.lookup(sent(a, idA), "alloy")).toBe(first);
    expect(cache.lookup(sent(b, idB), "alloy")).toMatchObject({ cls: { componentId: "otelcol.exporter.otlphttp.b" } });
  });

  it("starts over when full instead of growing", () => {
    const cache = new SeriesCache(2);
    const first = cache.lookup(sent(a, "1"), "alloy");
    cache.lookup(sent(b, "2"), "alloy");
    cache.lookup(sent(b, "3"), "alloy");
    expect(cache.lookup(sent(a, "1"), "alloy")).not.toBe(first);
    expect(cache.lookup(sent(a, "1"), "alloy")).toEqual(first);
  });
});

import { describe, expect, it } from "vitest";
import { classifyPoints, type RawPoint, SeriesCache } from "./points.js";

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

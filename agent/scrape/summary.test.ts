import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AlloySimulator } from "../../test/sim/alloy.js";
import { exportActivity, summarizeScrape } from "./index.js";

const ALLOY_DUMP = readFileSync(new URL("../../../shared/corpus/metrics/alloy-v1.11.1.prom", import.meta.url), "utf8");
const OTELCOL_DUMP = readFileSync(
  new URL("../../../shared/corpus/metrics/otelcol-elastic-agent-8.15.0.prom", import.meta.url),
  "utf8",
);
const SEEN_OTELCOL = ["elasticsearch", "filelog/platformlogs", "hostmetrics/system"];
const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";

describe("summarising one scrape of the collector's /metrics", () => {
  it("lists the root components a real Alloy v1.11.1 dump names, without reading any exporter", () => {
    const s = summarizeScrape(ALLOY_DUMP, { collectorType: "alloy", exporterId: EXPORTER, timeMs: 1 });
    expect(s.seen).toEqual([
      "prometheus.remote_write.default",
      "prometheus.scrape.alloy_metrics",
      "prometheus.scrape.cadvisor",
      "prometheus.scrape.system_metrics",
      "prometheus.scrape.telegraf",
    ]);
    expect(s.exporterSent).toBeNull();
    expect(s.parseErrors).toBe(0);
    expect(s.samples.length).toBeGreaterThan(0);
    expect(s.samples.every((x) => x.timeMs === 1)).toBe(true);
  });

  it("reads an otelcol dump's components by their type/name ids", () => {
    const s = summarizeScrape(OTELCOL_DUMP, { collectorType: "otelcol-contrib", exporterId: null, timeMs: 1 });
    expect(s.seen).toEqual(SEEN_OTELCOL);
  });

  it("ignores components loaded through remotecfg (component_path /remotecfg)", () => {
    const sim = new AlloySimulator({
      hostname: "h",
      startTimeMs: 0,
      components: [
        { id: EXPORTER, ratePerSecond: 10 },
        { id: "otelcol.exporter.otlphttp.remote", ratePerSecond: 10, componentPath: "/remotecfg" },
      ],
    });
    const s = summarizeScrape(sim.metricsText(60_000), { collectorType: "alloy", exporterId: EXPORTER, timeMs: 0 });
    expect(s.seen).toEqual([EXPORTER]);
    expect(s.exporterSent).toBe(600);
  });
});

describe("export activity is the LinkMesh exporter's sent counter going up", () => {
  const sim = new AlloySimulator({ hostname: "h", startTimeMs: 0, components: [{ id: EXPORTER, ratePerSecond: 5 }] });
  const at = (ms: number, exporterId = EXPORTER) =>
    summarizeScrape(sim.metricsText(ms), { collectorType: "alloy", exporterId, timeMs: ms });
  const cases: [string, ReturnType<typeof at> | null, ReturnType<typeof at>, string][] = [
    ["first scrape", null, at(30_000), "unknown"],
    ["counter grew", at(30_000), at(60_000), "exporting"],
    ["counter flat", at(60_000), at(60_000), "stalled"],
    ["counter went down (Alloy restarted)", at(60_000), at(30_000), "unknown"],
    ["no LinkMesh exporter in /metrics", at(30_000), at(60_000, "otelcol.exporter.otlphttp.other"), "no_exporter"],
  ];
  it.each(cases)("%s", (_name, previous, current, expected) => {
    expect(exportActivity(previous, current)).toBe(expected);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CollectorType } from "../model/index.js";
import { parsePrometheusText } from "../prom-text/index.js";
import { classifySeries, hostMetricOf, processStartMsOf } from "./index.js";

const corpus = (file: string): string =>
  readFileSync(new URL(`../../../shared/corpus/metrics/${file}`, import.meta.url), "utf8");

/** "componentId signal direction" -> summed value, over every classified series of a real dump. */
function summarise(file: string, type: CollectorType): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sample of parsePrometheusText(corpus(file)).samples) {
    const c = classifySeries(sample.name, sample.labels, type);
    if (c === null) continue;
    const key = `${c.componentPath} ${c.componentId} ${c.signal} ${c.direction}`;
    totals.set(key, (totals.get(key) ?? 0) + sample.value);
  }
  return totals;
}

describe("real Alloy v1.11.1 /metrics dump", () => {
  it("yields the scrape, remote_write components and their counters, nothing else", () => {
    expect(Object.fromEntries(summarise("alloy-v1.11.1.prom", "alloy"))).toEqual({
      "/ prometheus.scrape.alloy_metrics metrics out": 18043,
      "/ prometheus.scrape.cadvisor metrics out": 69376,
      "/ prometheus.scrape.system_metrics metrics out": 129142,
      "/ prometheus.scrape.telegraf metrics out": 47125,
      "/ prometheus.remote_write.default metrics in": 263686,
      "/ prometheus.remote_write.default metrics sent": 263454,
      "/ prometheus.remote_write.default metrics send_failed": 0,
    });
  });

  it("gives the process start time used for reset detection", () => {
    const starts = parsePrometheusText(corpus("alloy-v1.11.1.prom"))
      .samples.map((s) => {
        const host = hostMetricOf(s.name, s.labels);
        return host === null ? null : processStartMsOf(host.metric, s.value, 0);
      })
      .filter((v) => v !== null);
    expect(starts).toEqual([1_762_766_137_000]);
  });
});

describe("real otelcol dumps", () => {
  it("elastic otelcol 8.15.0 yields receiver accepted/refused and exporter sent/send_failed", () => {
    expect(Object.fromEntries(summarise("otelcol-elastic-agent-8.15.0.prom", "otelcol-contrib"))).toEqual({
      "/ elasticsearch logs send_failed": 0,
      "/ elasticsearch metrics send_failed": 0,
      "/ elasticsearch logs sent": 14,
      "/ elasticsearch metrics sent": 178638,
      "/ filelog/platformlogs logs accepted": 14,
      "/ hostmetrics/system metrics accepted": 69042,
      "/ filelog/platformlogs logs refused": 0,
      "/ hostmetrics/system metrics refused": 0,
    });
  });

  it("elastic otelcol 8.15.0 exposes uptime, RSS and CPU of the collector process", () => {
    const kinds = parsePrometheusText(corpus("otelcol-elastic-agent-8.15.0.prom"))
      .samples.map((s) => hostMetricOf(s.name, s.labels)?.metric)
      .filter((k) => k !== undefined);
    expect(kinds.sort()).toEqual(["process_cpu_seconds", "process_rss_bytes", "process_uptime_seconds"]);
  });

  it("otelcol 0.90.0-dev has only queue gauges and process metrics: no flow series", () => {
    expect(summarise("otelcol-0.90.0-dev.prom", "otelcol-contrib").size).toBe(0);
    const uptime = parsePrometheusText(corpus("otelcol-0.90.0-dev.prom")).samples.find(
      (s) => hostMetricOf(s.name, s.labels)?.metric === "process_uptime_seconds",
    );
    expect(uptime?.value).toBeCloseTo(22.446733);
  });
});

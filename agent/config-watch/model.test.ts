import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeDiff, diffGraphs, readCollectorConfig } from "./index.js";

const real = (name: string) =>
  readFileSync(new URL(`../../../shared/corpus/alloy/valid/real/${name}`, import.meta.url), "utf8");

describe("reading the collector config", () => {
  it("gives the component graph of a real Alloy config", () => {
    const r = readCollectorConfig("alloy", real("packaging.alloy"), "config.alloy");
    expect(r.ok && r.graph.components.map((c) => c.id).sort()).toEqual([
      "prometheus.exporter.unix.default",
      "prometheus.scrape.default",
    ]);
  });

  it("reports where a broken config fails", () => {
    const r = readCollectorConfig("alloy", 'prometheus.scrape "x" {\n\ttargets = [\n}\n', "config.alloy");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^config\.alloy:\d+:\d+: /);
  });

  it("reads otelcol YAML too", () => {
    const yaml =
      "receivers:\n  otlp:\n    protocols:\n      grpc:\nexporters:\n  debug:\nservice:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n      exporters: [debug]\n";
    const r = readCollectorConfig("otelcol-contrib", yaml, "config.yaml");
    expect(r.ok && r.graph.components.map((c) => c.id).sort()).toEqual(["debug", "otlp"]);
  });
});

describe("what changed between two versions of a config", () => {
  it("names added and removed components", () => {
    const a = readCollectorConfig("alloy", real("packaging.alloy"), "a");
    const renamed = real("packaging.alloy").replace('prometheus.scrape "default"', 'prometheus.scrape "node"');
    const b = readCollectorConfig("alloy", renamed, "b");
    if (!a.ok || !b.ok) throw new Error("corpus file must parse");
    const d = diffGraphs(a.graph, b.graph);
    expect(d.addedComponents).toEqual(["prometheus.scrape.node"]);
    expect(d.removedComponents).toEqual(["prometheus.scrape.default"]);
    expect(describeDiff(d)).toBe("added prometheus.scrape.node; removed prometheus.scrape.default");
    expect(a.sha256).not.toBe(b.sha256);
  });
});

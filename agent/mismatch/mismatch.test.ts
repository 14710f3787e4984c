import { describe, expect, it } from "vitest";
import type { ComponentGraph } from "../../common/model/index.js";
import { describeMismatch, findNamingMismatches, type NamingMismatch } from "./index.js";

const graph: ComponentGraph = {
  components: [
    { id: "prometheus.exporter.self.linkmesh", kind: "source", type: "prometheus.exporter.self", signals: [] },
    { id: "prometheus.scrape.linkmesh", kind: "source", type: "prometheus.scrape", signals: [] },
    { id: "otelcol.exporter.otlphttp.linkmesh", kind: "destination", type: "otelcol.exporter.otlphttp", signals: [] },
    { id: "local.file.linkmesh_token", kind: "source", type: "local.file", signals: [] },
  ],
  edges: [],
};
const all = ["prometheus.scrape.linkmesh", "otelcol.exporter.otlphttp.linkmesh"];

describe("local component_naming_mismatch", () => {
  const cases: [string, string[][], number, NamingMismatch[]][] = [
    ["everything configured emits", [all, all, all], 3, []],
    [
      "a component renamed in the running collector but not in the file",
      [[...all, "otelcol.exporter.otlphttp.backend"]],
      3,
      [{ reason: "unknown component", component: "otelcol.exporter.otlphttp.backend" }],
    ],
    [
      "a configured exporter silent for 3 scrapes",
      [["prometheus.scrape.linkmesh"], ["prometheus.scrape.linkmesh"], ["prometheus.scrape.linkmesh"]],
      3,
      [{ reason: "silent component", component: "otelcol.exporter.otlphttp.linkmesh", intervals: 3 }],
    ],
    ["silent for fewer scrapes than the threshold", [["prometheus.scrape.linkmesh"]], 3, []],
    ["emitted once within the window", [["prometheus.scrape.linkmesh"], all, ["prometheus.scrape.linkmesh"]], 3, []],
    [
      "exporter.self and local.file never count as silent",
      [[], [], []],
      3,
      [
        { reason: "silent component", component: "otelcol.exporter.otlphttp.linkmesh", intervals: 3 },
        { reason: "silent component", component: "prometheus.scrape.linkmesh", intervals: 3 },
      ],
    ],
  ];
  it.each(cases)("%s", (_name, recent, n, expected) => {
    expect(findNamingMismatches("alloy", graph, recent, n)).toEqual(expected);
  });

  it("otelcol: only receivers and exporters are expected to emit", () => {
    const g: ComponentGraph = {
      components: [
        {
          id: "otlp",
          kind: "source",
          type: "otlp",
          signals: ["metrics"],
          otelcol: { section: "receiver", id: "otlp" },
        },
        { id: "batch", kind: "processor", type: "batch", signals: [], otelcol: { section: "processor", id: "batch" } },
      ],
      edges: [],
    };
    expect(findNamingMismatches("otelcol-contrib", g, [[], []], 2)).toEqual([
      { reason: "silent component", component: "otlp", intervals: 2 },
    ]);
  });

  it("says what happened in words", () => {
    expect(describeMismatch({ reason: "unknown component", component: "a.b.c" })).toContain("does not declare");
  });
});

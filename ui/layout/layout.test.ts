import { describe, expect, it } from "vitest";
import type { Topology, TopologyCollector, TopologyEdge } from "../store/index.js";
import {
  edgeStatus,
  formatAge,
  formatBytes,
  formatRate,
  hitTest,
  layoutTopology,
  visibleBands,
  widthStep,
} from "./index.js";

const NOW = Date.parse("2026-12-06T12:00:00Z");

function edge(from: string, to: string, rate: number | null, extra: Partial<TopologyEdge> = {}): TopologyEdge {
  return {
    from,
    to,
    signal: "metrics",
    ratePerSecond: rate,
    failedPerSecond: null,
    state: rate === null ? "waiting" : "active",
    updatedAt: NOW - 10_000,
    via: "otlp",
    reason: null,
    ...extra,
  };
}

function collector(id: string, hostname: string, edges: TopologyEdge[], extra: Partial<TopologyCollector> = {}) {
  return {
    id,
    hostname,
    type: "alloy",
    version: "v1.18.1",
    status: "healthy",
    statusReason: null,
    hostMetrics: {},
    lastPushAt: NOW - 10_000,
    components: [
      { id: "otelcol.receiver.otlp.in", kind: "source" as const, type: "otelcol.receiver.otlp" },
      { id: "otelcol.processor.batch.b", kind: "processor" as const, type: "otelcol.processor.batch" },
      { id: "otelcol.processor.filter.f", kind: "processor" as const, type: "otelcol.processor.filter" },
      { id: "otelcol.exporter.otlphttp.out", kind: "destination" as const, type: "otelcol.exporter.otlphttp" },
    ],
    edges,
    ...extra,
  } satisfies TopologyCollector;
}

const pipeline = (rates: [number | null, number | null, number | null]) => [
  edge("otelcol.receiver.otlp.in", "otelcol.processor.batch.b", rates[0]),
  edge("otelcol.processor.batch.b", "otelcol.processor.filter.f", rates[1]),
  edge("otelcol.processor.filter.f", "otelcol.exporter.otlphttp.out", rates[2]),
];

describe("formatRate shows records per second in human units", () => {
  it.each([
    [0, "0/s"],
    [0.004, "<0.01/s"],
    [0.25, "0.25/s"],
    [1, "1/s"],
    [4.56, "4.6/s"],
    [20, "20/s"],
    [999.4, "999/s"],
    [999.6, "1k/s"],
    [1000, "1k/s"],
    [1234, "1.2k/s"],
    [12_345, "12k/s"],
    [999_999, "1M/s"],
    [3_400_000, "3.4M/s"],
    [2.5e9, "2.5G/s"],
    [Number.NaN, "–"],
  ])("%s -> %s", (n, text) => expect(formatRate(n)).toBe(text));
});

describe("formatAge and formatBytes", () => {
  it.each([
    [0, "0 s"],
    [45_000, "45 s"],
    [120_000, "2 m"],
    [3 * 3_600_000, "3 h"],
    [4 * 86_400_000, "4 d"],
  ])("age %s ms -> %s", (ms, text) => expect(formatAge(ms)).toBe(text));
  it.each([
    [512, "512 B"],
    [1536, "1.5 KiB"],
    [8 * 1024 ** 3, "8 GiB"],
  ])("bytes %s -> %s", (b, text) => expect(formatBytes(b)).toBe(text));
});

describe("edge width is one of five steps relative to the largest rate", () => {
  it.each([
    [null, 100, 1],
    [0, 100, 1],
    [1, 100, 1],
    [20, 100, 1],
    [21, 100, 2],
    [50, 100, 3],
    [80, 100, 4],
    [81, 100, 5],
    [100, 100, 5],
    [5, 0, 1],
  ] as const)("rate %s of max %s -> step %s", (rate, max, step) => expect(widthStep(rate, max)).toBe(step));
});

describe("inactive edges say why", () => {
  it.each([
    ["a fresh OTLP rate is active", edge("a", "b", 10), NOW - 10_000, "active", null],
    [
      "the first sample waits for the second",
      edge("a", "b", null),
      NOW - 10_000,
      "inactive",
      "waiting for second sample",
    ],
    [
      "a stale edge names the silence",
      edge("a", "b", null, { state: "stale" }),
      NOW - 120_000,
      "inactive",
      "no OTLP push for 2 m",
    ],
    [
      "an old rate is not shown as live",
      edge("a", "b", 5, { updatedAt: NOW - 300_000 }),
      NOW - 300_000,
      "inactive",
      "no OTLP push for 5 m",
    ],
    ["orphan throughput", edge("a", "b", 5, { state: "orphan" }), NOW, "inactive", "orphan"],
    ["agent fallback keeps its rate", edge("a", "b", 5, { via: "agent" }), null, "agent", "via agent"],
    [
      "the relay's own reason wins",
      edge("a", "b", null, { state: "stale", reason: "collector restarted" }),
      NOW,
      "inactive",
      "collector restarted",
    ],
  ] as const)("%s", (_name, e, lastPush, state, reason) => {
    expect(edgeStatus(e, lastPush, NOW)).toEqual({ state, reason });
  });
});

describe("layoutTopology lays each collector out left to right and stacks collectors", () => {
  const topology: Topology = {
    collectors: [
      collector("c1", "web-01", pipeline([100, 100, 100])),
      collector("c2", "db-01", pipeline([1000, null, 5]), {
        components: collector("x", "x", []).components.slice(0, 4),
      }),
    ],
  };
  const layout = layoutTopology(topology, { now: NOW });

  it("puts sources left of processors left of destinations, processors in path order", () => {
    const x = (id: string) => layout.nodes.find((n) => n.id === `c1/${id}`)?.x ?? Number.NaN;
    expect(x("otelcol.receiver.otlp.in")).toBeLessThan(x("otelcol.processor.batch.b"));
    expect(x("otelcol.processor.batch.b")).toBeLessThan(x("otelcol.processor.filter.f"));
    expect(x("otelcol.processor.filter.f")).toBeLessThan(x("otelcol.exporter.otlphttp.out"));
  });

  it("stacks the second collector below the first without overlap", () => {
    const [b1, b2] = layout.bands;
    expect(b1?.collectorId).toBe("c1");
    expect(b2?.collectorId).toBe("c2");
    expect((b2?.y ?? 0) >= (b1?.y ?? 0) + (b1?.h ?? 0)).toBe(true);
    for (const n of layout.nodes.filter((n) => n.collectorId === "c2")) expect(n.y).toBeGreaterThanOrEqual(b2?.y ?? 0);
  });

  it("labels edges with rates and widths relative to the largest edge", () => {
    const byLabel = layout.edges.map((e) => [
      e.host,
      e.from.split(".").at(-1),
      e.to.split(".").at(-1),
      e.label,
      e.width,
    ]);
    expect(byLabel).toEqual([
      ["web-01", "in", "b", "100/s", 1],
      ["web-01", "b", "f", "100/s", 1],
      ["web-01", "f", "out", "100/s", 1],
      ["db-01", "in", "b", "1k/s", 5],
      ["db-01", "b", "f", "no data", 1],
      ["db-01", "f", "out", "5/s", 1],
    ]);
    expect(layout.edges[4]?.reason).toBe("waiting for second sample");
  });

  it("edges start at the right side of their source node and end at the left side of their target", () => {
    const e = layout.edges[0];
    const from = layout.nodes.find((n) => n.id === "c1/otelcol.receiver.otlp.in");
    const to = layout.nodes.find((n) => n.id === "c1/otelcol.processor.batch.b");
    expect(e?.points[0]).toEqual({ x: (from?.x ?? 0) + (from?.w ?? 0), y: (from?.y ?? 0) + (from?.h ?? 0) / 2 });
    expect(e?.points[3]).toEqual({ x: to?.x, y: (to?.y ?? 0) + (to?.h ?? 0) / 2 });
  });

  it("gives an edge to a component missing from the graph a node of its own (orphan throughput)", () => {
    const t: Topology = {
      collectors: [
        collector("c3", "edge-01", [
          edge("otelcol.receiver.otlp.in", "otelcol.exporter.otlphttp.gone", 7, { state: "orphan" }),
        ]),
      ],
    };
    const l = layoutTopology(t, { now: NOW });
    const ghost = l.nodes.find((n) => n.id === "c3/otelcol.exporter.otlphttp.gone");
    expect(ghost?.kind).toBe("destination");
    expect(ghost?.detail).toBe("not in config");
    expect(l.edges[0]).toMatchObject({ state: "inactive", reason: "orphan", label: "no data" });
  });

  it.each([
    ["web", ["web-01"]],
    ["DB-01", ["db-01"]],
    ["filter", ["web-01", "db-01"]],
    ["nothing-like-this", []],
  ])("search %j keeps collectors matching by host or component", (query, hosts) => {
    const l = layoutTopology(topology, { now: NOW, query });
    expect(l.nodes.filter((n) => n.kind === "collector").map((n) => n.label)).toEqual(hosts);
  });

  it("survives cycles between processors", () => {
    const t: Topology = {
      collectors: [
        collector("c4", "loop", [
          edge("otelcol.processor.batch.b", "otelcol.processor.filter.f", 1),
          edge("otelcol.processor.filter.f", "otelcol.processor.batch.b", 1),
        ]),
      ],
    };
    expect(layoutTopology(t, { now: NOW }).edges).toHaveLength(2);
  });
});

describe("edges that name the collector itself (the relay's source -> collector -> destination)", () => {
  const c = collector("c9", "web-09", [
    edge("otelcol.receiver.otlp.in", "c9", 20),
    edge("c9", "otelcol.exporter.otlphttp.out", 18, { state: "live" }),
  ]);
  const l = layoutTopology({ collectors: [c] }, { now: NOW });

  it("draw the collector as one pipeline node listing its processors, between sources and destinations", () => {
    const hub = l.nodes.find((n) => n.kind === "pipeline");
    expect(hub).toMatchObject({ id: "c9/c9", detail: "2 processors", lines: ["batch.b", "filter.f"] });
    const x = (id: string) => l.nodes.find((n) => n.id === id)?.x ?? Number.NaN;
    expect(x("c9/otelcol.receiver.otlp.in")).toBeLessThan(hub?.x ?? 0);
    expect(hub?.x ?? 0).toBeLessThan(x("c9/otelcol.exporter.otlphttp.out"));
    expect(l.nodes.filter((n) => n.kind === "processor")).toEqual([]);
  });

  it("name the collector end 'collector' in edge texts", () => {
    expect(l.edges.map((e) => `${e.host}: ${e.from} -> ${e.to} ${e.label}`)).toEqual([
      "web-09: otelcol.receiver.otlp.in -> collector 20/s",
      "web-09: collector -> otelcol.exporter.otlphttp.out 18/s",
    ]);
  });
});

describe("hit testing finds what the pointer is over", () => {
  const layout = layoutTopology({ collectors: [collector("c1", "web-01", pipeline([10, 20, 30]))] }, { now: NOW });
  it("finds an edge by a point on its curve, a node inside its box, the frame elsewhere, nothing outside", () => {
    const e = layout.edges[1];
    expect(hitTest(layout, e?.labelAt ?? { x: 0, y: 0 }, 4)).toMatchObject({ kind: "edge", edge: { id: e?.id } });
    const n = layout.nodes[1];
    expect(hitTest(layout, { x: (n?.x ?? 0) + 5, y: (n?.y ?? 0) + 5 }, 4)).toMatchObject({
      kind: "node",
      node: { id: n?.id },
    });
    expect(hitTest(layout, { x: 2, y: 2 }, 4)).toMatchObject({ kind: "node", node: { kind: "collector" } });
    expect(hitTest(layout, { x: 2, y: layout.height + 50 }, 4)).toBeNull();
  });
});

describe("scale", () => {
  it("lays out 2,000 collectors with 20,000 edges quickly and culls to the visible bands", () => {
    const collectors: TopologyCollector[] = [];
    for (let i = 0; i < 2000; i++) {
      const components = [
        ...Array.from({ length: 4 }, (_, s) => ({ id: `src${s}`, kind: "source" as const, type: "r" })),
        { id: "batch", kind: "processor" as const, type: "p" },
        ...Array.from({ length: 6 }, (_, d) => ({ id: `dst${d}`, kind: "destination" as const, type: "e" })),
      ];
      const edges = [
        ...Array.from({ length: 4 }, (_, s) => edge(`src${s}`, "batch", i + s)),
        ...Array.from({ length: 6 }, (_, d) => edge("batch", `dst${d}`, d === 5 ? null : i * d)),
      ];
      collectors.push(collector(`c${i}`, `host-${i}`, edges, { components }));
    }
    // The second run is what every live update costs once the page is warm (~150 ms on an idle core; the budget
    // leaves room for a busy CI machine but still catches anything quadratic).
    layoutTopology({ collectors }, { now: NOW });
    const started = performance.now();
    const layout = layoutTopology({ collectors }, { now: NOW });
    const elapsed = performance.now() - started;
    expect(layout.edges).toHaveLength(20_000);
    expect(elapsed).toBeLessThan(2500);
    const [start, end] = visibleBands(layout, 0, 1000);
    expect(start).toBe(0);
    expect(end).toBeGreaterThan(1);
    expect(end).toBeLessThan(20);
  });
});

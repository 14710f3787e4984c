import { describe, expect, it } from "vitest";
import { alloyComponentGraph } from "../../common/alloy-graph/index.js";
import { parseAlloy } from "../../common/alloy-syntax/index.js";
import type { CollectorRecord, ThroughputRecord } from "../store/index.js";
import { buildCollectorTopology } from "./index.js";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const CONFIG = `
prometheus.exporter.self "linkmesh" { }

prometheus.scrape "linkmesh" {
	targets    = prometheus.exporter.self.linkmesh.targets
	forward_to = [prometheus.remote_write.backend.receiver]
}

prometheus.remote_write "backend" {
	endpoint {
		url = "http://prometheus:9090/api/v1/write"
	}
}
`;

function row(componentId: string, direction: ThroughputRecord["direction"], rate: number): ThroughputRecord {
  return {
    collectorId: "c1",
    via: "otlp",
    seriesKey: `${componentId}|${direction}`,
    componentId,
    componentPath: "/",
    signal: "metrics",
    direction,
    rawValue: 1000,
    ratePerSecond: rate,
    timeMs: NOW - 5_000,
    updatedAt: NOW - 5_000,
  };
}

describe("collector topology edges", () => {
  const parsed = parseAlloy(CONFIG);
  if (!parsed.ok) throw new Error("fixture does not parse");
  const record: CollectorRecord = {
    id: "c1",
    hostname: "web-01",
    type: "alloy",
    version: null,
    labels: {},
    enrolledAt: NOW - 3_600_000,
    lastPushAt: NOW - 5_000,
    lastRejection: null,
    graph: alloyComponentGraph(parsed.file),
    hostMetrics: {},
    hostMetricsAt: null,
  };
  const topology = buildCollectorTopology(
    {
      record,
      rows: [row("prometheus.scrape.linkmesh", "out", 120), row("prometheus.remote_write.backend", "sent", 118)],
      agentConnected: true,
      agentKnown: true,
      agentDisconnectedAt: null,
    },
    NOW,
    "30s",
  );

  it("lets data enter through the scrape, not through the exporter that only hands it targets", () => {
    expect(topology.edges.map((e) => `${e.from} -> ${e.to} ${e.ratePerSecond}`)).toEqual([
      "prometheus.scrape.linkmesh -> c1 120",
      "c1 -> prometheus.remote_write.backend 118",
    ]);
    expect(topology.components.map((c) => c.id)).toContain("prometheus.exporter.self.linkmesh");
  });
});

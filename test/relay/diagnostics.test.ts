// relay/diagnostics in process: the agent's view of its collector, and the operator routes' answers without an agent.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentSelfView } from "../../common/protocol/index.js";
import { buildSelfView, currentMismatches } from "../../relay/diagnostics/index.js";
import type { CollectorRecord, EventRecord, ThroughputRecord } from "../../relay/store/index.js";
import { startTestRelay, type TestRelay } from "./harness.js";

const NOW = Date.UTC(2026, 0, 1, 12);

const record: CollectorRecord = {
  id: "c1",
  hostname: "web-01",
  type: "alloy",
  version: null,
  labels: {},
  enrolledAt: NOW - 3_600_000,
  lastPushAt: NOW - 10_000,
  lastRejection: null,
  graph: {
    components: [
      { id: "otelcol.receiver.otlp.default", kind: "source", type: "otelcol.receiver.otlp", signals: ["metrics"] },
      {
        id: "otelcol.exporter.otlphttp.cloud",
        kind: "destination",
        type: "otelcol.exporter.otlphttp",
        signals: ["metrics"],
      },
    ],
    edges: [],
  },
  hostMetrics: {},
  hostMetricsAt: NOW - 10_000,
};

function row(componentId: string, updatedAt: number, rate: number | null = 1, componentPath = "/"): ThroughputRecord {
  return {
    collectorId: "c1",
    via: "otlp",
    seriesKey: `${componentId}|${componentPath}`,
    componentId,
    componentPath,
    signal: "metrics",
    direction: "sent",
    rawValue: 10,
    ratePerSecond: rate,
    timeMs: updatedAt,
    updatedAt,
  };
}

function mismatch(component: string, reason: string, time: number): EventRecord {
  return {
    id: `${component}-${time}`,
    collectorId: "c1",
    type: "component_naming_mismatch",
    severity: "warning",
    message: "",
    detail: { reason, component },
    time,
  };
}

describe("currentMismatches: findings that still hold", () => {
  it.each([
    {
      name: "unknown component still fed",
      rows: [row("otelcol.exporter.otlphttp.ghost", NOW - 5_000)],
      events: [mismatch("otelcol.exporter.otlphttp.ghost", "unknown component", NOW - 60_000)],
      expected: [{ reason: "unknown component", component: "otelcol.exporter.otlphttp.ghost", at: NOW - 60_000 }],
    },
    {
      name: "unknown component no longer fed (collector restarted with the right config)",
      rows: [row("otelcol.exporter.otlphttp.ghost", NOW - 10 * 60_000)],
      events: [mismatch("otelcol.exporter.otlphttp.ghost", "unknown component", NOW - 20 * 60_000)],
      expected: [],
    },
    {
      name: "orphan throughput holds until its rows expire",
      rows: [row("otelcol.exporter.otlphttp.old", NOW - 3_600_000)],
      events: [mismatch("otelcol.exporter.otlphttp.old", "orphan throughput", NOW - 3_000_000)],
      expected: [{ reason: "orphan throughput", component: "otelcol.exporter.otlphttp.old", at: NOW - 3_000_000 }],
    },
    {
      name: "a component back in the graph is no finding",
      rows: [row("otelcol.receiver.otlp.default", NOW - 5_000)],
      events: [mismatch("otelcol.receiver.otlp.default", "unknown component", NOW - 60_000)],
      expected: [],
    },
    {
      name: "rows of nested modules do not count",
      rows: [row("otelcol.exporter.otlphttp.inner", NOW - 5_000, 1, "/module.file.x")],
      events: [],
      expected: [],
    },
  ])("$name", ({ rows, events, expected }) => {
    expect(currentMismatches(record, rows, events, NOW)).toEqual(expected);
  });
});

describe("buildSelfView", () => {
  it("counts rows, rates and non-zero rates and notices the own_metrics offer", () => {
    const view: AgentSelfView = buildSelfView(
      record,
      [
        row("otelcol.receiver.otlp.default", NOW, 2),
        row("otelcol.exporter.otlphttp.cloud", NOW, 0),
        row("otelcol.exporter.otlphttp.cloud", NOW, null),
      ],
      [{ ...mismatch("x", "n/a", NOW), type: "own_metrics_offered", detail: {} }],
      NOW,
    );
    expect(view).toMatchObject({
      collectorId: "c1",
      relayTimeMs: NOW,
      ownMetricsOffered: true,
      throughput: { rows: 3, withRate: 2, nonZero: 1 },
      mismatches: [],
    });
  });
});

describe("diagnostics routes", () => {
  let t: TestRelay;
  beforeEach(async () => {
    t = await startTestRelay({ startMs: NOW });
  });
  afterEach(async () => {
    await t.relay.close();
  });

  it("GET /v1/agent/self answers the agent with its collector, and says why it refuses", async () => {
    const enrolled = await t.enroll("web-01");
    const self = await t.relay.app.inject({
      method: "GET",
      url: "/v1/agent/self",
      headers: { authorization: `Bearer ${enrolled.agentToken}` },
    });
    expect(self.statusCode).toBe(200);
    expect(self.json()).toMatchObject({ collectorId: enrolled.collectorId, lastPushAt: null, mismatches: [] });

    const asCollector = await t.relay.app.inject({
      method: "GET",
      url: "/v1/agent/self",
      headers: { authorization: `Bearer ${enrolled.collectorToken}` },
    });
    expect(asCollector.statusCode).toBe(401);
    expect(asCollector.json()).toMatchObject({ error: "missing_or_malformed_bearer" });

    await t.relay.app.inject({
      method: "DELETE",
      url: `/api/v1/collectors/${enrolled.collectorId}`,
      headers: t.operator,
    });
    const gone = await t.relay.app.inject({
      method: "GET",
      url: "/v1/agent/self",
      headers: { authorization: `Bearer ${enrolled.agentToken}` },
    });
    expect(gone.statusCode).toBe(401);
    expect(gone.json()).toMatchObject({ error: "unknown_collector" });
  });

  it("operator routes: offline agent -> 409 (with or without a body), no verdict yet -> 404, unknown collector -> 404", async () => {
    const enrolled = await t.enroll("web-02");
    const url = `/api/v1/collectors/${enrolled.collectorId}`;
    const noBody = await t.relay.app.inject({ method: "POST", url: `${url}/snapshots`, headers: t.operator });
    expect(noBody.statusCode).toBe(409);
    expect(noBody.json()).toMatchObject({ error: "agent_offline" });
    const withBody = await t.relay.app.inject({
      method: "POST",
      url: `${url}/snapshots`,
      headers: t.operator,
      payload: { since: "1h" },
    });
    expect(withBody.statusCode).toBe(409);
    const badSince = await t.relay.app.inject({
      method: "POST",
      url: `${url}/snapshots`,
      headers: t.operator,
      payload: { since: "yesterday" },
    });
    expect(badSince.statusCode).toBe(400);
    const doctor = await t.relay.app.inject({ method: "POST", url: `${url}/doctor`, headers: t.operator });
    expect(doctor.statusCode).toBe(409);
    const last = await t.relay.app.inject({ method: "GET", url: `${url}/doctor`, headers: t.operator });
    expect(last.statusCode).toBe(404);
    expect(last.json()).toMatchObject({ error: "no_verdict" });
    const list = await t.relay.app.inject({ method: "GET", url: `${url}/snapshots`, headers: t.operator });
    expect(list.json()).toEqual({ snapshots: [] });
    const unknown = await t.relay.app.inject({
      method: "POST",
      url: "/api/v1/collectors/nope/snapshots",
      headers: t.operator,
    });
    expect(unknown.statusCode).toBe(404);
    const anonymous = await t.relay.app.inject({ method: "GET", url: `${url}/snapshots` });
    expect(anonymous.statusCode).toBe(401);
  });
});

// Ingest -> rates -> topology, in process: the real OTel exporter (AlloySimulator) pushes to a listening relay
// with timestamps 30 s apart and an injected relay clock (no waiting).
import { afterEach, describe, expect, it } from "vitest";
import type { ComponentGraph } from "../../common/model/index.js";
import type { Topology, TopologyCollector } from "../../relay/topology/index.js";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";
import { baseUrl, type Enrolled, startTestRelay, type TestRelay } from "./harness.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const PIPELINE: SimComponent[] = [
  { id: "otelcol.receiver.otlp.default", ratePerSecond: 40 },
  { id: "otelcol.processor.batch.default", ratePerSecond: 40 },
  { id: "otelcol.exporter.otlphttp.backend", ratePerSecond: 120, failedPerSecond: 2 },
  { id: "loki.write.default", signal: "logs", ratePerSecond: 15 },
];

let t: TestRelay | null = null;
afterEach(async () => {
  await t?.relay.close();
  t = null;
});

async function setup(components = PIPELINE) {
  t = await startTestRelay({ listen: true, startMs: T0 });
  const enrolled = await t.enroll("web-01");
  const alloy = new AlloySimulator({ hostname: "web-01", components, startTimeMs: T0 - 600_000 });
  const target = { url: `${baseUrl(t.relay)}/v1/metrics`, bearer: enrolled.collectorToken };
  const push = async (atMs: number) => {
    (t as TestRelay).clock.now = atMs + 200;
    expect(await alloy.push(target, atMs)).toEqual({ ok: true });
  };
  return { t, enrolled, alloy, push };
}

async function topology(t: TestRelay, window = ""): Promise<Topology> {
  const response = await t.relay.app.inject({ url: `/api/v1/topology${window}`, headers: t.operator });
  expect(response.statusCode).toBe(200);
  return response.json() as Topology;
}

function edge(c: TopologyCollector | undefined, component: string) {
  const found = c?.edges.find((e) => e.from === component || e.to === component);
  if (!found) throw new Error(`no edge for ${component}: ${JSON.stringify(c?.edges)}`);
  return found;
}

async function events(t: TestRelay, e: Enrolled) {
  const r = await t.relay.app.inject({ url: `/api/v1/collectors/${e.collectorId}/events`, headers: t.operator });
  return (r.json() as { events: { type: string; message: string; detail: Record<string, unknown> }[] }).events;
}

describe("rates on the topology", () => {
  it("shows no rate for the first sample, the true rates (within 1 %) from the second on", async () => {
    const { t, enrolled, push } = await setup();
    await push(T0);
    let c = (await topology(t)).collectors[0];
    expect(c?.id).toBe(enrolled.collectorId);
    expect(edge(c, "otelcol.exporter.otlphttp.backend")).toMatchObject({ ratePerSecond: null, state: "waiting" });

    for (let i = 1; i <= 3; i++) {
      await push(T0 + i * 30_000);
      c = (await topology(t)).collectors[0];
      const exporter = edge(c, "otelcol.exporter.otlphttp.backend");
      expect(exporter).toMatchObject({ from: enrolled.collectorId, signal: "metrics", state: "live", via: "otlp" });
      expect(exporter.ratePerSecond).toBeCloseTo(120, 0);
      expect(Math.abs((exporter.ratePerSecond ?? 0) - 120) / 120).toBeLessThan(0.01);
      expect(Math.abs((exporter.failedPerSecond ?? 0) - 2) / 2).toBeLessThan(0.01);
      const receiver = edge(c, "otelcol.receiver.otlp.default");
      expect(receiver.to).toBe(enrolled.collectorId);
      expect(Math.abs((receiver.ratePerSecond ?? 0) - 40) / 40).toBeLessThan(0.01);
      const loki = edge(c, "loki.write.default");
      expect(loki.signal).toBe("logs");
      expect(Math.abs((loki.ratePerSecond ?? 0) - 15) / 15).toBeLessThan(0.01);
    }
    expect(c?.components.find((x) => x.id === "otelcol.processor.batch.default")?.kind).toBe("processor");
    expect(c?.graphSource).toBe("series");
    expect(c?.status.state).toBe("degraded"); // the exporter is failing 2/s
    expect(c?.hostMetrics).toHaveProperty("process_start_time_seconds");

    // Raw rows keep the cumulative value next to the rate.
    const rows = t.relay.fleet
      .rowsOf(enrolled.collectorId)
      .filter((r) => r.componentId === "otelcol.exporter.otlphttp.backend" && r.direction === "sent");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rawValue).toBe(120 * (600 + 90));
    expect(rows[0]?.ratePerSecond).toBeCloseTo(120, 5);

    // Longer windows average over the history kept.
    const fiveMinutes = (await topology(t, "?window=5m")).collectors[0];
    expect(edge(fiveMinutes, "otelcol.exporter.otlphttp.backend").ratePerSecond).toBeCloseTo(120, 5);
    expect((await t.relay.app.inject({ url: "/api/v1/topology?window=2d", headers: t.operator })).statusCode).toBe(400);
  });

  it("shows no spike after a collector restart and records one counter_reset event", async () => {
    const { t, enrolled, alloy, push } = await setup();
    await push(T0);
    await push(T0 + 30_000);
    alloy.restart(T0 + 50_000);
    await push(T0 + 60_000);
    let c = (await topology(t)).collectors[0];
    expect(edge(c, "otelcol.exporter.otlphttp.backend")).toMatchObject({ ratePerSecond: null, state: "waiting" });
    await push(T0 + 90_000);
    c = (await topology(t)).collectors[0];
    expect(Math.abs((edge(c, "otelcol.exporter.otlphttp.backend").ratePerSecond ?? 0) - 120) / 120).toBeLessThan(0.01);
    const resets = (await events(t, enrolled)).filter((e) => e.type === "counter_reset");
    expect(resets).toHaveLength(1);
  });

  it("marks edges stale and the collector no_telemetry when pushes stop", async () => {
    const { t, push } = await setup();
    await push(T0);
    await push(T0 + 30_000);
    t.clock.now = T0 + 30_000 + 3 * 60_000;
    const c = (await topology(t)).collectors[0];
    expect(c?.status.state).toBe("no_telemetry");
    expect(edge(c, "otelcol.exporter.otlphttp.backend")).toMatchObject({
      state: "stale",
      reason: "no OTLP push for 2 m",
    });
  });
});

describe("component_naming_mismatch", () => {
  const graphOf = (ids: string[]): ComponentGraph => ({
    components: ids.map((id) => ({
      id,
      kind: id.includes(".receiver.")
        ? "source"
        : id.includes(".exporter.") || id.startsWith("loki.write")
          ? "destination"
          : "processor",
      type: id.split(".").slice(0, -1).join("."),
      signals: [],
    })),
    edges: [],
  });

  it("reports an unknown component once (not once per push), only for the root module path", async () => {
    const { t, enrolled, push } = await setup([
      ...PIPELINE,
      { id: "otelcol.exporter.otlphttp.renamed", ratePerSecond: 5 },
      { id: "otelcol.exporter.otlphttp.managed", ratePerSecond: 5, componentPath: "/remotecfg" },
    ]);
    await t.relay.store.updateCollector(enrolled.collectorId, { graph: graphOf(PIPELINE.map((p) => p.id)) });
    for (let i = 0; i < 3; i++) await push(T0 + i * 30_000);
    const mismatches = (await events(t, enrolled)).filter((e) => e.type === "component_naming_mismatch");
    expect(mismatches.map((e) => e.detail)).toEqual([
      { reason: "unknown component", component: "otelcol.exporter.otlphttp.renamed", componentPath: "/" },
    ]);
    const c = (await topology(t)).collectors[0];
    expect(c?.graphSource).toBe("graph");
    expect(c?.edges.some((e) => e.to === "otelcol.exporter.otlphttp.renamed")).toBe(false);
  });

  it("reports orphan throughput when the graph drops an edge, and drops the rows after 24 h", async () => {
    const { t, enrolled, alloy, push } = await setup();
    await t.relay.store.updateCollector(enrolled.collectorId, { graph: graphOf(PIPELINE.map((p) => p.id)) });
    await push(T0);
    await push(T0 + 30_000);
    // The config loses loki.write.default; the collector stops reporting it.
    const collector = await t.relay.store.getCollector(enrolled.collectorId);
    if (!collector) throw new Error("collector missing");
    await t.relay.fleet.graph(
      collector,
      graphOf(PIPELINE.filter((p) => !p.id.startsWith("loki")).map((p) => p.id)),
      T0 + 40_000,
    );
    alloy.setComponents(PIPELINE.filter((p) => !p.id.startsWith("loki")));
    await push(T0 + 60_000);
    await push(T0 + 90_000);
    const orphan = (await events(t, enrolled)).filter((e) => e.detail.reason === "orphan throughput");
    expect(orphan.map((e) => e.detail.component)).toEqual(["loki.write.default"]);
    const lokiRows = () =>
      t.relay.fleet.rowsOf(enrolled.collectorId).filter((r) => r.componentId === "loki.write.default");
    expect(lokiRows().length).toBeGreaterThan(0);

    t.clock.now = T0 + 30_000 + 24 * 3_600_000 - 60_000;
    await topology(t);
    expect(lokiRows().length).toBeGreaterThan(0);
    t.clock.now = T0 + 30_000 + 24 * 3_600_000 + 1_000;
    await topology(t);
    expect(lokiRows()).toEqual([]);
    await t.relay.fleet.flush();
    expect((await t.relay.store.listThroughput()).some((r) => r.componentId === "loki.write.default")).toBe(false);
  });
});

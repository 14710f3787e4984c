// The relay core end to end: a real `linkmesh-relay` process, collectors pushing through the real OpenTelemetry
// exporter (AlloySimulator, timestamps 30 s apart: no waiting), an agent link speaking the wire protocol.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ComponentGraph } from "../../common/model/index.js";
import { AGENT_LINK_PATH, type EnrollResponse, type OutboxItem } from "../../common/protocol/index.js";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";

interface Edge {
  from: string;
  to: string;
  signal: string;
  ratePerSecond: number | null;
  failedPerSecond: number | null;
  state: string;
  via: string | null;
}
interface Collector {
  id: string;
  hostname: string;
  status: { state: string; reason: string };
  components: { id: string; kind: string; type: string }[];
  edges: Edge[];
}

const PIPELINE: SimComponent[] = [
  { id: "otelcol.receiver.otlp.default", ratePerSecond: 250 },
  { id: "otelcol.exporter.otlphttp.backend", ratePerSecond: 180, failedPerSecond: 3 },
  { id: "prometheus.remote_write.mimir", ratePerSecond: 1234 },
];

async function enroll(relay: RelayProcess, hostname: string): Promise<EnrollResponse> {
  const token = await mintEnrollmentToken(relay, {});
  const response = await fetch(`${relay.url}/api/v1/enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, hostname, collectorType: "alloy" }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as EnrollResponse;
}

async function collectorOf(relay: RelayProcess, id: string): Promise<Collector> {
  const response = await relay.api("/api/v1/topology");
  expect(response.status).toBe(200);
  const found = (response.body as { collectors: Collector[] }).collectors.find((c) => c.id === id);
  if (!found) throw new Error(`collector ${id} not in topology`);
  return found;
}

const rateOf = (c: Collector, component: string) =>
  c.edges.find((e) => e.from === component || e.to === component)?.ratePerSecond;
const within1pct = (actual: number | null | undefined, expected: number) =>
  actual !== null && actual !== undefined && Math.abs(actual - expected) / expected < 0.01;

async function eventsOf(relay: RelayProcess, id: string) {
  const response = await relay.api(`/api/v1/collectors/${id}/events`);
  return (response.body as { events: { id: string; type: string; detail: Record<string, unknown> }[] }).events;
}

describe("relay core, end to end", () => {
  let relay: RelayProcess;
  let dataDir: string;
  let web: EnrollResponse;
  let alloy: AlloySimulator;
  const t0 = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    relay = await startRelay();
    dataDir = relay.dataDir;
    web = await enroll(relay, "web-01");
    alloy = new AlloySimulator({ hostname: "web-01", components: PIPELINE, startTimeMs: t0 - 3_600_000 });
  });
  afterAll(async () => {
    await relay.stop();
  });

  const push = (atMs: number) => alloy.push({ url: `${relay.url}/v1/metrics`, bearer: web.collectorToken }, atMs);

  it("shows no rate after the first sample and the pushed rates within 1 % from the second on", async () => {
    expect(await push(t0)).toEqual({ ok: true });
    let c = await collectorOf(relay, web.collectorId);
    expect(c.edges.map((e) => e.ratePerSecond)).toEqual([null, null, null]);
    for (let i = 1; i <= 3; i++) {
      expect(await push(t0 + i * 30_000)).toEqual({ ok: true });
      c = await collectorOf(relay, web.collectorId);
      expect(within1pct(rateOf(c, "otelcol.receiver.otlp.default"), 250)).toBe(true);
      expect(within1pct(rateOf(c, "otelcol.exporter.otlphttp.backend"), 180)).toBe(true);
      expect(within1pct(rateOf(c, "prometheus.remote_write.mimir"), 1234)).toBe(true);
    }
    const exporter = c.edges.find((e) => e.to === "otelcol.exporter.otlphttp.backend");
    expect(exporter).toMatchObject({ from: web.collectorId, signal: "metrics", state: "live", via: "otlp" });
    expect(within1pct(exporter?.failedPerSecond, 3)).toBe(true);
  });

  it("shows no spike after the collector restarts (counters back to 0, no start times)", async () => {
    alloy.restart(t0 + 100_000);
    expect(await push(t0 + 120_000)).toEqual({ ok: true });
    let c = await collectorOf(relay, web.collectorId);
    expect(rateOf(c, "otelcol.exporter.otlphttp.backend")).toBeNull();
    expect(await push(t0 + 150_000)).toEqual({ ok: true });
    c = await collectorOf(relay, web.collectorId);
    expect(within1pct(rateOf(c, "otelcol.exporter.otlphttp.backend"), 180)).toBe(true);
    expect((await eventsOf(relay, web.collectorId)).some((e) => e.type === "counter_reset")).toBe(true);
  });

  it("reports an unknown component and orphan throughput against the graph the agent reports", async () => {
    const ws = new WebSocket(`${relay.url.replace("http", "ws")}${AGENT_LINK_PATH}`, {
      headers: { authorization: `Bearer ${web.agentToken}` },
    });
    const messages: { type: string; seq?: number }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString()) as { type: string; seq?: number }));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const waitFor = async (predicate: (m: { type: string; seq?: number }) => boolean) => {
      for (let i = 0; i < 100 && !messages.some(predicate); i++) await new Promise((r) => setTimeout(r, 30));
      expect(messages.some(predicate)).toBe(true);
    };
    ws.send(
      JSON.stringify({
        type: "hello",
        protocol: 1,
        agentVersion: "0.1.0",
        collectorType: "alloy",
        host: { hostname: "web-01", os: "linux", arch: "x64", kernel: "6.1" },
      }),
    );
    await waitFor((m) => m.type === "welcome");
    const graph = (ids: string[]): ComponentGraph => ({
      components: ids.map((id) => ({
        id,
        kind: id.includes("receiver") ? "source" : "destination",
        type: id.split(".").slice(0, -1).join("."),
        signals: [],
      })),
      edges: [],
    });
    const report = (seq: number, ids: string[]): OutboxItem => ({
      seq,
      id: `graph-${seq}`,
      timeMs: Date.now(),
      report: { kind: "graph", graph: graph(ids), configPath: "/etc/alloy/config.alloy", configSha256: String(seq) },
    });
    // The config does not know prometheus.remote_write.mimir: its throughput is an unknown component.
    ws.send(
      JSON.stringify({
        type: "outbox",
        items: [report(1, ["otelcol.receiver.otlp.default", "otelcol.exporter.otlphttp.backend"])],
      }),
    );
    await waitFor((m) => m.type === "ack" && m.seq === 1);
    await new Promise((r) => setTimeout(r, 1_200)); // the push path re-reads the collector within 1 s
    expect(await push(t0 + 180_000)).toEqual({ ok: true });
    expect(await push(t0 + 210_000)).toEqual({ ok: true });
    // Then the exporter leaves the config: its stored throughput is orphaned.
    ws.send(JSON.stringify({ type: "outbox", items: [report(2, ["otelcol.receiver.otlp.default"])] }));
    await waitFor((m) => m.type === "ack" && m.seq === 2);

    const mismatches = (await eventsOf(relay, web.collectorId)).filter((e) => e.type === "component_naming_mismatch");
    expect(mismatches.map((e) => [e.detail.reason, e.detail.component]).sort()).toEqual([
      ["orphan throughput", "otelcol.exporter.otlphttp.backend"],
      ["unknown component", "prometheus.remote_write.mimir"],
    ]);
    const c = await collectorOf(relay, web.collectorId);
    expect(c.components.map((x) => x.id)).toEqual(["otelcol.receiver.otlp.default"]);
    ws.close();
  });

  it("logs each rejection with its grep-able line and 401, and never a token", async () => {
    const post = (authorization: string | null) =>
      fetch(`${relay.url}/v1/metrics`, {
        method: "POST",
        headers: {
          "content-type": "application/x-protobuf",
          ...(authorization === null ? {} : { authorization }),
        },
        body: new Uint8Array(0),
      });
    expect((await post(null)).status).toBe(401);
    await relay.waitForOutput("otlp.auth: rejected reason=missing_or_malformed_bearer");
    const forged = "lmc_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect((await post(`Bearer ${forged}`)).status).toBe(401);
    await relay.waitForOutput("otlp.auth: rejected reason=token_unknown_or_revoked_or_expired");

    // The bearer verifies but the fleet record is gone (e.g. a database restored from before enrollment).
    const ghost = await enroll(relay, "ghost-01");
    const db = new Database(join(dataDir, "linkmesh.db"));
    db.prepare("DELETE FROM collectors WHERE id = ?").run(ghost.collectorId);
    db.close();
    expect((await post(`Bearer ${ghost.collectorToken}`)).status).toBe(401);
    await relay.waitForOutput("otlp.dispatch: unknown collectorId");

    const output = relay.output();
    for (const secret of [forged, ghost.collectorToken, ghost.agentToken, web.collectorToken, web.agentToken]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(17)); // the secret part alone
    }
  });

  it("loses no collector, token, event or rate across a relay restart", async () => {
    const before = {
      collectors: (await relay.api("/api/v1/collectors")).body,
      tokens: (await relay.api("/api/v1/tokens")).body,
      events: await eventsOf(relay, web.collectorId),
    };
    await new Promise((r) => setTimeout(r, 1_200)); // let the write-behind flush
    await relay.stop();
    relay = await startRelay({ dataDir });
    expect((await relay.api("/api/v1/collectors")).body).toEqual(before.collectors);
    expect((await relay.api("/api/v1/tokens")).body).toEqual(before.tokens);
    const after = await eventsOf(relay, web.collectorId);
    expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(before.events.map((e) => e.id)));
    // The rate state survived: the next sample gives a rate at once, with no spike.
    expect(await push(t0 + 240_000)).toEqual({ ok: true });
    const c = await collectorOf(relay, web.collectorId);
    expect(within1pct(rateOf(c, "otelcol.receiver.otlp.default"), 250)).toBe(true);
  });
});

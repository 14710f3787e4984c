// Two real relay processes on one PostgreSQL database: any replica answers any request, and killing one with
// SIGKILL loses nothing. The collector pushes through the real OpenTelemetry exporter; the agent speaks the wire
// protocol directly (so a request and a kill can be placed exactly) through a TCP balancer.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { AGENT_LINK_PATH, type EnrollResponse, type OutboxItem } from "../../common/protocol/index.js";
import { type Balancer, startBalancer } from "../rig/balancer.js";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";
import { createTestDatabase, postgresAvailable } from "../rig/postgres-db.js";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";
import { until } from "./agent-host.js";

interface Edge {
  from: string;
  to: string;
  ratePerSecond: number | null;
}
interface Collector {
  id: string;
  hostname: string;
  edges: Edge[];
}

const PIPELINE: SimComponent[] = [
  { id: "otelcol.receiver.otlp.default", ratePerSecond: 250 },
  { id: "otelcol.exporter.otlphttp.backend", ratePerSecond: 180 },
];
const RECEIVER = "otelcol.receiver.otlp.default";

const within1pct = (actual: number | null | undefined, expected: number) =>
  actual !== null && actual !== undefined && Math.abs(actual - expected) / expected < 0.01;
const rateOf = (c: Collector | undefined, component: string) =>
  c?.edges.find((e) => e.from === component || e.to === component)?.ratePerSecond;

async function collectorOn(relay: RelayProcess, id: string): Promise<Collector | undefined> {
  const response = await relay.api("/api/v1/topology");
  return (response.body as { collectors: Collector[] }).collectors.find((c) => c.id === id);
}

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

/** A stand-in agent: hello, outbox items, answers snapshot requests; reconnects wherever its URL leads. */
class WireAgent {
  messages: { type: string; seq?: number; ackedSeq?: number; requestId?: string; action?: string }[] = [];
  ws: WebSocket | null = null;
  readonly archive = Buffer.from("snapshot archive bytes, scrubbed");

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async connect(): Promise<number> {
    this.messages = [];
    const ws = new WebSocket(`${this.url.replace("http", "ws")}${AGENT_LINK_PATH}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    this.ws = ws;
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as WireAgent["messages"][number];
      this.messages.push(message);
      if (message.type === "request" && message.action === "snapshot") {
        const sha256 = createHash("sha256").update(this.archive).digest("hex");
        const body = {
          markerId: "marker-0001",
          fileName: "linkmesh-snapshot-web-01.tar.gz",
          sizeBytes: this.archive.length,
          sha256,
          truncated: false,
          archiveBase64: this.archive.toString("base64"),
        };
        ws.send(JSON.stringify({ type: "reply", requestId: message.requestId, ok: true, body }));
      }
    });
    ws.on("error", () => undefined);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        protocol: 1,
        agentVersion: "0.1.0",
        collectorType: "alloy",
        host: { hostname: "web-01", os: "linux", arch: "x64", kernel: "6.1" },
      }),
    );
    const welcome = await until("welcome", async () => this.messages.find((m) => m.type === "welcome"), 5_000);
    return welcome.ackedSeq ?? 0;
  }

  send(items: OutboxItem[]): void {
    this.ws?.send(JSON.stringify({ type: "outbox", items }));
  }

  async acked(seq: number): Promise<void> {
    await until(
      `ack ${seq}`,
      async () => (this.messages.some((m) => m.type === "ack" && m.seq === seq) ? true : undefined),
      5_000,
    );
  }
}

const eventItem = (seq: number): OutboxItem => ({
  seq,
  id: `evt-${String(seq).padStart(4, "0")}`,
  timeMs: Date.now(),
  report: {
    kind: "event",
    event: { type: "config_changed", severity: "info", message: `config edit ${seq}`, detail: { n: seq } },
  },
});

describe.skipIf(!postgresAvailable())("relay replicas on PostgreSQL", () => {
  let db: string;
  let a: RelayProcess;
  let b: RelayProcess;
  let balancer: Balancer;
  let web: EnrollResponse;
  let alloy: AlloySimulator;
  const t0 = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    db = await createTestDatabase("replicas");
    balancer = await startBalancer();
    const args = ["--public-url", balancer.url];
    [a, b] = await Promise.all([startRelay({ db, args }), startRelay({ db, args })]);
    balancer.targets = [a.url];
    web = await enroll(a, "web-01");
    alloy = new AlloySimulator({ hostname: "web-01", components: PIPELINE, startTimeMs: t0 - 3_600_000 });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await balancer?.close();
  });

  const pushTo = (relay: RelayProcess, atMs: number, token = web.collectorToken) =>
    alloy.push({ url: `${relay.url}/v1/metrics`, bearer: token }, atMs);

  it("computes the right rate when consecutive pushes land on different replicas", async () => {
    expect(await pushTo(a, t0)).toEqual({ ok: true });
    for (let i = 1; i <= 4; i++) {
      const target = i % 2 === 1 ? b : a;
      expect(await pushTo(target, t0 + i * 30_000)).toEqual({ ok: true });
      // The replica that took the push knows at once; the previous sample came from the other one.
      expect(within1pct(rateOf(await collectorOn(target, web.collectorId), RECEIVER), 250)).toBe(true);
    }
    // And the other replica shows the same rates once the write-behind lands (about a second).
    await until(
      "rates on the other replica",
      async () => (within1pct(rateOf(await collectorOn(b, web.collectorId), RECEIVER), 250) ? true : undefined),
      10_000,
    );
  });

  it("updates a canvas connected to replica B when replica A ingests", async () => {
    const controller = new AbortController();
    const response = await fetch(`${b.url}/api/v1/stream`, {
      headers: { authorization: `Bearer ${b.adminToken}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const frames: string[] = [];
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const chunk = await reader?.read().catch(() => undefined);
        if (!chunk || chunk.done) return;
        frames.push(decoder.decode(chunk.value));
      }
    })();
    // A collector B has never seen: it enrols and pushes on A only.
    const db2 = await enroll(a, "db-02");
    const other = new AlloySimulator({ hostname: "db-02", components: PIPELINE, startTimeMs: t0 - 3_600_000 });
    const startedAt = Date.now();
    for (let i = 0; i < 2; i++) {
      expect(await other.push({ url: `${a.url}/v1/metrics`, bearer: db2.collectorToken }, t0 + i * 30_000)).toEqual({
        ok: true,
      });
    }
    const seen = await until(
      "B's stream shows db-02's rate",
      async () => {
        for (const frame of frames.join("").split("\n\n")) {
          if (!frame.startsWith("event: topology")) continue;
          const topology = JSON.parse(frame.slice(frame.indexOf("data: ") + 6)) as { collectors: Collector[] };
          const c = topology.collectors.find((x) => x.id === db2.collectorId);
          if (within1pct(rateOf(c, RECEIVER), 250)) return Date.now() - startedAt;
        }
        return undefined;
      },
      10_000,
    );
    controller.abort();
    expect(seen).toBeLessThan(5_000);
  });

  it("runs a snapshot requested on B through the agent whose link is on A", async () => {
    const agent = new WireAgent(balancer.url, web.agentToken);
    expect(await agent.connect()).toBe(0);
    // Presence reaches B within its heartbeat.
    const taken = await until(
      "B forwards the snapshot request",
      async () => {
        const r = await b.api(`/api/v1/collectors/${web.collectorId}/snapshots`, { body: { since: "5m" } });
        return r.status === 201 ? r : undefined;
      },
      10_000,
    );
    const id = (taken.body as { id: string }).id;
    for (const relay of [a, b]) {
      const download = await fetch(`${relay.url}/api/v1/collectors/${web.collectorId}/snapshots/${id}`, {
        headers: { authorization: `Bearer ${relay.adminToken}` },
      });
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(agent.archive);
    }
    agent.ws?.close();
  });

  it("revoking on A rejects on B within a second", async () => {
    const host = await enroll(a, "cache-03");
    expect(await pushTo(b, t0, host.collectorToken)).toEqual({ ok: true }); // B has the bearer cached now
    const unused = await mintEnrollmentToken(a, {});
    const listed = (await a.api("/api/v1/tokens")).body as { tokens: { id: string; state: string }[] };
    for (const t of listed.tokens.filter((x) => x.state === "active")) {
      expect((await a.api(`/api/v1/tokens/${t.id}`, { method: "DELETE" })).status).toBe(204);
    }
    const deregistered = await a.api(`/api/v1/collectors/${host.collectorId}`, { method: "DELETE" });
    expect(deregistered.status).toBeLessThan(300);
    const revokedAt = Date.now();
    const rejectedAfter = await until(
      "B rejects the revoked collector token",
      async () => ((await pushTo(b, t0 + 30_000, host.collectorToken)).ok ? undefined : Date.now() - revokedAt),
      5_000,
    );
    expect(rejectedAfter).toBeLessThanOrEqual(1_000);
    const enrolOnB = await fetch(`${b.url}/api/v1/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: unused, hostname: "late-04", collectorType: "alloy" }),
    });
    expect(enrolOnB.status).toBeGreaterThanOrEqual(400);
    expect(enrolOnB.status).toBeLessThan(500);
  });

  it("loses nothing when a replica is killed with SIGKILL mid-run; the agent carries on on the other", async () => {
    const agent = new WireAgent(balancer.url, web.agentToken);
    const resumeFrom = await agent.connect();
    agent.send([1, 2, 3].map((n) => eventItem(resumeFrom + n)));
    await agent.acked(resumeFrom + 3);
    // Three more go out and A dies before (or while) storing them.
    agent.send([4, 5, 6].map((n) => eventItem(resumeFrom + n)));
    balancer.targets = [a.url, b.url];
    a.child.kill("SIGKILL");
    await new Promise<void>((resolve) => a.child.once("exit", () => resolve()));

    // The agent reconnects through the balancer (A refuses, B takes it) and resends what was not acked.
    const acked = await until("agent reconnects to B", async () => agent.connect().catch(() => undefined), 10_000);
    expect(acked).toBeGreaterThanOrEqual(resumeFrom + 3);
    const pending = [4, 5, 6, 7].map((n) => eventItem(resumeFrom + n)).filter((i) => i.seq > acked);
    agent.send(pending);
    await agent.acked(resumeFrom + 7);
    agent.ws?.close();

    const events = (await b.api(`/api/v1/collectors/${web.collectorId}/events?limit=1000`)).body as {
      events: { id: string; type: string }[];
    };
    const ids = events.events.filter((e) => e.id.startsWith("evt-")).map((e) => e.id);
    const expected = [1, 2, 3, 4, 5, 6, 7].map((n) => eventItem(resumeFrom + n).id);
    expect([...ids].sort()).toEqual(expected); // each exactly once
    // Enrolments, collectors and snapshots made through A are all there on B.
    const collectors = (await b.api("/api/v1/collectors")).body as { collectors: { hostname: string }[] };
    expect(collectors.collectors.map((c) => c.hostname).sort()).toEqual(["db-02", "web-01"]);
    const snaps = (await b.api(`/api/v1/collectors/${web.collectorId}/snapshots`)).body as { snapshots: unknown[] };
    expect(snaps.snapshots).toHaveLength(1);
    // And the collector's next push on B continues the rate from the state A last stored.
    expect(await pushTo(b, t0 + 5 * 30_000)).toEqual({ ok: true });
    expect(within1pct(rateOf(await collectorOn(b, web.collectorId), RECEIVER), 250)).toBe(true);
  });
});

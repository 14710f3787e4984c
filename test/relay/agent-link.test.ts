import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  AGENT_LINK_PATH,
  type AgentToRelay,
  decodeRelayMessage,
  type OutboxItem,
  type RelayToAgent,
} from "../../common/protocol/index.js";
import { AgentRequestError } from "../../relay/agent-link/index.js";
import { baseUrl, startTestRelay, type TestRelay } from "./harness.js";

/** A scripted agent: sends messages, collects everything the relay says. */
class FakeAgent {
  readonly received: RelayToAgent[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.received.push(decodeRelayMessage(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", (code) => {
      this.closed = { code };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(url: string, bearer: string): Promise<FakeAgent> {
    const ws = new WebSocket(`${url.replace("http", "ws")}${AGENT_LINK_PATH}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
    return new FakeAgent(ws);
  }

  send(message: AgentToRelay): void {
    this.ws.send(JSON.stringify(message));
  }

  async next<T extends RelayToAgent["type"]>(type: T, timeoutMs = 3000): Promise<Extract<RelayToAgent, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((m) => m.type === type);
      if (index !== -1) return this.received.splice(index, 1)[0] as Extract<RelayToAgent, { type: T }>;
      if (this.closed) throw new Error(`closed (${this.closed.code}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async hello(): Promise<Extract<RelayToAgent, { type: "welcome" }>> {
    this.send({
      type: "hello",
      protocol: 1,
      agentVersion: "0.1.0",
      collectorType: "alloy",
      collectorVersion: "v1.18.1",
      host: { hostname: "web-01", os: "linux", arch: "x64", kernel: "6.1" },
    });
    return this.next("welcome");
  }

  async waitClosed(timeoutMs = 3000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.closed) throw new Error("not closed");
    return this.closed.code;
  }
}

function eventItem(seq: number, id: string, message: string): OutboxItem {
  return {
    seq,
    id,
    timeMs: Date.UTC(2026, 0, 1, 0, 0, seq),
    report: { kind: "event", event: { type: "bootstrap_drift", severity: "warning", message, detail: { seq } } },
  };
}

let t: TestRelay | null = null;
afterEach(async () => {
  await t?.relay.close();
  t = null;
});

async function setup(options: { agentHeartbeatTimeoutMs?: number } = {}) {
  t = await startTestRelay({ listen: true, ...options });
  const enrolled = await t.enroll("web-01");
  return { t, enrolled, url: baseUrl(t.relay) };
}

async function eventsOf(t: TestRelay, collectorId: string) {
  const response = await t.relay.app.inject({
    url: `/api/v1/collectors/${collectorId}/events`,
    headers: t.operator,
  });
  return (response.json() as { events: { id: string; type: string; message: string }[] }).events;
}

describe("agent link authentication", () => {
  it.each([
    ["no bearer at all", null],
    ["a collector token instead of the agent token", "collector"],
    ["a made-up agent token", "lma_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("answers 401 before the upgrade for %s", async (_name, which) => {
    const { enrolled, url } = await setup();
    const bearer = which === "collector" ? enrolled.collectorToken : which;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${url.replace("http", "ws")}${AGENT_LINK_PATH}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("open", () => resolve(101));
      ws.once("error", () => undefined);
    });
    expect(status).toBe(401);
  });

  it("refuses the agent token of a deregistered collector", async () => {
    const { t, enrolled, url } = await setup();
    await t.relay.app.inject({
      method: "DELETE",
      url: `/api/v1/collectors/${enrolled.collectorId}`,
      headers: t.operator,
    });
    await expect(FakeAgent.connect(url, enrolled.agentToken)).rejects.toThrow("HTTP 401");
  });
});

describe("durable outbox delivery", () => {
  it("welcomes with ackedSeq 0, stores items in order, acks the highest seq and ignores redelivery", async () => {
    const { t, enrolled, url } = await setup();
    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    expect(await agent.hello()).toEqual({
      type: "welcome",
      protocol: 1,
      collectorId: enrolled.collectorId,
      ackedSeq: 0,
    });

    agent.send({ type: "outbox", items: [eventItem(2, "ev-2", "second"), eventItem(1, "ev-1", "first")] });
    expect(await agent.next("ack")).toEqual({ type: "ack", seq: 2 });
    // Redelivered after a lost ack: stored once.
    agent.send({ type: "outbox", items: [eventItem(1, "ev-1", "first"), eventItem(2, "ev-2", "second")] });
    expect(await agent.next("ack")).toEqual({ type: "ack", seq: 2 });

    const events = await eventsOf(t, enrolled.collectorId);
    expect(events.filter((e) => e.type === "bootstrap_drift").map((e) => e.id)).toEqual(["ev-2", "ev-1"]);
    expect(events.some((e) => e.type === "agent_connected")).toBe(true);

    agent.ws.close();
    await agent.waitClosed();
    const again = await FakeAgent.connect(url, enrolled.agentToken);
    expect((await again.hello()).ackedSeq).toBe(2);
    again.ws.close();
  });

  it("keeps the acked seq across a relay restart (persisted in the store)", async () => {
    const { tempDir } = await import("../rig/index.js");
    const dbPath = `${await tempDir("agent-link")}/relay.db`;
    t = await startTestRelay({ listen: true, dbPath });
    const enrolled = await t.enroll("web-01");
    const agent = await FakeAgent.connect(baseUrl(t.relay), enrolled.agentToken);
    await agent.hello();
    agent.send({ type: "outbox", items: [eventItem(7, "ev-7", "seventh")] });
    await agent.next("ack");
    await t.relay.close();
    expect((await agent.next("goaway")).retryAfterMs).toBeGreaterThan(0);

    t = await startTestRelay({ listen: true, dbPath });
    const back = await FakeAgent.connect(baseUrl(t.relay), enrolled.agentToken);
    expect((await back.hello()).ackedSeq).toBe(7);
    back.ws.close();
  });

  it("stores a graph report as the collector's graph and health as its host metrics", async () => {
    const { t, enrolled, url } = await setup();
    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    await agent.hello();
    const graph = {
      components: [
        {
          id: "otelcol.exporter.otlphttp.default",
          kind: "destination" as const,
          type: "otelcol.exporter.otlphttp",
          signals: [],
        },
      ],
      edges: [],
    };
    const health = {
      cpuUtilization: 0.25,
      memoryUsedBytes: 1e9,
      memoryTotalBytes: 4e9,
      uptimeSeconds: 3600,
      diskUsedBytes: 1e10,
      diskTotalBytes: 5e10,
    };
    agent.send({
      type: "outbox",
      items: [
        {
          seq: 1,
          id: "g1",
          timeMs: 1,
          report: { kind: "graph", graph, configPath: "/etc/alloy/config.alloy", configSha256: "ab" },
        },
        { seq: 2, id: "h1", timeMs: 2, report: { kind: "health", health } },
      ],
    });
    expect((await agent.next("ack")).seq).toBe(2);
    const collector = await t.relay.store.getCollector(enrolled.collectorId);
    expect(collector?.graph?.components.map((c) => c.id)).toEqual(["otelcol.exporter.otlphttp.default"]);
    expect(collector?.hostMetrics).toMatchObject({
      cpu_utilization: 0.25,
      memory_utilization: 0.25,
      uptime_seconds: 3600,
    });
    agent.ws.close();
  });

  it("closes the link on a message that breaks the protocol", async () => {
    const { enrolled, url } = await setup();
    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    agent.ws.send("{not json");
    expect(await agent.waitClosed()).toBe(1008);
  });
});

describe("requests to an agent", () => {
  it("round-trips a doctor request and its reply", async () => {
    const { t, enrolled, url } = await setup();
    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    await agent.hello();
    const pending = t.relay.agents.request(enrolled.collectorId, "doctor", { verbose: true }, 2000);
    const request = await agent.next("request");
    expect(request).toMatchObject({ action: "doctor", params: { verbose: true } });
    agent.send({ type: "reply", requestId: request.requestId, ok: true, body: { verdict: "ok" } });
    await expect(pending).resolves.toEqual({ verdict: "ok" });
    agent.ws.close();
  });

  it("says the agent is offline (typed) when it has no link, and times out when it does not answer", async () => {
    const { t, enrolled, url } = await setup();
    const offline = await t.relay.agents.request(enrolled.collectorId, "snapshot").catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(AgentRequestError);
    expect((offline as AgentRequestError).reason).toBe("agent_offline");

    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    await agent.hello();
    const silent = await t.relay.agents.request(enrolled.collectorId, "doctor", {}, 100).catch((e: unknown) => e);
    expect((silent as AgentRequestError).reason).toBe("agent_request_timeout");
    await agent.next("request"); // the one left unanswered

    const failing = t.relay.agents.request(enrolled.collectorId, "doctor", {}, 2000).catch((e: unknown) => e);
    const request = await agent.next("request");
    agent.send({ type: "reply", requestId: request.requestId, ok: false, error: "journalctl missing", body: null });
    expect(await failing).toMatchObject({ reason: "agent_request_failed" });
    agent.ws.close();
  });
});

describe("link life cycle", () => {
  it("closes a link that stops heartbeating and records agent_disconnected", async () => {
    const { t, enrolled, url } = await setup({ agentHeartbeatTimeoutMs: 150 });
    const agent = await FakeAgent.connect(url, enrolled.agentToken);
    await agent.hello();
    expect(t.relay.agents.isConnected(enrolled.collectorId)).toBe(true);
    expect(await agent.waitClosed(2000)).toBe(4001);
    expect(t.relay.agents.isConnected(enrolled.collectorId)).toBe(false);
    const types = (await eventsOf(t, enrolled.collectorId)).map((e) => e.type);
    expect(types).toContain("agent_disconnected");
  });

  it("a second connection for the same collector replaces the first with a goaway", async () => {
    const { enrolled, url } = await setup();
    const first = await FakeAgent.connect(url, enrolled.agentToken);
    await first.hello();
    const second = await FakeAgent.connect(url, enrolled.agentToken);
    await second.hello();
    expect((await first.next("goaway")).reason).toContain("replaced");
    second.ws.close();
  });
});

// OpAMP over WebSocket, written from the spec (opamp-spec specification.md §WebSocket Transport; opamp.proto):
// every binary message is a varint header 0 followed by the protobuf, both directions. The peer here encodes with
// its own copy of the proto fields so it checks the relay's wire format, not the relay's code.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";

const PEER_PROTO = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; int64 int_value = 3; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message AgentDescription { repeated KeyValue identifying_attributes = 1; repeated KeyValue non_identifying_attributes = 2; }
message ComponentHealth { bool healthy = 1; fixed64 start_time_unix_nano = 2; string last_error = 3; string status = 4; }
message AgentConfigFile { bytes body = 1; string content_type = 2; }
message AgentConfigMap { map<string, AgentConfigFile> config_map = 1; }
message EffectiveConfig { AgentConfigMap config_map = 1; }
message AgentDisconnect {}
message AgentToServer {
  bytes instance_uid = 1; uint64 sequence_num = 2; AgentDescription agent_description = 3; uint64 capabilities = 4;
  ComponentHealth health = 5; EffectiveConfig effective_config = 6; AgentDisconnect agent_disconnect = 9;
}
message Header { string key = 1; string value = 2; }
message Headers { repeated Header headers = 1; }
message TelemetryConnectionSettings { string destination_endpoint = 1; Headers headers = 2; }
message ConnectionSettingsOffers { bytes hash = 1; TelemetryConnectionSettings own_metrics = 3; }
message ServerErrorResponse { int32 type = 1; string error_message = 2; }
message AgentIdentification { bytes new_instance_uid = 1; }
message ServerToAgent {
  bytes instance_uid = 1; ServerErrorResponse error_response = 2; ConnectionSettingsOffers connection_settings = 4;
  uint64 flags = 6; uint64 capabilities = 7; AgentIdentification agent_identification = 8;
}`;
const root = protobuf.parse(PEER_PROTO).root;
const A2S = root.lookupType("AgentToServer");
const S2A = root.lookupType("ServerToAgent");

interface Reply {
  instanceUid: Uint8Array;
  flags?: number;
  capabilities?: number;
  errorResponse?: { type: number; errorMessage: string };
  connectionSettings?: {
    hash: Uint8Array;
    ownMetrics?: { destinationEndpoint: string; headers: { headers: { key: string; value: string }[] } };
  };
  agentIdentification?: { newInstanceUid: Uint8Array };
}

/** Supervisor defaults: ReportsStatus | ReportsEffectiveConfig | ReportsOwnMetrics | ReportsHealth | ReportsHeartbeat. */
const SUPERVISOR_CAPABILITIES = 10309;
const EFFECTIVE_CONFIG = `receivers:
  otlp:
    protocols:
      grpc: {}
      http: {}
processors:
  batch: {}
exporters:
  otlp_http/backend:
    endpoint: https://backend.example:4318
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_http/backend]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_http/backend, debug]
`;

const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });

class SpecPeer {
  readonly replies: Reply[] = [];
  readonly raw: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => {
      this.raw.push(data);
      if (data[0] === 0) this.replies.push(S2A.toObject(S2A.decode(data.subarray(1)), { longs: Number }) as Reply);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", (code) => {
      this.closed = { code };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(url: string, bearer: string): Promise<SpecPeer> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/v1/opamp`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new SpecPeer(ws);
  }

  send(fields: Record<string, unknown>): void {
    const body = A2S.encode(A2S.fromObject(fields)).finish();
    this.ws.send(Buffer.concat([Buffer.from([0]), body]), { binary: true });
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  async next(count: number, timeoutMs = 5_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (this.raw.length < count) {
      if (this.closed) throw new Error(`connection closed (${this.closed.code}) before reply ${count}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply ${count} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.replies[count - 1] as Reply;
  }

  close(): void {
    this.ws.close();
  }
}

function collectorGraph(
  relay: RelayProcess,
  id: string,
): { components: { id: string }[]; edges: { from: string; to: string }[] } | null {
  const db = new Database(join(relay.dataDir, "linkmesh.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT graph FROM collectors WHERE id = ?").get(id) as { graph: string | null } | undefined;
    return row?.graph ? JSON.parse(row.graph) : null;
  } finally {
    db.close();
  }
}

describe("otelcol-contrib over OpAMP (WebSocket transport, framing per spec)", () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("enrolls on the first status report, offers own_metrics in the first reply, and stores the effective config as the graph", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    const uid = randomBytes(16);
    const peer = await SpecPeer.connect(relay.url, token);
    const started = Date.now();
    peer.send({
      instanceUid: uid,
      sequenceNum: 1,
      capabilities: SUPERVISOR_CAPABILITIES,
      agentDescription: {
        identifyingAttributes: [kv("service.name", "otelcol-contrib"), kv("service.version", "0.158.0")],
        nonIdentifyingAttributes: [kv("host.name", "otel-ws-01"), kv("os.type", "linux")],
      },
      health: { healthy: true, status: "StatusOK" },
      effectiveConfig: {
        configMap: { configMap: { "": { body: Buffer.from(EFFECTIVE_CONFIG), contentType: "text/yaml" } } },
      },
    });
    const first = await peer.next(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(peer.raw[0]?.[0]).toBe(0); // header byte
    expect(Buffer.from(first.instanceUid).equals(uid)).toBe(true);
    expect((first.capabilities ?? 0) & 0x1).toBe(1); // AcceptsStatus
    expect((first.flags ?? 0) & 0x1).toBe(0); // nothing missing
    const offer = first.connectionSettings?.ownMetrics;
    expect(offer?.destinationEndpoint).toBe(`${relay.url}/v1/metrics`);
    expect(offer?.headers.headers).toEqual([{ key: "Authorization", value: expect.stringMatching(/^Bearer lmc_/) }]);
    expect(first.connectionSettings?.hash.length).toBeGreaterThan(0);

    const collectors = (
      (await relay.api("/api/v1/collectors")).body as {
        collectors: { id: string; hostname: string; labels: Record<string, string> }[];
      }
    ).collectors;
    const collector = collectors.find((c) => c.hostname === "otel-ws-01");
    expect(collector?.labels).toMatchObject({ "opamp.health": "healthy", "opamp.status": "StatusOK" });
    const id = collector?.id ?? "";
    const events = (await relay.api(`/api/v1/collectors/${id}/events`)).body as { events: { type: string }[] };
    expect(events.events.map((e) => e.type).reverse()).toEqual(["registered", "config_changed", "own_metrics_offered"]);

    const graph = collectorGraph(relay, id);
    expect(graph?.components.map((c) => c.id).sort()).toEqual(["batch", "debug", "otlp", "otlp_http/backend"]);
    expect(graph?.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: "otlp", to: "batch" }),
        expect.objectContaining({ from: "batch", to: "otlp_http/backend" }),
        expect.objectContaining({ from: "batch", to: "debug" }),
      ]),
    );

    // In-order heartbeat: plain ack. A gap: ReportFullState.
    peer.send({ instanceUid: uid, sequenceNum: 2, capabilities: SUPERVISOR_CAPABILITIES });
    const ack = await peer.next(2);
    expect(ack.connectionSettings).toBeUndefined();
    expect((ack.flags ?? 0) & 0x1).toBe(0);
    peer.send({ instanceUid: uid, sequenceNum: 7, capabilities: SUPERVISOR_CAPABILITIES });
    expect(((await peer.next(3)).flags ?? 0) & 0x1).toBe(1);

    // A cloned VM: a second live connection claims the same uid and is told to use a new one.
    const clone = await SpecPeer.connect(relay.url, token);
    clone.send({
      instanceUid: uid,
      sequenceNum: 1,
      capabilities: SUPERVISOR_CAPABILITIES,
      agentDescription: { nonIdentifyingAttributes: [kv("host.name", "otel-ws-01")] },
    });
    const told = await clone.next(1);
    const newUid = told.agentIdentification?.newInstanceUid;
    expect(newUid?.length).toBe(16);
    expect(Buffer.from(newUid ?? []).equals(uid)).toBe(false);
    clone.close();

    // agent_disconnect: answered, then the server closes.
    peer.send({ instanceUid: uid, sequenceNum: 8, capabilities: SUPERVISOR_CAPABILITIES, agentDisconnect: {} });
    await peer.next(4);
    const fleet = ((await relay.api("/api/v1/collectors")).body as { collectors: unknown[] }).collectors;
    expect(fleet).toHaveLength(1);

    // Reconnecting with the same enrollment token: recognised, no second offer.
    const back = await SpecPeer.connect(relay.url, token);
    back.send({ instanceUid: uid, sequenceNum: 9, capabilities: SUPERVISOR_CAPABILITIES });
    expect((await back.next(1)).connectionSettings).toBeUndefined();
    back.close();

    // Re-enrolment with a fresh token (e.g. a collector enrolled before offers existed): a new offer, new token.
    const fresh = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    const again = await SpecPeer.connect(relay.url, fresh);
    again.send({
      instanceUid: uid,
      sequenceNum: 10,
      capabilities: SUPERVISOR_CAPABILITIES,
      agentDescription: { nonIdentifyingAttributes: [kv("host.name", "otel-ws-01")] },
    });
    const reoffer = (await again.next(1)).connectionSettings?.ownMetrics?.headers.headers[0]?.value;
    expect(reoffer).toMatch(/^Bearer lmc_/);
    expect(reoffer).not.toBe(offer?.headers.headers[0]?.value);
    again.close();
    const types = ((await relay.api(`/api/v1/collectors/${id}/events`)).body as { events: { type: string }[] }).events
      .map((e) => e.type)
      .filter((t) => t === "registered" || t === "own_metrics_offered")
      .reverse();
    expect(types).toEqual(["registered", "own_metrics_offered", "registered", "own_metrics_offered"]);
    // The first offer's token was revoked by the re-enrolment.
    const stale = await fetch(`${relay.url}/v1/metrics`, {
      method: "POST",
      headers: { authorization: offer?.headers.headers[0]?.value ?? "", "content-type": "application/x-protobuf" },
      body: new Uint8Array(),
    });
    expect(stale.status).toBe(401);
  });

  it("still offers own_metrics when the relay restarted between the enrollment and the offer", async () => {
    const own = await startRelay();
    try {
      const token = await mintEnrollmentToken(own, { expiresIn: "1h", maxUses: 1 });
      const uid = randomBytes(16);
      const description = {
        identifyingAttributes: [kv("service.name", "otelcol-contrib")],
        nonIdentifyingAttributes: [kv("host.name", "otel-restart-01")],
      };
      // Enrolled by a first status report that does not yet declare ReportsOwnMetrics: no offer goes out.
      const before = await SpecPeer.connect(own.url, token);
      before.send({ instanceUid: uid, sequenceNum: 1, capabilities: 1, agentDescription: description });
      expect((await before.next(1)).connectionSettings).toBeUndefined();
      before.close();

      const port = Number(new URL(own.url).port);
      await own.stop();
      const again = await startRelay({ dataDir: own.dataDir, port });
      try {
        const after = await SpecPeer.connect(again.url, token);
        after.send({
          instanceUid: uid,
          sequenceNum: 2,
          capabilities: SUPERVISOR_CAPABILITIES,
          agentDescription: description,
        });
        const reply = await after.next(1);
        const bearer = reply.connectionSettings?.ownMetrics?.headers.headers[0]?.value ?? "";
        expect(bearer).toMatch(/^Bearer lmc_/);
        after.close();
        const push = await fetch(`${again.url}/v1/metrics`, {
          method: "POST",
          headers: { authorization: bearer, "content-type": "application/json" },
          body: "{}",
        });
        expect(push.status).toBe(200);
        const fleet = (await again.api("/api/v1/collectors")).body as { collectors: { id: string }[] };
        expect(fleet.collectors).toHaveLength(1);
        const id = fleet.collectors[0]?.id ?? "";
        const events = (await again.api(`/api/v1/collectors/${id}/events`)).body as { events: { type: string }[] };
        expect(events.events.filter((e) => e.type === "own_metrics_offered")).toHaveLength(1);
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });

  it("answers malformed frames with a BadRequest error and keeps serving (fuzzed)", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 5 });
    const peer = await SpecPeer.connect(relay.url, token);
    const frames = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0]), b])),
      ),
      { numRuns: 150, seed: 42 },
    );
    for (const frame of frames) peer.sendRaw(frame);
    peer.sendRaw(Buffer.from([0x0a, 0x01])); // header-less: rejected per spec (header must be 0)
    const uid = randomBytes(16);
    peer.send({ instanceUid: uid, sequenceNum: 1, capabilities: 1 }); // well-formed, but no description yet
    const lastIndex = frames.length + 2;
    const last = await peer.next(lastIndex, 10_000);
    expect(Buffer.from(last.instanceUid).equals(uid)).toBe(true);
    expect((last.flags ?? 0) & 0x1).toBe(1); // unknown instance: report full state
    const errors = peer.replies.filter((r) => r.errorResponse);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((r) => r.errorResponse?.type === 1)).toBe(true);
    peer.close();
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  });

  it("refuses the upgrade without a LinkMesh bearer", async () => {
    await expect(SpecPeer.connect(relay.url, "not-a-token")).rejects.toThrow(/401/);
  });
});

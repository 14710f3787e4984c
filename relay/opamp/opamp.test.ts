import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeAgent, INSTANCE_UID_LABEL } from "./describe.js";
import { graphFromEffectiveConfig } from "./effective-config.js";
import { frameWsMessage, unframeWsMessage } from "./framing.js";
import { decodeAgentToServer, encodeServerToAgent, OpampDecodeError } from "./messages.js";
import { ownMetricsOffer } from "./offer.js";
import { AgentToServerType, ServerToAgentType } from "./proto.js";
import { needsFullState } from "./sequence.js";

const CORPUS = new URL("../../../shared/corpus/otelcol/collector/", import.meta.url);
const UID = Uint8Array.from([
  0x01, 0x90, 0xf8, 0xe2, 0x6c, 0x1a, 0x7b, 0x3e, 0x9d, 0x4f, 0x2a, 0x5b, 0x6c, 0x7d, 0x8e, 0x9f,
]);

function agentToServer(fields: Record<string, unknown>): Uint8Array {
  return AgentToServerType.encode(AgentToServerType.fromObject({ instanceUid: UID, ...fields })).finish();
}
const kv = (key: string, stringValue: string) => ({ key, value: { stringValue } });

describe("WebSocket framing (header varint 0 + protobuf)", () => {
  it.each([
    { name: "single zero header byte", input: [0x00, 0x0a, 0x01], data: [0x0a, 0x01] },
    { name: "header only (empty message)", input: [0x00], data: [] },
    { name: "zero written as a two-byte varint", input: [0x80, 0x00, 0x08], data: [0x08] },
  ])("accepts $name", ({ input, data }) => {
    expect([...unframeWsMessage(Uint8Array.from(input))]).toEqual(data);
  });

  it.each([
    { name: "empty message", input: [] },
    { name: "non-zero header (a header-less protobuf)", input: [0x0a, 0x10] },
    { name: "unterminated varint", input: [0x80, 0x80] },
    { name: "varint longer than 10 bytes", input: Array(11).fill(0x80) },
  ])("rejects $name as bad_frame", ({ input }) => {
    expect(() => unframeWsMessage(Uint8Array.from(input))).toThrow(OpampDecodeError);
  });

  it("frames a reply with a single 0x00 byte before the protobuf", () => {
    expect([...frameWsMessage(Uint8Array.from([8, 1]))]).toEqual([0, 8, 1]);
  });
});

describe("decoding AgentToServer", () => {
  it("reads uid, sequence number, capabilities, description, health and effective config", () => {
    const message = decodeAgentToServer(
      agentToServer({
        sequenceNum: "18446744073709551615",
        capabilities: 10309,
        agentDescription: {
          identifyingAttributes: [kv("service.name", "otelcol-contrib"), kv("service.version", "0.158.0")],
          nonIdentifyingAttributes: [kv("host.name", "edge-7"), { key: "cpu.count", value: { intValue: 8 } }],
        },
        health: { healthy: true, status: "StatusOK" },
        effectiveConfig: {
          configMap: { configMap: { "": { body: Buffer.from("receivers: {}\n"), contentType: "text/yaml" } } },
        },
      }),
    );
    expect(message).toMatchObject({
      uid: "0190f8e2-6c1a-7b3e-9d4f-2a5b6c7d8e9f",
      sequenceNum: 18446744073709551615n,
      capabilities: 10309,
      disconnect: false,
      description: {
        identifying: { "service.name": "otelcol-contrib", "service.version": "0.158.0" },
        nonIdentifying: { "host.name": "edge-7", "cpu.count": "8" },
      },
      health: { healthy: true, status: "StatusOK", lastError: "" },
      effectiveConfig: [{ name: "", contentType: "text/yaml", body: "receivers: {}\n" }],
    });
  });

  it("marks agent_disconnect and leaves omitted parts unset", () => {
    const message = decodeAgentToServer(agentToServer({ sequenceNum: 4, agentDisconnect: {} }));
    expect(message.disconnect).toBe(true);
    expect(message.description).toBeUndefined();
    expect(message.effectiveConfig).toBeUndefined();
  });

  it.each([
    {
      name: "no instance uid",
      bytes: AgentToServerType.encode({ sequenceNum: 1 }).finish(),
      reason: "bad_instance_uid",
    },
    {
      name: "an 8-byte instance uid",
      bytes: AgentToServerType.encode({ instanceUid: new Uint8Array(8) }).finish(),
      reason: "bad_instance_uid",
    },
    { name: "truncated protobuf", bytes: Uint8Array.from([0x0a, 0x10, 0x01]), reason: "bad_protobuf" },
  ])("refuses $name with reason $reason", ({ bytes, reason }) => {
    try {
      decodeAgentToServer(bytes);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OpampDecodeError);
      expect((error as OpampDecodeError).reason).toBe(reason);
    }
  });

  it("never throws anything but OpampDecodeError on arbitrary bytes (fuzz)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          unframeWsMessage(bytes);
        } catch (error) {
          if (!(error instanceof OpampDecodeError)) throw error;
        }
        try {
          decodeAgentToServer(bytes);
        } catch (error) {
          if (!(error instanceof OpampDecodeError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("survives mutations of a valid full-state message (fuzz)", () => {
    const valid = agentToServer({
      sequenceNum: 1,
      capabilities: 10309,
      agentDescription: { identifyingAttributes: [kv("service.name", "otelcol-contrib")] },
      effectiveConfig: { configMap: { configMap: { "": { body: Buffer.from("a: 1"), contentType: "text/yaml" } } } },
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const bytes = Uint8Array.from(valid);
          for (const [at, value] of edits) bytes[at] = value;
          try {
            decodeAgentToServer(bytes);
          } catch (error) {
            if (!(error instanceof OpampDecodeError)) throw error;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("encoding ServerToAgent", () => {
  it("round-trips the own_metrics offer, flags, capabilities and a new instance uid", () => {
    const offer = ownMetricsOffer("https://relay.example/", "lmc_abc");
    const bytes = encodeServerToAgent({
      instanceUid: UID,
      flags: 1,
      capabilities: 0x25,
      connectionSettings: offer,
      newInstanceUid: new Uint8Array(16).fill(7),
    });
    const decoded = ServerToAgentType.toObject(ServerToAgentType.decode(bytes), { longs: Number });
    expect(decoded).toMatchObject({
      flags: 1,
      capabilities: 0x25,
      connectionSettings: {
        ownMetrics: {
          destinationEndpoint: "https://relay.example/v1/metrics",
          headers: { headers: [{ key: "Authorization", value: "Bearer lmc_abc" }] },
        },
      },
    });
    expect([...(decoded.agentIdentification as { newInstanceUid: Uint8Array }).newInstanceUid]).toEqual(
      Array(16).fill(7),
    );
  });

  it("sends only instance_uid and error_response for an error", () => {
    const bytes = encodeServerToAgent({ instanceUid: UID, flags: 1, errorResponse: { type: 1, message: "bad" } });
    const decoded = ServerToAgentType.toObject(ServerToAgentType.decode(bytes), { longs: Number });
    expect(Object.keys(decoded).sort()).toEqual(["errorResponse", "instanceUid"]);
  });
});

describe("own_metrics offer", () => {
  it("changes its hash when the endpoint or the token changes, and not otherwise", () => {
    const hash = (url: string, token: string) => Buffer.from(ownMetricsOffer(url, token).hash).toString("hex");
    expect(hash("https://a", "t1")).toBe(hash("https://a/", "t1"));
    expect(hash("https://a", "t1")).not.toBe(hash("https://b", "t1"));
    expect(hash("https://a", "t1")).not.toBe(hash("https://a", "t2"));
  });
});

describe("agent description -> collector record", () => {
  it.each([
    {
      name: "host.name from non-identifying attributes",
      description: { identifying: { "service.version": "0.158.0" }, nonIdentifying: { "host.name": "edge-7" } },
      hostname: "edge-7",
      version: "0.158.0",
    },
    {
      name: "no host.name: the instance uid",
      description: { identifying: {}, nonIdentifying: {} },
      hostname: "u-1",
      version: null,
    },
    {
      name: "a host.name that is not a hostname: the instance uid",
      description: { identifying: {}, nonIdentifying: { "host.name": "a b/c" } },
      hostname: "u-1",
      version: null,
    },
  ])("$name", ({ description, hostname, version }) => {
    const described = describeAgent(description, "u-1");
    expect(described.hostname).toBe(hostname);
    expect(described.version).toBe(version);
    expect(described.labels[INSTANCE_UID_LABEL]).toBe("u-1");
  });
});

describe("sequence numbers", () => {
  it.each([
    { last: null, seq: 1n, described: true, full: false, why: "first message with a description" },
    { last: null, seq: 57n, described: false, full: true, why: "relay has no state and the message is partial" },
    { last: 4n, seq: 5n, described: false, full: false, why: "in order" },
    { last: 4n, seq: 7n, described: false, full: true, why: "a gap" },
    { last: 4n, seq: 4n, described: false, full: true, why: "a repeat" },
    { last: 9n, seq: 0n, described: true, full: true, why: "the agent restarted its counter" },
  ])("$why -> ReportFullState=$full", ({ last, seq, described, full }) => {
    expect(needsFullState(last, seq, described)).toBe(full);
  });
});

describe("effective config -> component graph", () => {
  it("builds the graph of a real collector config, connectors included", () => {
    const body = readFileSync(new URL("otelcol__testdata__otelcol-valid-connector-use.yaml", CORPUS), "utf8");
    const result = graphFromEffectiveConfig([{ name: "", contentType: "text/yaml", body }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.components.map((c) => c.id).sort()).toEqual(expect.arrayContaining(["nop/connector1"]));
    expect(result.graph.edges.length).toBeGreaterThan(0);
  });

  it.each([
    { name: "no files", files: [], reason: "no_yaml_file" },
    {
      name: "a JSON file only",
      files: [{ name: "c.json", contentType: "application/json", body: "{}" }],
      reason: "no_yaml_file",
    },
    {
      name: "a config the collector would refuse",
      files: [{ name: "", contentType: "text/yaml", body: "receivers: [" }],
      reason: "config_rejected",
    },
  ])("reports $name as $reason", ({ files, reason }) => {
    const result = graphFromEffectiveConfig(files);
    expect(result).toMatchObject({ ok: false, reason });
  });
});

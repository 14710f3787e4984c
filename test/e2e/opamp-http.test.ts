// A real third-party OpAMP client (@elastic/opamp-client-node, plain HTTP transport) enrolls with an enrollment
// token, receives the one-time own_metrics offer and can push OTLP with the offered collector token.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { gzipSync } from "node:zlib";
import { AgentCapabilities, createOpAMPClient, DIAG_CH_SEND_SUCCESS } from "@elastic/opamp-client-node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, type RelayProcess, startRelay } from "../rig/index.js";

interface OwnMetricsOffer {
  destinationEndpoint: string;
  headers?: { headers: { key: string; value: string }[] };
}
interface S2A {
  instanceUid: Uint8Array;
  flags: bigint;
  capabilities: bigint;
  connectionSettings?: { ownMetrics?: OwnMetricsOffer };
}
interface Collector {
  id: string;
  hostname: string;
  type: string;
  version: string | null;
  labels: Record<string, string>;
}

/** One client, with every ServerToAgent it received (from the client's own diagnostics channel). */
function startClient(relay: RelayProcess, bearer: string, instanceUid: string, hostname: string) {
  const received: S2A[] = [];
  const client = createOpAMPClient({
    endpoint: `${relay.url}/v1/opamp`,
    headers: { Authorization: `Bearer ${bearer}` },
    instanceUid,
    heartbeatIntervalSeconds: 0.3,
    diagEnabled: true,
  });
  // The client refuses ReportsOwnMetrics in its options although the otelcol supervisor declares it by default
  // (10309); the relay offers own_metrics only to agents that declare it, as the spec says. Set the bit directly.
  const internals = client as unknown as { _capabilities: bigint };
  internals._capabilities |= BigInt(AgentCapabilities.AgentCapabilities_ReportsOwnMetrics ?? 0x40);
  client.setAgentDescription({
    identifyingAttributes: {
      "service.name": "otelcol-contrib",
      "service.version": "0.158.0",
      "service.instance.id": instanceUid,
    },
    nonIdentifyingAttributes: { "host.name": hostname, "os.type": "linux" },
  });
  const onSuccess = (message: unknown) => {
    const m = message as { instanceUidStr: string; s2a: S2A };
    if (m.instanceUidStr === instanceUid) received.push(m.s2a);
  };
  subscribe(DIAG_CH_SEND_SUCCESS, onSuccess);
  client.start();
  return {
    received,
    async stop() {
      unsubscribe(DIAG_CH_SEND_SUCCESS, onSuccess);
      await client.shutdown();
    },
  };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("otelcol-contrib over OpAMP (plain HTTP, real opamp-client-node)", () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("registers the collector and offers own_metrics within 5 s, once, with a working collector token", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1, labels: { site: "lab" } });
    const uid = "0190f8e2-6c1a-7b3e-9d4f-2a5b6c7d8e9f";
    const started = Date.now();
    const client = startClient(relay, token, uid, "otel-http-01");
    try {
      const offer = await waitFor(
        "the own_metrics offer",
        5_000,
        () => client.received.find((s2a) => s2a.connectionSettings?.ownMetrics)?.connectionSettings?.ownMetrics,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(offer.destinationEndpoint).toBe(`${relay.url}/v1/metrics`);
      const authorization = offer.headers?.headers.find((h) => h.key === "Authorization")?.value ?? "";
      expect(authorization).toMatch(/^Bearer lmc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(client.received[0]?.capabilities ?? 0n).toBeGreaterThan(0n);

      const fleet = await relay.api("/api/v1/collectors");
      const collectors = (fleet.body as { collectors: Collector[] }).collectors;
      expect(collectors).toHaveLength(1);
      const collector = collectors[0] as Collector;
      expect(collector).toMatchObject({ hostname: "otel-http-01", type: "otelcol-contrib", version: "0.158.0" });
      expect(collector.labels).toMatchObject({ site: "lab", "service.name": "otelcol-contrib", "os.type": "linux" });

      // Several heartbeat polls later there is still exactly one offer.
      await waitFor("more polls", 5_000, () => (client.received.length >= 5 ? true : undefined));
      expect(client.received.filter((s2a) => s2a.connectionSettings?.ownMetrics)).toHaveLength(1);
      const events = await relay.api(`/api/v1/collectors/${collector.id}/events`);
      const types = (events.body as { events: { type: string }[] }).events.map((e) => e.type).reverse();
      expect(types.filter((t) => t === "registered" || t === "own_metrics_offered")).toEqual([
        "registered",
        "own_metrics_offered",
      ]);

      // The offered header is that collector's OTLP credential.
      const push = await fetch(offer.destinationEndpoint, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-protobuf" },
        body: new Uint8Array(),
      });
      expect(push.status).toBe(200);
    } finally {
      await client.stop();
    }

    // The same instance restarting with the (now used-up) enrollment token is recognised, not re-registered.
    const again = startClient(relay, token, uid, "otel-http-01");
    try {
      await waitFor("replies after restart", 5_000, () => (again.received.length >= 3 ? true : undefined));
      expect(again.received.some((s2a) => s2a.connectionSettings)).toBe(false);
    } finally {
      await again.stop();
    }
    const fleet = await relay.api("/api/v1/collectors");
    expect((fleet.body as { collectors: Collector[] }).collectors).toHaveLength(1);
  });

  it("answers malformed or gzipped-garbage bodies without crashing (fuzzed)", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    const bodies = fc.sample(fc.uint8Array({ maxLength: 300 }), { numRuns: 60, seed: 7 });
    for (const body of bodies) {
      const response = await fetch(`${relay.url}/v1/opamp`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-protobuf" },
        body,
      });
      expect([200, 401]).toContain(response.status);
    }
    const gzipped = await fetch(`${relay.url}/v1/opamp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/x-protobuf",
        "content-encoding": "gzip",
      },
      body: gzipSync(Buffer.from([0x0a, 0x03, 1, 2, 3])),
    });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers.get("content-type")).toBe("application/x-protobuf");
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  });

  it("refuses an unknown bearer with 401 and a grep-able reason", async () => {
    const response = await fetch(`${relay.url}/v1/opamp`, {
      method: "POST",
      headers: { authorization: "Bearer nope", "content-type": "application/x-protobuf" },
      body: new Uint8Array(),
    });
    expect(response.status).toBe(401);
    await relay.waitForOutput("opamp.auth: rejected reason=missing_or_malformed_bearer");
  });

  it("refuses a new instance once the enrollment token is used up", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    const first = startClient(relay, token, "0190f8e2-0000-7000-8000-000000000001", "otel-http-02");
    await waitFor("first enrollment", 5_000, () => (first.received.length > 0 ? true : undefined));
    await first.stop();
    const second = startClient(relay, token, "0190f8e2-0000-7000-8000-000000000002", "otel-http-03");
    try {
      await relay.waitForOutput("opamp.auth: rejected reason=enrollment_refused", 5_000);
      expect(second.received).toHaveLength(0);
    } finally {
      await second.stop();
    }
    const hostnames = ((await relay.api("/api/v1/collectors")).body as { collectors: Collector[] }).collectors.map(
      (c) => c.hostname,
    );
    expect(hostnames).toContain("otel-http-02");
    expect(hostnames).not.toContain("otel-http-03");
  });
});

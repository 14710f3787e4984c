// An otelcol-contrib host with linkmesh-agent: the agent's enrollment stores the collector token for the OpAMP
// supervisor, which then connects with it and gets its own_metrics offer, without a second enrollment.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, type RelayProcess, runAgent, startRelay, tempDir } from "../rig/index.js";
import { OtelcolSimulator } from "../sim/otelcol.js";

const EFFECTIVE_CONFIG = `receivers:
  otlp:
    protocols: { http: {} }
exporters:
  otlp_http/backend: { endpoint: "https://backend.example:4318" }
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp_http/backend] }
`;

describe("an otelcol-contrib host enrolled by the agent", () => {
  let relay: RelayProcess;
  let otelcol: OtelcolSimulator | null = null;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await otelcol?.close();
    await relay.stop();
  });

  it("hands the supervisor a collector token that gets the own_metrics offer for the same collector", async () => {
    const root = await tempDir("otel-host");
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    const enrolled = await runAgent(root, [
      "enroll",
      "--server",
      relay.url,
      "--token",
      token,
      "--collector",
      "otelcol-contrib",
      "--hostname",
      "otel-01",
    ]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    expect(enrolled.stdout).toContain("/v1/opamp");
    const tokenFile = join(root, "etc/otelcol-contrib/linkmesh.token");
    const collectorToken = await readFile(tokenFile, "utf8");
    expect(collectorToken).toMatch(/^lmc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o640);
    expect(enrolled.stdout).not.toContain(collectorToken);

    otelcol = new OtelcolSimulator({
      hostname: "otel-01",
      effectiveConfig: EFFECTIVE_CONFIG,
      signal: "traces",
      receiver: "otlp",
      processor: "batch",
      exporter: "otlp_http/backend",
      countAt: (s) => 10 * s,
      startTimeMs: Date.now() - 60_000,
    });
    await otelcol.enroll(relay.url, collectorToken);

    const fleet = (await relay.api("/api/v1/collectors")).body as { collectors: { id: string; hostname: string }[] };
    expect(fleet.collectors.map((c) => c.hostname)).toEqual(["otel-01"]);
    const id = fleet.collectors[0]?.id ?? "";
    const events = (await relay.api(`/api/v1/collectors/${id}/events`)).body as { events: { type: string }[] };
    const types = events.events.map((e) => e.type).reverse(); // oldest first
    expect(types[0]).toBe("registered");
    expect(types.filter((t) => t === "own_metrics_offered")).toHaveLength(1);
    expect(types.filter((t) => t === "registered")).toHaveLength(1);
    expect(await otelcol.push(Date.now())).toEqual({ ok: true });
  });
});

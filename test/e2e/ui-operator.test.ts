// The operator UI in real Chromium against a real relay: login, the fleet list, the canvas's numbers for two
// simulated Alloy collectors, live updates, an orphan on the Events tab, and Deregister revoking the collector.
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { alloyComponentGraph } from "../../common/alloy-graph/index.js";
import { parseAlloy } from "../../common/alloy-syntax/index.js";
import type { ComponentGraph } from "../../common/model/index.js";
import { AGENT_LINK_PATH, PROTOCOL_VERSION } from "../../common/protocol/index.js";
import { mintEnrollmentToken, REPO_ROOT, type RelayProcess, startRelay } from "../rig/index.js";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";
import { launchBrowser, type UiBrowser } from "../ui/index.js";

const T = Date.now();
const OUTPUT = join(REPO_ROOT, "test-output");

function alloyConfig(exporters: string[]): ComponentGraph {
  const text = `
otelcol.receiver.otlp "apps" {
  http {}
  output {
    metrics = [otelcol.processor.batch.default.input]
  }
}

otelcol.processor.batch "default" {
  output {
    metrics = [${exporters.map((e) => `otelcol.exporter.otlphttp.${e}.input`).join(", ")}]
  }
}
${exporters.map((e) => `\notelcol.exporter.otlphttp "${e}" {\n  client {\n    endpoint = "http://${e}:4318"\n  }\n}\n`).join("")}`;
  const parsed = parseAlloy(text, "config.alloy");
  if (!parsed.ok) throw new Error(`test config does not parse: ${JSON.stringify(parsed.errors)}`);
  return alloyComponentGraph(parsed.file);
}

/** A minimal agent link speaking common/protocol: hello, then graph reports through the outbox. */
class AgentLink {
  private seq = 0;
  private readonly acks = new Set<number>();
  private constructor(private readonly ws: WebSocket) {}

  static async open(relayUrl: string, agentToken: string, hostname: string): Promise<AgentLink> {
    const ws = new WebSocket(`${relayUrl.replace(/^http/, "ws")}${AGENT_LINK_PATH}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    const link = new AgentLink(ws);
    const welcome = new Promise<{ ackedSeq: number }>((resolve, reject) => {
      ws.on("message", (data) => {
        const message = JSON.parse(data.toString()) as { type: string; seq?: number; ackedSeq?: number };
        if (message.type === "welcome") resolve({ ackedSeq: message.ackedSeq ?? 0 });
        if (message.type === "ack" && message.seq !== undefined) link.acks.add(message.seq);
      });
      ws.on("error", reject);
      ws.on("unexpected-response", (_req, res) => reject(new Error(`agent link refused: ${res.statusCode}`)));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        protocol: PROTOCOL_VERSION,
        agentVersion: "0.1.0",
        collectorType: "alloy",
        collectorVersion: "v1.18.1",
        host: { hostname, os: "linux", arch: "x64", kernel: "6.1.0" },
      }),
    );
    link.seq = (await welcome).ackedSeq;
    return link;
  }

  async report(report: Record<string, unknown>): Promise<void> {
    const seq = ++this.seq;
    this.ws.send(JSON.stringify({ type: "outbox", items: [{ seq, id: `r${seq}`, timeMs: Date.now(), report }] }));
    const deadline = Date.now() + 10_000;
    while (!this.acks.has(seq)) {
      if (Date.now() > deadline) throw new Error(`relay did not ack outbox item ${seq}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  graph(graph: ComponentGraph): Promise<void> {
    const sha = createHash("sha256").update(JSON.stringify(graph)).digest("hex");
    return this.report({ kind: "graph", graph, configPath: "/etc/alloy/config.alloy", configSha256: sha });
  }

  close(): void {
    this.ws.close();
  }
}

interface Host {
  hostname: string;
  collectorId: string;
  collectorToken: string;
  sim: AlloySimulator;
  link: AgentLink;
}

async function enrolHost(relay: RelayProcess, hostname: string, components: SimComponent[], exporters: string[]) {
  const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
  const response = await fetch(`${relay.url}/api/v1/enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, hostname, collectorType: "alloy" }),
  });
  expect(response.ok).toBe(true);
  const enrolled = (await response.json()) as { collectorId: string; collectorToken: string; agentToken: string };
  const link = await AgentLink.open(relay.url, enrolled.agentToken, hostname);
  await link.graph(alloyConfig(exporters));
  // Counters run from an hour ago so pushes stamped in the past have values.
  const sim = new AlloySimulator({ hostname, components, startTimeMs: T - 3_600_000 });
  return { hostname, collectorId: enrolled.collectorId, collectorToken: enrolled.collectorToken, sim, link };
}

async function push(relay: RelayProcess, host: Host, atMs: number) {
  return host.sim.push({ url: `${relay.url}/v1/metrics`, bearer: host.collectorToken }, atMs);
}

type Drawn = { host: string; from: string; to: string; label: string; state: string; reason: string | null };

describe("the operator UI shows the fleet, its live rates and its problems in a real browser", () => {
  let relay: RelayProcess;
  let ui: UiBrowser;
  let web: Host;
  let db: Host;

  const drawnLines = async () =>
    ((await ui.page.evaluate(() => window.__linkmeshCanvas?.drawn() ?? [])) as Drawn[]).map(
      (e) => `${e.host}: ${e.from} -> ${e.to} ${e.label}`,
    );

  beforeAll(async () => {
    relay = await startRelay();
    web = await enrolHost(
      relay,
      "web-01",
      [
        { id: "otelcol.receiver.otlp.apps", ratePerSecond: 20 },
        { id: "otelcol.processor.batch.default", ratePerSecond: 20 },
        { id: "otelcol.exporter.otlphttp.mimir", ratePerSecond: 20 },
        { id: "otelcol.exporter.otlphttp.backup", ratePerSecond: 5 },
      ],
      ["mimir", "backup"],
    );
    db = await enrolHost(
      relay,
      "db-01",
      [
        { id: "otelcol.receiver.otlp.apps", ratePerSecond: 1500 },
        { id: "otelcol.processor.batch.default", ratePerSecond: 1500 },
        { id: "otelcol.exporter.otlphttp.mimir", ratePerSecond: 1200 },
      ],
      ["mimir"],
    );
    // Two samples 45 s apart (data-point time): the relay has a rate from the second one on.
    for (const at of [T - 90_000, T - 45_000]) {
      expect(await push(relay, web, at)).toEqual({ ok: true });
      expect(await push(relay, db, at)).toEqual({ ok: true });
    }
    ui = await launchBrowser([relay.url]);
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
    web?.link.close();
    db?.link.close();
    await relay?.stop();
  });

  it("asks for the operator secret and rejects a wrong one", async () => {
    await ui.page.goto(relay.url);
    await ui.page.getByLabel("Operator secret").fill("not-the-secret");
    await ui.page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => ui.page.getByRole("alert").textContent()).toBeTruthy();
    await ui.page.getByLabel("Operator secret").fill(relay.adminToken);
    await ui.page.getByRole("button", { name: "Sign in" }).click();
    await ui.page.getByRole("navigation", { name: "Main" }).waitFor();
  });

  it("lists both collectors with host, type and version", async () => {
    await ui.page.goto(`${relay.url}/#/collectors`);
    const rows = ui.page.locator("lm-collectors tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const text = (await rows.allTextContents()).join("\n");
    expect(text).toContain("web-01");
    expect(text).toContain("db-01");
    expect(text).toContain("alloy");
  });

  it("draws every edge on the canvas with its rate in human units", async () => {
    await ui.page.goto(`${relay.url}/#/topology`);
    const expected = [
      "web-01: otelcol.receiver.otlp.apps -> collector 20/s",
      "web-01: collector -> otelcol.exporter.otlphttp.mimir 20/s",
      "web-01: collector -> otelcol.exporter.otlphttp.backup 5/s",
      "db-01: otelcol.receiver.otlp.apps -> collector 1.5k/s",
      "db-01: collector -> otelcol.exporter.otlphttp.mimir 1.2k/s",
    ];
    await expect.poll(drawnLines, { timeout: 15_000 }).toEqual(expect.arrayContaining(expected));
    // The accessible edge list says the same as the canvas drew.
    await expect
      .poll(() => ui.page.locator("lm-graph .edges li").allTextContents())
      .toEqual(expect.arrayContaining(expected));
    // The largest edge is drawn at the widest step, a small one at the thinnest.
    const drawn = (await ui.page.evaluate(() => window.__linkmeshCanvas?.drawn() ?? [])) as (Drawn & {
      width: number;
    })[];
    expect(drawn.find((e) => e.label === "1.5k/s")?.width).toBe(5);
    expect(drawn.find((e) => e.label === "5/s")?.width).toBe(1);

    await mkdir(OUTPUT, { recursive: true });
    await ui.page.locator("lm-graph canvas").screenshot({ path: join(OUTPUT, "canvas.png") });
  });

  it("explains an edge on hover and narrows the canvas by search", async () => {
    const point = await ui.page.evaluate(() => {
      const hook = window.__linkmeshCanvas;
      const edge = hook?.layout()?.edges.find((e) => e.host === "db-01" && e.to === "collector");
      const canvas = document
        .querySelector("linkmesh-app")
        ?.shadowRoot?.querySelector("lm-topology")
        ?.shadowRoot?.querySelector("lm-graph")
        ?.shadowRoot?.querySelector("canvas");
      if (!hook || !edge || !canvas) return null;
      const view = hook.getView();
      const box = canvas.getBoundingClientRect();
      return { x: box.left + view.x + edge.labelAt.x * view.scale, y: box.top + view.y + edge.labelAt.y * view.scale };
    });
    expect(point).not.toBeNull();
    await ui.page.mouse.move(point?.x ?? 0, point?.y ?? 0);
    const tip = ui.page.locator("lm-graph [role=tooltip]");
    await expect.poll(() => tip.textContent()).toContain("otelcol.receiver.otlp.apps → collector");
    expect(await tip.textContent()).toContain("db-01 · 1.5k/s");

    await ui.page.getByLabel("Search host or component").fill("db-01");
    await expect
      .poll(drawnLines)
      .toEqual([
        "db-01: otelcol.receiver.otlp.apps -> collector 1.5k/s",
        "db-01: collector -> otelcol.exporter.otlphttp.mimir 1.2k/s",
      ]);
    await ui.page.getByLabel("Search host or component").fill("");
    await expect.poll(async () => (await drawnLines()).length).toBe(5);
  });

  it("updates the canvas live when a new push changes a rate (no reload)", async () => {
    await expect
      .poll(() => ui.page.locator("lm-topology .legend [role=status]").textContent(), { timeout: 10_000 })
      .toContain("live: live");
    web.sim.setComponents([
      { id: "otelcol.receiver.otlp.apps", ratePerSecond: 20 },
      { id: "otelcol.processor.batch.default", ratePerSecond: 20 },
      { id: "otelcol.exporter.otlphttp.mimir", ratePerSecond: 20 },
      // The backup counter now reads as if it had always run at 9/s: the next interval shows a new rate.
      { id: "otelcol.exporter.otlphttp.backup", ratePerSecond: 9 },
    ]);
    const started = Date.now();
    expect(await push(relay, web, T)).toEqual({ ok: true });
    await expect
      .poll(drawnLines, { timeout: 10_000, interval: 50 })
      .not.toContain("web-01: collector -> otelcol.exporter.otlphttp.backup 5/s");
    const latency = Date.now() - started;
    console.log(`push-to-pixel latency: ${latency} ms`);
    expect(latency).toBeLessThan(5_000);
  });

  it("shows an orphan on the collector's Events tab when its config drops a component that had throughput", async () => {
    await web.link.graph(alloyConfig(["mimir"]));
    await ui.page.goto(`${relay.url}/#/collectors/${web.collectorId}/events`);
    const orphan = ui.page.locator("lm-collector tr[data-type=component_naming_mismatch]");
    await expect
      .poll(() => orphan.allTextContents(), { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([expect.stringMatching(/orphan throughput[\s\S]*otelcol\.exporter\.otlphttp\.backup/)]),
      );
    // Newest first; the type filter narrows the list.
    const times = await ui.page
      .locator("lm-collector tbody tr time")
      .evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute("datetime") ?? "")));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await ui.page.getByLabel("Event type").selectOption("component_naming_mismatch");
    const types = await ui.page.locator("lm-collector tbody tr").evaluateAll((els) => els.map((e) => e.dataset.type));
    expect(new Set(types)).toEqual(new Set(["component_naming_mismatch"]));
  });

  it("deregisters a collector from its ... menu after confirmation; its next push is rejected", async () => {
    await ui.page.goto(`${relay.url}/#/collectors`);
    await ui.page.getByRole("button", { name: "Actions for db-01" }).click();
    await ui.page.getByRole("menuitem", { name: "Deregister…" }).click();
    await ui.page.getByRole("dialog").getByRole("button", { name: "Deregister", exact: true }).click();
    const rows = ui.page.locator("lm-collectors tbody tr");
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining("web-01")]);

    const rejected = await push(relay, db, Date.now());
    expect(rejected.ok).toBe(false);
    const raw = await fetch(`${relay.url}/v1/metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${db.collectorToken}`, "content-type": "application/x-protobuf" },
      body: new Uint8Array(),
    });
    expect(raw.status).toBe(401);
  });

  it("made no request outside the relay (fonts and scripts are bundled)", () => {
    expect(ui.external).toEqual([]);
  });
});

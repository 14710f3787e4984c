// A relay outage with an agent restart in the middle: nothing raised meanwhile is lost or duplicated.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { OutboxItem } from "../../common/protocol/index.js";
import { type RelayProcess, startRelay } from "../rig/index.js";
import { enrolledHost, events, type Host, startAgent, status, stopAgent, until } from "./agent-host.js";

const exporter = (n: number) => `otelcol.exporter.otlphttp.outage_${n}`;

async function raiseRetry(host: Host, n: number): Promise<void> {
  await host.alloy.log("info", "Exporting failed. Will retry the request after interval.", {
    component_path: "/",
    component_id: exporter(n),
    error: `failed to make an HTTP request: Post "https://backend-${n}/v1/metrics": connection refused`,
    interval: "5s",
  });
  await until(
    `retry ${n} classified`,
    async () => {
      const s = await status(host);
      return s.status?.journal.recent.some((l) => l.component === exporter(n)) ? true : undefined;
    },
    5_000,
  );
}

/** The ids of waiting outbox events about the outage exporters, read from the agent's outbox file. */
async function waitingEventIds(host: Host): Promise<Map<string, string>> {
  const text = await readFile(join(host.root, "var/lib/linkmesh/outbox/items.jsonl"), "utf8");
  const ids = new Map<string, string>();
  for (const line of text.split("\n").filter(Boolean)) {
    const item = JSON.parse(line) as OutboxItem;
    const component = item.report.kind === "event" ? item.report.event.detail.component : undefined;
    if (typeof component === "string" && component.includes("outage_")) ids.set(item.id, component);
  }
  return ids;
}

describe("a relay outage with an agent restart in between", () => {
  let relay: RelayProcess;
  let host: Host | null = null;
  afterAll(async () => {
    if (host) {
      await stopAgent(host);
      await host.alloy.close();
    }
    await relay.stop();
  });

  it("delivers every event raised meanwhile exactly once after the relay comes back", async () => {
    relay = await startRelay();
    const port = Number(new URL(relay.url).port);
    const h = await enrolledHost(relay);
    host = h;
    startAgent(h);
    await until("live", async () => ((await status(h)).code === 0 ? true : undefined), 15_000);

    await relay.stop();
    await until("link down", async () => ((await status(h)).status?.link.state !== "live" ? true : undefined), 10_000);
    await raiseRetry(h, 1);
    await raiseRetry(h, 2);

    await stopAgent(h);
    startAgent(h);
    await until(
      "agent back",
      async () => ((await status(h)).status?.journal.state === "following" ? true : undefined),
      10_000,
    );
    await raiseRetry(h, 3);
    await raiseRetry(h, 4);

    const raised = await waitingEventIds(h);
    expect([...raised.values()].sort()).toEqual([exporter(1), exporter(2), exporter(3), exporter(4)]);
    const waiting = (await status(h)).status?.outbox.depth ?? 0;
    expect(waiting).toBeGreaterThanOrEqual(4);

    relay = await startRelay({ dataDir: relay.dataDir, port });
    await until(
      "outbox drained",
      async () => {
        const s = await status(h);
        return s.code === 0 && s.status?.outbox.depth === 0 ? true : undefined;
      },
      20_000,
    );

    const delivered = (await events(relay, h.collectorId)).filter((e) => raised.has(e.id));
    expect(delivered.map((e) => e.id).sort()).toEqual([...raised.keys()].sort());
    const perComponent = new Map<string, number>();
    for (const e of await events(relay, h.collectorId)) {
      const c = e.detail.component;
      if (typeof c === "string" && c.includes("outage_")) perComponent.set(c, (perComponent.get(c) ?? 0) + 1);
    }
    expect([...perComponent.entries()].sort()).toEqual([
      [exporter(1), 1],
      [exporter(2), 1],
      [exporter(3), 1],
      [exporter(4), 1],
    ]);
  }, 120_000);
});

import { appendFile, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentReport, OutboxItem } from "../../common/protocol/index.js";
import { Outbox, victimIndex } from "./index.js";

const event = (message: string): AgentReport => ({
  kind: "event",
  event: { type: "export_failure", severity: "warning", message, detail: {} },
});
const telemetry: AgentReport = { kind: "telemetry", samples: [] };
const health: AgentReport = {
  kind: "health",
  health: {
    cpuUtilization: 0,
    memoryUsedBytes: 1,
    memoryTotalBytes: 2,
    uptimeSeconds: 3,
    diskUsedBytes: 4,
    diskTotalBytes: 5,
  },
};
const graph: AgentReport = {
  kind: "graph",
  graph: { components: [], edges: [] },
  configPath: "/etc/alloy/config.alloy",
  configSha256: "x",
};
const dir = () => mkdtemp(join(tmpdir(), "linkmesh-outbox-"));

describe("the durable outbox", () => {
  it("keeps unacked items across restarts, in order, with their seq and id", async () => {
    const d = await dir();
    const a = await Outbox.open(d);
    const first = await a.append(event("one"));
    const second = await a.append(event("two"));
    await a.close();
    const b = await Outbox.open(d);
    expect(b.pending(0).map((i) => [i.seq, i.id])).toEqual([
      [first.seq, first.id],
      [second.seq, second.id],
    ]);
    expect((await b.append(event("three"))).seq).toBe(3);
    await b.close();
  });

  it("forgets what the relay acked, also after a restart", async () => {
    const d = await dir();
    const a = await Outbox.open(d);
    for (const m of ["a", "b", "c"]) await a.append(event(m));
    await a.ack(2);
    expect(a.depth).toBe(1);
    await a.close();
    const b = await Outbox.open(d);
    expect(b.ackedSeq).toBe(2);
    expect(b.pending(0).map((i) => i.seq)).toEqual([3]);
    await b.ack(3);
    await b.close();
    const c = await Outbox.open(d);
    expect(c.depth).toBe(0);
    expect((await c.append(event("d"))).seq).toBe(4);
    await c.close();
  });

  it("survives a torn last line from a crash in the middle of an append", async () => {
    const d = await dir();
    const a = await Outbox.open(d);
    await a.append(event("kept"));
    await a.close();
    await appendFile(join(d, "items.jsonl"), '{"seq":2,"id":"half');
    const b = await Outbox.open(d);
    expect(b.pending(0).map((i) => (i.report.kind === "event" ? i.report.event.message : ""))).toEqual(["kept"]);
    await b.close();
  });

  it("when full, drops the oldest telemetry and health samples first and counts them", async () => {
    const d = await dir();
    const box = await Outbox.open(d, { maxItems: 4 });
    await box.append(event("e1"));
    await box.append(telemetry);
    await box.append(health);
    await box.append(graph);
    await box.append(event("e2")); // drops the telemetry sample
    await box.append(event("e3")); // drops the health sample
    expect(box.pending(0).map((i) => i.report.kind)).toEqual(["event", "graph", "event", "event"]);
    expect(box.dropped).toEqual({ telemetry: 1, health: 1, graph: 0, event: 0 });
    await box.close();
    const again = await Outbox.open(d, { maxItems: 4 });
    expect(again.dropped.telemetry).toBe(1);
    expect(again.depth).toBe(4);
    await again.close();
  });

  it("renumbers waiting items when the relay has seen seqs this outbox never issued", async () => {
    const d = await dir();
    const box = await Outbox.open(d);
    await box.append(event("after a lost state dir"));
    await box.rebase(41);
    expect(box.pending(41).map((i) => i.seq)).toEqual([42]);
    expect((await box.append(event("next"))).seq).toBe(43);
    await box.close();
    expect((await readFile(join(d, "items.jsonl"), "utf8")).split("\n").filter(Boolean)).toHaveLength(2);
  });
});

describe("which item goes first when the outbox is full", () => {
  const item = (kind: OutboxItem["report"]["kind"], seq: number): OutboxItem => ({
    seq,
    id: String(seq),
    timeMs: 0,
    report: { event: event("x"), telemetry, health, graph }[kind],
  });
  const cases: [string, OutboxItem["report"]["kind"][], number][] = [
    ["oldest telemetry", ["event", "health", "telemetry", "telemetry"], 2],
    ["health when no telemetry", ["event", "health", "graph"], 1],
    ["an older graph before the newest", ["graph", "event", "graph"], 0],
    ["even the newest graph before an event (a graph is re-read on every start)", ["event", "graph"], 1],
    ["oldest event when only events", ["event", "event"], 0],
  ];
  it.each(cases)("%s", (_name, kinds, expected) => {
    expect(victimIndex(kinds.map((k, i) => item(k, i + 1)))).toBe(expected);
  });
});

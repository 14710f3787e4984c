import { describe, expect, it, vi } from "vitest";
import { TopologyBroadcaster } from "../../relay/live/index.js";
import type { Topology } from "../../relay/topology/index.js";
import { AlloySimulator } from "../sim/alloy.js";
import { baseUrl, startTestRelay } from "./harness.js";

describe("live topology stream (SSE)", () => {
  it("sends the topology on connect and again, batched, after a push changes it", async () => {
    const t = await startTestRelay({ listen: true });
    const enrolled = await t.enroll("web-01");
    const url = baseUrl(t.relay);
    const unauthorized = await fetch(`${url}/api/v1/stream`);
    expect(unauthorized.status).toBe(401);

    const response = await fetch(`${url}/api/v1/stream?window=1m`, { headers: t.operator });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const frames: { collectors: { id: string; lastPushAt: string | null }[]; window: string }[] = [];
    let buffer = "";
    const readUntil = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (frames.length < count && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: topology\ndata: (.*)$/s.exec(block)?.[1];
          if (data) frames.push(JSON.parse(data) as (typeof frames)[number]);
          end = buffer.indexOf("\n\n");
        }
      }
    };
    await readUntil(1);
    expect(frames[0]?.window).toBe("1m");
    expect(frames[0]?.collectors[0]?.lastPushAt).toBeNull();

    const alloy = new AlloySimulator({
      hostname: "web-01",
      components: [{ id: "otelcol.exporter.otlphttp.default", ratePerSecond: 10 }],
    });
    const target = { url: `${url}/v1/metrics`, bearer: enrolled.collectorToken };
    await alloy.push(target, t.clock.now);
    await alloy.push(target, t.clock.now + 1);
    await readUntil(2);
    expect(frames[1]?.collectors[0]?.lastPushAt).not.toBeNull();
    await reader.cancel();
    await t.relay.close();
  });
});

describe("live update pacing", () => {
  it("sends the first change at once and holds later ones to one update per second", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      let builds = 0;
      const broadcaster = new TopologyBroadcaster(async () => {
        builds++;
        return { collectors: [] } as unknown as Topology;
      }, 1_000);
      const written: number[] = [];
      broadcaster.subscribe({ window: "30s", write: () => written.push(Date.now()), end: () => undefined });

      broadcaster.changed();
      await vi.advanceTimersByTimeAsync(60);
      expect(written).toEqual([1_000_050]); // push-to-pixel is not held back by the batch interval

      broadcaster.changed();
      broadcaster.changed();
      await vi.advanceTimersByTimeAsync(500);
      expect(written).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(600);
      expect(written).toEqual([1_000_050, 1_001_050]);
      expect(builds).toBe(2);
      broadcaster.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

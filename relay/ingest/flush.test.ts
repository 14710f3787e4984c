// The write-behind: everything a large fleet changed in one second reaches the store, in chunks.
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../store/index.js";
import { Fleet } from "./index.js";

describe("write-behind flush", () => {
  it("stores every row of a fleet larger than one chunk, with each collector's rate state", async () => {
    const store = new SqliteStore(":memory:");
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const fleet = await Fleet.open({ store, now: () => now, flushIntervalMs: 60_000 });
    const collectors = 30;
    const series = 100; // 3,000 rows: several 500-row chunks
    for (let c = 0; c < collectors; c++) {
      const { collector } = await store.enrollCollector({
        newId: `c${c}`,
        hostname: `h${c}`,
        type: "alloy",
        version: null,
        labels: {},
        now,
        credentials: [],
      });
      await fleet.ingest(
        collector,
        Array.from({ length: series }, (_, i) => ({
          resource: {},
          name: "otelcol_exporter_sent_metric_points_total",
          kind: "sum" as const,
          temporality: "cumulative" as const,
          monotonic: true,
          attributes: { component_id: `otelcol.exporter.otlphttp.e${i}`, component_path: "/" },
          startTimeMs: 0,
          timeMs: now - 1_000,
          value: 1_000 + i,
        })),
        now,
      );
    }
    await fleet.flush();
    const rows = await store.listThroughput();
    expect(rows).toHaveLength(collectors * series);
    expect(new Set(rows.map((r) => r.collectorId)).size).toBe(collectors);
    expect(await store.listRateStates()).toHaveLength(collectors);
    await fleet.close();
    await store.close();
  });
});

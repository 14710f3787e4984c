// "rate engine: series updates/s": the pure rate engine alone, as the relay uses it: one engine per collector
// (150 series each), 10k series in all, each push updating one collector's 150 series.

import { RateEngine, type RateInput } from "../relay/rates/index.js";
import { registerBench } from "./registry.js";

registerBench({
  name: "rate engine: series updates/s",
  async run() {
    const seriesCount = 10_000;
    const batch = 150;
    const engines = Array.from({ length: Math.ceil(seriesCount / batch) }, () => new RateEngine());
    const keys = Array.from(
      { length: seriesCount },
      (_, i) => `otelcol_exporter_sent_metric_points{"exporter"="otlp/${i}"}`,
    );
    const t0 = Date.UTC(2026, 0, 1);
    let updates = 0;
    const started = performance.now();
    const deadline = started + 3_000;
    for (let round = 0; performance.now() < deadline; round++) {
      const timeMs = t0 + round * 30_000;
      for (let offset = 0; offset < seriesCount; offset += batch) {
        const inputs: RateInput[] = [];
        for (let i = offset; i < Math.min(seriesCount, offset + batch); i++) {
          inputs.push({ seriesKey: keys[i] as string, value: round * 30 * (i + 1), timeMs, temporality: "cumulative" });
        }
        (engines[offset / batch] as RateEngine).update(inputs, timeMs);
        updates += inputs.length;
      }
    }
    const perSecond = Math.round(updates / ((performance.now() - started) / 1000));
    return {
      numbers: { "series updates/s": perSecond, series: seriesCount, "points per update": batch },
      target: ">= 100k series updates/s (a 2k-collector fleet needs ~10k/s)",
      pass: perSecond >= 100_000,
    };
  },
});

// One scrape of the collector's /metrics -> what LinkMesh needs from it: the flow counters for the relay,
// which components emitted anything, and the LinkMesh exporter's sent counter. Pure.

import type { CollectorType } from "../../common/model/index.js";
import { parsePrometheusText } from "../../common/prom-text/index.js";
import type { AgentReport } from "../../common/protocol/index.js";
import { classifySeries } from "../../common/telemetry/index.js";

export type TelemetrySample = Extract<AgentReport, { kind: "telemetry" }>["samples"][number];

/** The relay accepts at most this many samples per telemetry report. */
export const MAX_SAMPLES = 5000;
const ROOT_PATH = "/";
// Alloy adds these labels to every metric a component registers (alloy.md §2).
const ALLOY_COMPONENT_ID = "component_id";
const ALLOY_COMPONENT_PATH = "component_path";

export interface ScrapeSummary {
  timeMs: number;
  /** Flow counters (accepted / sent / failed ... per component), for the relay's "via agent" throughput. */
  samples: TelemetrySample[];
  /** Components of the root config that emitted at least one series (Alloy: `component_path="/"`). */
  seen: string[];
  /** Sum of the LinkMesh exporter's sent metric points, or null when it has no such series. */
  exporterSent: number | null;
  parseErrors: number;
}

export function summarizeScrape(
  text: string,
  options: { collectorType: CollectorType; exporterId: string | null; timeMs: number },
): ScrapeSummary {
  const parsed = parsePrometheusText(text);
  const samples: TelemetrySample[] = [];
  const seen = new Set<string>();
  let exporterSent: number | null = null;
  for (const sample of parsed.samples) {
    if (options.collectorType === "alloy") {
      const id = sample.labels[ALLOY_COMPONENT_ID];
      const path = sample.labels[ALLOY_COMPONENT_PATH] ?? ROOT_PATH;
      if (id !== undefined && id !== "" && path === ROOT_PATH) seen.add(id);
    }
    const series = classifySeries(sample.name, sample.labels, options.collectorType);
    if (series === null || !Number.isFinite(sample.value)) continue;
    if (options.collectorType !== "alloy" && series.componentPath === ROOT_PATH) seen.add(series.componentId);
    if (
      series.componentId === options.exporterId &&
      series.componentPath === ROOT_PATH &&
      series.direction === "sent" &&
      series.signal === "metrics"
    ) {
      exporterSent = (exporterSent ?? 0) + sample.value;
    }
    if (samples.length < MAX_SAMPLES) {
      samples.push({ name: sample.name, labels: sample.labels, value: sample.value, timeMs: options.timeMs });
    }
  }
  return { timeMs: options.timeMs, samples, seen: [...seen].sort(), exporterSent, parseErrors: parsed.errors.length };
}

export type ExportActivity = "exporting" | "stalled" | "no_exporter" | "unknown";

/**
 * Exports are proven by the LinkMesh exporter's sent counter going up between two scrapes (a successful
 * export logs nothing, alloy.md §0.1). A drop is a restart, not a stall.
 */
export function exportActivity(previous: ScrapeSummary | null, current: ScrapeSummary): ExportActivity {
  if (current.exporterSent === null) return "no_exporter";
  if (previous === null || previous.exporterSent === null) return "unknown";
  if (current.exporterSent > previous.exporterSent) return "exporting";
  if (current.exporterSent < previous.exporterSent) return "unknown";
  return "stalled";
}

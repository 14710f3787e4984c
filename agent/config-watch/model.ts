// The collector's config file -> the component graph LinkMesh reports, and what changed between two versions. Pure.

import { createHash } from "node:crypto";
import { alloyComponentGraph } from "../../common/alloy-graph/index.js";
import { formatSyntaxError, parseAlloy } from "../../common/alloy-syntax/index.js";
import type { CollectorType, ComponentGraph } from "../../common/model/index.js";
import { parseOtelcolConfig } from "../../common/otelcol-config/index.js";

export type ConfigReading =
  | { ok: true; sha256: string; graph: ComponentGraph }
  | { ok: false; sha256: string; error: string };

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Parses the collector config into its component graph; a config the collector would refuse gives the first error. */
export function readCollectorConfig(collectorType: CollectorType, text: string, filename: string): ConfigReading {
  const sha256 = sha256Hex(text);
  if (collectorType === "alloy") {
    const parsed = parseAlloy(text, filename);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      return { ok: false, sha256, error: first ? formatSyntaxError(first) : `${filename}: syntax error` };
    }
    return { ok: true, sha256, graph: alloyComponentGraph(parsed.file) };
  }
  const parsed = parseOtelcolConfig(text);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    const where = first?.line !== undefined ? `${filename}:${first.line}:${first.column ?? 1}` : filename;
    return { ok: false, sha256, error: `${where}: ${first?.message ?? "invalid config"}` };
  }
  return { ok: true, sha256, graph: parsed.graph };
}

export interface GraphDiff {
  addedComponents: string[];
  removedComponents: string[];
  addedEdges: string[];
  removedEdges: string[];
}

const edgeKey = (e: { from: string; to: string; signal?: string }) =>
  `${e.from} -> ${e.to}${e.signal ? ` [${e.signal}]` : ""}`;

export function diffGraphs(before: ComponentGraph, after: ComponentGraph): GraphDiff {
  const a = new Set(before.components.map((c) => c.id));
  const b = new Set(after.components.map((c) => c.id));
  const ea = new Set(before.edges.map(edgeKey));
  const eb = new Set(after.edges.map(edgeKey));
  return {
    addedComponents: [...b].filter((x) => !a.has(x)).sort(),
    removedComponents: [...a].filter((x) => !b.has(x)).sort(),
    addedEdges: [...eb].filter((x) => !ea.has(x)).sort(),
    removedEdges: [...ea].filter((x) => !eb.has(x)).sort(),
  };
}

export function isEmptyDiff(d: GraphDiff): boolean {
  return d.addedComponents.length + d.removedComponents.length + d.addedEdges.length + d.removedEdges.length === 0;
}

/** One sentence for the Events tab: `added prometheus.scrape.x; removed loki.write.y`. */
export function describeDiff(d: GraphDiff): string {
  const parts: string[] = [];
  if (d.addedComponents.length > 0) parts.push(`added ${d.addedComponents.join(", ")}`);
  if (d.removedComponents.length > 0) parts.push(`removed ${d.removedComponents.join(", ")}`);
  const edges = d.addedEdges.length + d.removedEdges.length;
  if (parts.length === 0 && edges > 0) parts.push(`${edges} connection(s) changed`);
  return parts.length === 0 ? "no component changes" : parts.join("; ");
}

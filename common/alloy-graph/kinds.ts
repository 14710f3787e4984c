// What each Alloy component type is in the flow (source / processor / destination), as one ordered table.
// Also which block names are config or service blocks rather than components, and which carry no telemetry.

import type { ComponentKind } from "../model/index.js";

/**
 * Ordered rules, first match wins; `*` matches one or more name fragments. Anything unmatched is a processor.
 * Sources bring data in (receivers, scrapers, exporters that expose targets, discovery); destinations send it out.
 */
export const ALLOY_KIND_RULES: readonly (readonly [pattern: string, kind: ComponentKind])[] = [
  ["prometheus.exporter.*", "source"],
  ["prometheus.scrape", "source"],
  ["prometheus.receive_http", "source"],
  ["prometheus.operator.*", "source"],
  ["discovery.relabel", "processor"],
  ["discovery.*", "source"],
  ["loki.source.*", "source"],
  ["pyroscope.scrape", "source"],
  ["pyroscope.ebpf", "source"],
  ["pyroscope.java", "source"],
  ["pyroscope.receive_http", "source"],
  ["faro.receiver", "source"],
  ["beyla.ebpf", "source"],
  ["*.receiver.*", "source"],
  ["prometheus.remote_write", "destination"],
  ["prometheus.write.queue", "destination"],
  ["loki.write", "destination"],
  ["loki.echo", "destination"],
  ["pyroscope.write", "destination"],
  ["*.exporter.*", "destination"],
];

/** Component types whose references are configuration (files, secrets, auth), not telemetry flow. */
export const NON_TELEMETRY_SOURCES: readonly string[] = [
  "local.file",
  "otelcol.auth.*",
  "otelcol.storage.*",
  "remote.*",
];

/** Top-level block names that are config blocks (node_config.go) or services, never components. */
export const CONFIG_BLOCKS: ReadonlySet<string> = new Set([
  "argument",
  "export",
  "logging",
  "tracing",
  "foreach",
  "declare",
]);
export const CONFIG_BLOCK_PREFIXES: readonly string[] = ["import."];
export const SERVICE_BLOCKS: ReadonlySet<string> = new Set(["http", "remotecfg", "livedebugging", "labelstore"]);

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split(".")
    .map((part) => (part === "*" ? "[^.]+(?:\\.[^.]+)*" : part.replace(/[^A-Za-z0-9_]/g, "\\$&")))
    .join("\\.");
  return new RegExp(`^${body}$`);
}

const KIND_MATCHERS = ALLOY_KIND_RULES.map(([glob, kind]) => [globToRegExp(glob), kind] as const);
const NON_TELEMETRY_MATCHERS = NON_TELEMETRY_SOURCES.map(globToRegExp);

/** Kind of an Alloy component type (block name such as `otelcol.exporter.otlphttp`). */
export function classifyAlloyComponent(type: string): ComponentKind {
  for (const [rx, kind] of KIND_MATCHERS) if (rx.test(type)) return kind;
  return "processor";
}

/** True when references to this component type carry config (a token, a file), not telemetry. */
export function isNonTelemetrySource(type: string): boolean {
  return NON_TELEMETRY_MATCHERS.some((rx) => rx.test(type));
}

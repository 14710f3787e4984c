// The LinkMesh-managed section of an Alloy config: self-telemetry scraped and pushed to the relay over OTLP/HTTP.
// Pure text generation through the alloy-syntax builders, so the section is always valid and `alloy fmt`-identical.

import {
  type AlloyItem,
  alloyRef,
  attr,
  blankLine,
  block,
  comment,
  renderAlloy,
} from "../../common/alloy-syntax/index.js";

/** First line of every config LinkMesh manages. */
export const BOOTSTRAP_MARKER = "// linkmesh-bootstrap";
/** Last line of the managed section; the operator's configuration follows it byte for byte. */
export const BOOTSTRAP_END_MARKER = "// linkmesh-bootstrap end: the configuration below is yours, kept verbatim";

export const SCRAPE_INTERVAL = "30s";
export const SCRAPE_TIMEOUT = "10s";

/** The block names the managed section declares, each with the label it gets (the token file has its own). */
export const SELF_TELEMETRY_BLOCKS = [
  "prometheus.exporter.self",
  "prometheus.scrape",
  "otelcol.receiver.prometheus",
  "otelcol.exporter.otlphttp",
] as const;
export const SUPPORT_BLOCKS = ["local.file", "otelcol.auth.bearer"] as const;

export interface BootstrapSettings {
  /** The relay's OTLP metrics URL from enrollment (`https://relay/v1/metrics`). */
  otlpEndpoint: string;
  /** The collector token file as Alloy sees it on the host (no `--root` prefix). */
  tokenFile: string;
  /** Whether the managed section carries its own `logging` block (not when the operator has one). */
  withLogging: boolean;
}

/** Label of each managed block; the token's `local.file` gets `<label>_token`. */
export function bootstrapLabels(
  label: string,
): Record<(typeof SUPPORT_BLOCKS)[number] | (typeof SELF_TELEMETRY_BLOCKS)[number], string> {
  return {
    "prometheus.exporter.self": label,
    "prometheus.scrape": label,
    "otelcol.receiver.prometheus": label,
    "otelcol.exporter.otlphttp": label,
    "local.file": `${label}_token`,
    "otelcol.auth.bearer": label,
  };
}

/** The id self-telemetry uses for the LinkMesh exporter (its sent counter proves exports work). */
export function linkmeshExporterId(label: string): string {
  return `otelcol.exporter.otlphttp.${label}`;
}

/** `https://relay/v1/metrics` -> `https://relay` (client.endpoint is required; metrics_endpoint wins for metrics). */
function baseEndpoint(otlpEndpoint: string): string {
  return otlpEndpoint.replace(/\/v1\/metrics\/?$/, "");
}

/** The managed section, ending with the end marker line and a newline. */
export function renderManagedSection(settings: BootstrapSettings, label: string): string {
  const l = bootstrapLabels(label);
  const items: AlloyItem[] = [
    comment(BOOTSTRAP_MARKER.slice(3)),
    comment("Managed by linkmesh-agent: reports this collector's own telemetry to LinkMesh. Edit below the end line."),
    blankLine,
  ];
  if (settings.withLogging) {
    // Export retries are logged at info; Alloy's packaged default (warn) would hide them.
    items.push(block("logging", "", [attr("level", "info"), attr("format", "logfmt")]));
  }
  items.push(
    block("prometheus.exporter.self", l["prometheus.exporter.self"]),
    block("prometheus.scrape", l["prometheus.scrape"], [
      attr("targets", alloyRef("prometheus.exporter.self", l["prometheus.exporter.self"], "targets")),
      attr("forward_to", [alloyRef("otelcol.receiver.prometheus", l["otelcol.receiver.prometheus"], "receiver")]),
      attr("scrape_interval", SCRAPE_INTERVAL),
      attr("scrape_timeout", SCRAPE_TIMEOUT),
    ]),
    block("otelcol.receiver.prometheus", l["otelcol.receiver.prometheus"], [
      block("output", "", [
        attr("metrics", [alloyRef("otelcol.exporter.otlphttp", l["otelcol.exporter.otlphttp"], "input")]),
      ]),
    ]),
    block("local.file", l["local.file"], [attr("filename", settings.tokenFile), attr("is_secret", true)]),
    block("otelcol.auth.bearer", l["otelcol.auth.bearer"], [
      attr("token", alloyRef("local.file", l["local.file"], "content")),
    ]),
    block("otelcol.exporter.otlphttp", l["otelcol.exporter.otlphttp"], [
      attr("metrics_endpoint", settings.otlpEndpoint),
      attr("encoding", "proto"),
      block("client", "", [
        attr("endpoint", baseEndpoint(settings.otlpEndpoint)),
        attr("auth", alloyRef("otelcol.auth.bearer", l["otelcol.auth.bearer"], "handler")),
        attr("compression", "gzip"),
      ]),
    ]),
    blankLine,
    comment(BOOTSTRAP_END_MARKER.slice(3)),
  );
  return renderAlloy(items);
}

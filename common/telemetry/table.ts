// The one table of self-telemetry metrics LinkMesh reads. Every metric name literal lives here and only here.
// Names are written as a collector most often exposes them; lookups go through `normalizeMetricName`.

import type { Signal } from "../model/index.js";

/** How items move through a component, as its counters describe it. */
export type FlowDirection = "accepted" | "refused" | "sent" | "send_failed" | "in" | "out";

/** Where the component's identity comes from on an otelcol series (Alloy always uses `component_id`). */
export type IdentitySource =
  /** otelcol: the `receiver` / `processor` / `exporter` attribute, or `otelcol.component.id`. */
  | "receiver"
  | "processor"
  | "exporter"
  /** otelcol: only `otelcol.component.id` (+ `otelcol.component.kind` = connector). */
  | "connector"
  /** The metric exists only in Alloy; otelcol series of that name are ignored. */
  | "alloy_only";

export interface FlowMetric {
  kind: "flow";
  name: string;
  direction: FlowDirection;
  /** Fixed by the name, or read from the `otel.signal`-style attributes. */
  signal: Signal | "from_attributes";
  identity: IdentitySource;
  /**
   * For counters with an `otelcol.component.outcome` attribute: the direction of non-`success` points.
   * Absent: non-success points are ignored.
   */
  failureDirection?: FlowDirection;
}

export type HostMetricKind =
  | "cpu_utilization"
  | "memory_usage_bytes"
  | "memory_utilization"
  | "uptime_seconds"
  | "process_start_time_seconds"
  | "process_uptime_seconds"
  | "process_rss_bytes"
  | "process_cpu_seconds";

/** Unit suffixes an older or explicitly configured Prometheus reader appends (otelcol-opamp.md §0 item 1). */
export type UnitSuffix = "_bytes" | "_seconds" | "_ratio";

export interface HostMetric {
  kind: "host";
  name: string;
  host: HostMetricKind;
  unitSuffix?: UnitSuffix;
}

export type InfoMetricKind =
  | "graph_connection"
  | "build_info"
  | "config_hash"
  | "config_last_load_successful"
  | "target_info";

export interface InfoMetric {
  kind: "info";
  name: string;
  info: InfoMetricKind;
}

export type TelemetryMetric = FlowMetric | HostMetric | InfoMetric;

function flow(
  name: string,
  identity: IdentitySource,
  direction: FlowDirection,
  signal: Signal | "from_attributes",
  failureDirection?: FlowDirection,
): FlowMetric {
  const metric: FlowMetric = { kind: "flow", name, direction, signal, identity };
  if (failureDirection !== undefined) metric.failureDirection = failureDirection;
  return metric;
}

function host(name: string, kind: HostMetricKind, unitSuffix?: UnitSuffix): HostMetric {
  return unitSuffix === undefined ? { kind: "host", name, host: kind } : { kind: "host", name, host: kind, unitSuffix };
}

function info(name: string, kind: InfoMetricKind): InfoMetric {
  return { kind: "info", name, info: kind };
}

export const TELEMETRY_METRICS: readonly TelemetryMetric[] = [
  // otelcol receiverhelper / exporterhelper / processorhelper (otelcol-opamp.md §4, alloy.md §2).
  // Alloy wraps the same components, so these also appear there, keyed by `component_id`.
  flow("otelcol_receiver_accepted_metric_points", "receiver", "accepted", "metrics"),
  flow("otelcol_receiver_accepted_spans", "receiver", "accepted", "traces"),
  flow("otelcol_receiver_accepted_log_records", "receiver", "accepted", "logs"),
  flow("otelcol_receiver_accepted_profile_samples", "receiver", "accepted", "profiles"),
  flow("otelcol_receiver_refused_metric_points", "receiver", "refused", "metrics"),
  flow("otelcol_receiver_refused_spans", "receiver", "refused", "traces"),
  flow("otelcol_receiver_refused_log_records", "receiver", "refused", "logs"),
  flow("otelcol_receiver_refused_profile_samples", "receiver", "refused", "profiles"),
  // Behind the alpha gate `receiverhelper.newReceiverMetrics`; with the gate off these errors count as refused.
  flow("otelcol_receiver_failed_metric_points", "receiver", "refused", "metrics"),
  flow("otelcol_receiver_failed_spans", "receiver", "refused", "traces"),
  flow("otelcol_receiver_failed_log_records", "receiver", "refused", "logs"),
  flow("otelcol_receiver_failed_profile_samples", "receiver", "refused", "profiles"),
  flow("otelcol_exporter_sent_metric_points", "exporter", "sent", "metrics"),
  flow("otelcol_exporter_sent_spans", "exporter", "sent", "traces"),
  flow("otelcol_exporter_sent_log_records", "exporter", "sent", "logs"),
  flow("otelcol_exporter_sent_profile_samples", "exporter", "sent", "profiles"),
  // Items in failed attempts: each retry counts again.
  flow("otelcol_exporter_send_failed_metric_points", "exporter", "send_failed", "metrics"),
  flow("otelcol_exporter_send_failed_spans", "exporter", "send_failed", "traces"),
  flow("otelcol_exporter_send_failed_log_records", "exporter", "send_failed", "logs"),
  flow("otelcol_exporter_send_failed_profile_samples", "exporter", "send_failed", "profiles"),
  // Queue full: items never reached the sender, so they do not overlap with send_failed.
  flow("otelcol_exporter_enqueue_failed_metric_points", "exporter", "send_failed", "metrics"),
  flow("otelcol_exporter_enqueue_failed_spans", "exporter", "send_failed", "traces"),
  flow("otelcol_exporter_enqueue_failed_log_records", "exporter", "send_failed", "logs"),
  flow("otelcol_exporter_enqueue_failed_profile_samples", "exporter", "send_failed", "profiles"),
  flow("otelcol_processor_incoming_items", "processor", "in", "from_attributes"),
  flow("otelcol_processor_outgoing_items", "processor", "out", "from_attributes"),
  // Pipeline telemetry (development). Only connectors: receivers, processors and exporters already have the
  // counters above, and reading both would double-count. Identity arrives as scope attributes (gate
  // `telemetry.newPipelineTelemetry`); callers merge scope attributes into the point's attributes.
  flow("otelcol.connector.consumed.items", "connector", "in", "from_attributes"),
  flow("otelcol.connector.produced.items", "connector", "out", "from_attributes"),

  // Alloy-native components (alloy.md §2), keyed by `component_id` + `component_path`.
  flow("prometheus_forwarded_samples_total", "alloy_only", "out", "metrics"),
  flow("prometheus_relabel_metrics_processed", "alloy_only", "in", "metrics"),
  flow("prometheus_relabel_metrics_written", "alloy_only", "out", "metrics"),
  flow("prometheus_remote_write_wal_samples_appended_total", "alloy_only", "in", "metrics"),
  flow("prometheus_remote_storage_samples_total", "alloy_only", "sent", "metrics"),
  flow("prometheus_remote_storage_samples_failed_total", "alloy_only", "send_failed", "metrics"),
  flow("loki_source_file_read_lines_total", "alloy_only", "accepted", "logs"),
  flow("loki_source_journal_target_lines_total", "alloy_only", "accepted", "logs"),
  flow("loki_relabel_entries_processed", "alloy_only", "in", "logs"),
  flow("loki_relabel_entries_written", "alloy_only", "out", "logs"),
  flow("loki_write_sent_entries_total", "alloy_only", "sent", "logs"),
  flow("loki_write_dropped_entries_total", "alloy_only", "send_failed", "logs"),

  // Host (hostmetrics receiver, OTLP names) and the collector's own process.
  host("system.cpu.utilization", "cpu_utilization", "_ratio"),
  host("system.memory.usage", "memory_usage_bytes", "_bytes"),
  host("system.memory.utilization", "memory_utilization", "_ratio"),
  host("system.uptime", "uptime_seconds", "_seconds"),
  host("alloy_resources_process_start_time_seconds", "process_start_time_seconds"),
  host("alloy_resources_process_resident_memory_bytes", "process_rss_bytes"),
  host("alloy_resources_process_cpu_seconds_total", "process_cpu_seconds"),
  host("otelcol_process_uptime", "process_uptime_seconds", "_seconds"),
  host("otelcol_process_memory_rss", "process_rss_bytes", "_bytes"),
  host("otelcol_process_cpu_seconds", "process_cpu_seconds"),

  // Collector facts that are not throughput.
  info("alloy_component_graph_connection", "graph_connection"),
  info("alloy_build_info", "build_info"),
  info("alloy_config_hash", "config_hash"),
  info("alloy_config_last_load_successful", "config_last_load_successful"),
  info("target_info", "target_info"),
];

/**
 * Attribute keys, in every spelling seen: OTLP keeps dots, Prometheus turns them into underscores.
 * Listed in lookup order.
 */
export const ATTRIBUTE_KEYS = {
  alloyComponentId: ["component_id"],
  alloyComponentPath: ["component_path"],
  otelComponentId: ["otelcol.component.id", "otelcol_component_id"],
  otelComponentKind: ["otelcol.component.kind", "otelcol_component_kind"],
  outcome: ["otelcol.component.outcome", "otelcol_component_outcome"],
  signal: ["otel.signal", "otel_signal", "otelcol.signal", "otelcol_signal", "data_type"],
  /** CPU mode / memory state: hostmetrics `state`, newer semconv `cpu.mode` / `system.memory.state`. */
  state: ["state", "cpu.mode", "cpu_mode", "system.memory.state", "system_memory_state"],
  cpu: ["cpu", "cpu.logical_number", "cpu_logical_number"],
} as const satisfies Record<string, readonly string[]>;

/** Older spellings of otelcol component types that newer collectors renamed (otelcol-opamp.md §0 item 8). */
export const COMPONENT_TYPE_ALIASES: ReadonlyMap<string, string> = new Map([
  ["otlp_http", "otlphttp"],
  ["otlp_grpc", "otlp"],
]);

/**
 * Prefix-less names some otelcol versions emitted: a name starting with one of these gets `otelcol_` prepended.
 * `process_` is deliberately absent: the Go client's `process_*` metrics would collide with otelcol's.
 */
export const OTELCOL_PREFIX = "otelcol_";
export const PREFIXLESS_OTELCOL_FAMILIES: readonly string[] = ["receiver_", "exporter_", "processor_", "scraper_"];

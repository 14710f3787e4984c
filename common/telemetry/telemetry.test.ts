import { describe, expect, it } from "vitest";
import type { CollectorType } from "../model/index.js";
import {
  type Attributes,
  canonicalComponentId,
  classifySeries,
  hostMetricOf,
  infoMetricOf,
  normalizeMetricName,
  processStartMsOf,
  type SeriesClass,
  seriesKeyOf,
} from "./index.js";

describe("normalizeMetricName makes every collector version's spelling compare equal", () => {
  const cases: [string, string][] = [
    ["otelcol_exporter_sent_metric_points", "otelcol_exporter_sent_metric_points"],
    ["otelcol_exporter_sent_metric_points_total", "otelcol_exporter_sent_metric_points"],
    ["otelcol.exporter.sent.metric_points", "otelcol_exporter_sent_metric_points"],
    ["exporter_sent_metric_points", "otelcol_exporter_sent_metric_points"],
    ["receiver_accepted_spans_total", "otelcol_receiver_accepted_spans"],
    ["otelcol_process_memory_rss_bytes", "otelcol_process_memory_rss"],
    ["otelcol_process_uptime_seconds_total", "otelcol_process_uptime"],
    ["otelcol_process_uptime", "otelcol_process_uptime"],
    // `_seconds` is part of the OTLP name here, so it stays.
    ["otelcol_process_cpu_seconds_total", "otelcol_process_cpu_seconds"],
    ["otelcol_process_runtime_heap_alloc_bytes", "otelcol_process_runtime_heap_alloc_bytes"],
    ["system.cpu.utilization", "system_cpu_utilization"],
    ["system_cpu_utilization_ratio", "system_cpu_utilization"],
    ["system_memory_usage_bytes", "system_memory_usage"],
    ["otelcol.connector.consumed.items", "otelcol_connector_consumed_items"],
    ["prometheus_forwarded_samples_total", "prometheus_forwarded_samples"],
    // Unit stripping only applies to names in the table.
    ["go_memstats_alloc_bytes", "go_memstats_alloc_bytes"],
    ["process_cpu_seconds_total", "process_cpu_seconds"],
  ];
  it.each(cases)("%s -> %s", (input, expected) => {
    expect(normalizeMetricName(input)).toBe(expected);
  });
});

describe("canonicalComponentId maps renamed otelcol types to one spelling", () => {
  const cases: [string, string][] = [
    ["otlp_http/relay", "otlphttp/relay"],
    ["otlphttp/relay", "otlphttp/relay"],
    ["otlp_grpc/backend", "otlp/backend"],
    ["otlp_grpc", "otlp"],
    ["otlp", "otlp"],
    ["otlp_http/otelcol.exporter.otlphttp.a/b", "otlphttp/otelcol.exporter.otlphttp.a/b"],
    ["filelog/platformlogs", "filelog/platformlogs"],
    ["constructor/x", "constructor/x"],
  ];
  it.each(cases)("%s -> %s", (input, expected) => {
    expect(canonicalComponentId(input)).toBe(expected);
  });
});

describe("classifySeries", () => {
  const cases: { what: string; name: string; attrs: Attributes; type: CollectorType; want: SeriesClass | null }[] = [
    {
      what: "otelcol exporter sent, Prometheus spelling without _total",
      name: "otelcol_exporter_sent_metric_points",
      attrs: { exporter: "elasticsearch", service_name: "x" },
      type: "otelcol-contrib",
      want: { componentId: "elasticsearch", componentPath: "/", signal: "metrics", direction: "sent" },
    },
    {
      what: "otelcol renamed exporter type compares equal to the old one",
      name: "otelcol_exporter_send_failed_spans_total",
      attrs: { exporter: "otlp_http/relay" },
      type: "otelcol-contrib",
      want: { componentId: "otlphttp/relay", componentPath: "/", signal: "traces", direction: "send_failed" },
    },
    {
      what: "otelcol gRPC exporter renamed to otlp_grpc",
      name: "otelcol_exporter_sent_log_records",
      attrs: { exporter: "otlp_grpc/backend" },
      type: "otelcol-contrib",
      want: { componentId: "otlp/backend", componentPath: "/", signal: "logs", direction: "sent" },
    },
    {
      what: "otelcol enqueue failures count as send_failed",
      name: "otelcol_exporter_enqueue_failed_metric_points",
      attrs: { exporter: "otlp" },
      type: "otelcol-contrib",
      want: { componentId: "otlp", componentPath: "/", signal: "metrics", direction: "send_failed" },
    },
    {
      what: "otelcol receiver accepted, OTLP dotted name",
      name: "otelcol.receiver.accepted.log_records",
      attrs: { receiver: "filelog/platformlogs", transport: "" },
      type: "otelcol-contrib",
      want: { componentId: "filelog/platformlogs", componentPath: "/", signal: "logs", direction: "accepted" },
    },
    {
      what: "otelcol receiver refused",
      name: "otelcol_receiver_refused_metric_points",
      attrs: { receiver: "hostmetrics/system" },
      type: "otelcol-contrib",
      want: { componentId: "hostmetrics/system", componentPath: "/", signal: "metrics", direction: "refused" },
    },
    {
      what: "otelcol processor incoming, OTLP attribute spelling",
      name: "otelcol_processor_incoming_items",
      attrs: { processor: "batch", "otel.signal": "traces" },
      type: "otelcol-contrib",
      want: { componentId: "batch", componentPath: "/", signal: "traces", direction: "in" },
    },
    {
      what: "otelcol processor outgoing, Prometheus attribute spelling",
      name: "otelcol_processor_outgoing_items_total",
      attrs: { processor: "memory_limiter", otel_signal: "logs" },
      type: "otelcol-contrib",
      want: { componentId: "memory_limiter", componentPath: "/", signal: "logs", direction: "out" },
    },
    {
      what: "otelcol processor without a signal attribute is ignored",
      name: "otelcol_processor_incoming_items",
      attrs: { processor: "batch" },
      type: "otelcol-contrib",
      want: null,
    },
    {
      what: "otelcol identity from otelcol.component.id when the old label is missing",
      name: "otelcol_exporter_sent_spans",
      attrs: { "otelcol.component.id": "otlp_http/relay", "otelcol.component.kind": "exporter" },
      type: "otelcol-contrib",
      want: { componentId: "otlphttp/relay", componentPath: "/", signal: "traces", direction: "sent" },
    },
    {
      what: "otelcol component kind that contradicts the metric is ignored",
      name: "otelcol_exporter_sent_spans",
      attrs: { "otelcol.component.id": "otlp", "otelcol.component.kind": "receiver" },
      type: "otelcol-contrib",
      want: null,
    },
    {
      what: "otelcol connector pipeline telemetry (identity in scope attributes merged by the caller)",
      name: "otelcol.connector.produced.items",
      attrs: {
        "otelcol.component.id": "count",
        "otelcol.component.kind": "connector",
        "otelcol.signal": "metrics",
        "otelcol.component.outcome": "success",
      },
      type: "otelcol-contrib",
      want: { componentId: "count", componentPath: "/", signal: "metrics", direction: "out" },
    },
    {
      what: "otelcol connector items that failed are ignored",
      name: "otelcol.connector.consumed.items",
      attrs: {
        "otelcol.component.id": "count",
        "otelcol.component.kind": "connector",
        "otelcol.signal": "logs",
        "otelcol.component.outcome": "failure",
      },
      type: "otelcol-contrib",
      want: null,
    },
    {
      what: "otelcol series without a component label is ignored",
      name: "otelcol_exporter_sent_spans",
      attrs: { service_name: "otelcol" },
      type: "otelcol-contrib",
      want: null,
    },
    {
      what: "Alloy-only metric on an otelcol is ignored",
      name: "prometheus_forwarded_samples_total",
      attrs: { component_id: "prometheus.scrape.x" },
      type: "otelcol-contrib",
      want: null,
    },
    {
      what: "Alloy OTel exporter keyed on component_id, not on the versioned exporter label",
      name: "otelcol_exporter_sent_metric_points_total",
      attrs: {
        component_id: "otelcol.exporter.otlphttp.linkmesh",
        component_path: "/",
        exporter: "otlp_http/otelcol.exporter.otlphttp.linkmesh",
      },
      type: "alloy",
      want: {
        componentId: "otelcol.exporter.otlphttp.linkmesh",
        componentPath: "/",
        signal: "metrics",
        direction: "sent",
      },
    },
    {
      what: "Alloy remotecfg component keeps its module path",
      name: "otelcol_receiver_accepted_metric_points_total",
      attrs: { component_id: "otelcol.receiver.prometheus.x", component_path: "/remotecfg" },
      type: "alloy",
      want: {
        componentId: "otelcol.receiver.prometheus.x",
        componentPath: "/remotecfg",
        signal: "metrics",
        direction: "accepted",
      },
    },
    {
      what: "Alloy processor signal from otel_signal",
      name: "otelcol_processor_outgoing_items_total",
      attrs: { component_id: "otelcol.processor.batch.default", component_path: "/", otel_signal: "logs" },
      type: "alloy",
      want: { componentId: "otelcol.processor.batch.default", componentPath: "/", signal: "logs", direction: "out" },
    },
    {
      what: "Alloy scrape forwarded samples",
      name: "prometheus_forwarded_samples_total",
      attrs: { component_id: "prometheus.scrape.cadvisor", component_path: "/" },
      type: "alloy",
      want: { componentId: "prometheus.scrape.cadvisor", componentPath: "/", signal: "metrics", direction: "out" },
    },
    {
      what: "Alloy remote_write sent samples",
      name: "prometheus_remote_storage_samples_total",
      attrs: { component_id: "prometheus.remote_write.default", remote_name: "b1b605", url: "http://p:9090" },
      type: "alloy",
      want: {
        componentId: "prometheus.remote_write.default",
        componentPath: "/",
        signal: "metrics",
        direction: "sent",
      },
    },
    {
      what: "Alloy remote storage samples_in has no component labels and is ignored",
      name: "prometheus_remote_storage_samples_in_total",
      attrs: {},
      type: "alloy",
      want: null,
    },
    {
      what: "Alloy loki.write sent entries",
      name: "loki_write_sent_entries_total",
      attrs: { component_id: "loki.write.default", component_path: "/", host: "loki:3100", tenant: "" },
      type: "alloy",
      want: { componentId: "loki.write.default", componentPath: "/", signal: "logs", direction: "sent" },
    },
    {
      what: "Alloy loki.write dropped entries",
      name: "loki_write_dropped_entries_total",
      attrs: { component_id: "loki.write.default", reason: "rate_limited" },
      type: "alloy",
      want: { componentId: "loki.write.default", componentPath: "/", signal: "logs", direction: "send_failed" },
    },
    {
      what: "Alloy loki.source.file read lines",
      name: "loki_source_file_read_lines_total",
      attrs: { component_id: "loki.source.file.app", path: "/var/log/app.log" },
      type: "alloy",
      want: { componentId: "loki.source.file.app", componentPath: "/", signal: "logs", direction: "accepted" },
    },
    {
      what: "Alloy series with a component name only in another label is ignored",
      name: "prometheus_forwarded_samples_total",
      attrs: { scrape_job: "prometheus.scrape.x" },
      type: "alloy",
      want: null,
    },
    {
      what: "a metric LinkMesh does not read",
      name: "prometheus_fanout_latency_bucket",
      attrs: { component_id: "prometheus.scrape.x", le: "0.005" },
      type: "alloy",
      want: null,
    },
    {
      what: "a host metric is not a flow",
      name: "otelcol_process_uptime",
      attrs: {},
      type: "otelcol-contrib",
      want: null,
    },
  ];
  it.each(cases)("$what", ({ name, attrs, type, want }) => {
    expect(classifySeries(name, attrs, type)).toEqual(want);
  });
});

describe("hostMetricOf and the process-start signal", () => {
  const cases: { name: string; attrs: Attributes; want: ReturnType<typeof hostMetricOf> }[] = [
    {
      name: "system.cpu.utilization",
      attrs: { cpu: "cpu0", state: "idle" },
      want: { metric: "cpu_utilization", state: "idle", cpu: "cpu0" },
    },
    {
      name: "system.cpu.utilization",
      attrs: { "cpu.mode": "user", "cpu.logical_number": "1" },
      want: { metric: "cpu_utilization", state: "user", cpu: "1" },
    },
    {
      name: "system_cpu_utilization_ratio",
      attrs: { state: "idle" },
      want: { metric: "cpu_utilization", state: "idle" },
    },
    { name: "system.memory.usage", attrs: { state: "used" }, want: { metric: "memory_usage_bytes", state: "used" } },
    {
      name: "system_memory_usage_bytes",
      attrs: { state: "free" },
      want: { metric: "memory_usage_bytes", state: "free" },
    },
    {
      name: "system.memory.utilization",
      attrs: { state: "used" },
      want: { metric: "memory_utilization", state: "used" },
    },
    { name: "system.uptime", attrs: {}, want: { metric: "uptime_seconds" } },
    { name: "alloy_resources_process_start_time_seconds", attrs: {}, want: { metric: "process_start_time_seconds" } },
    { name: "alloy_resources_process_resident_memory_bytes", attrs: {}, want: { metric: "process_rss_bytes" } },
    { name: "otelcol_process_uptime", attrs: { service_name: "x" }, want: { metric: "process_uptime_seconds" } },
    { name: "otelcol_process_uptime_seconds_total", attrs: {}, want: { metric: "process_uptime_seconds" } },
    { name: "otelcol_process_memory_rss", attrs: {}, want: { metric: "process_rss_bytes" } },
    { name: "otelcol_process_memory_rss_bytes", attrs: {}, want: { metric: "process_rss_bytes" } },
    { name: "otelcol_process_cpu_seconds", attrs: {}, want: { metric: "process_cpu_seconds" } },
    { name: "go_goroutines", attrs: {}, want: null },
    { name: "otelcol_exporter_sent_spans", attrs: { exporter: "otlp" }, want: null },
  ];
  it.each(cases)("$name", ({ name, attrs, want }) => {
    expect(hostMetricOf(name, attrs)).toEqual(want);
  });

  it("derives the process start from Alloy's start time and from otelcol's uptime", () => {
    expect(processStartMsOf("process_start_time_seconds", 1.762766137e9, 0)).toBe(1_762_766_137_000);
    expect(processStartMsOf("process_uptime_seconds", 22.5, 1_700_000_100_000)).toBe(1_700_000_077_500);
    expect(processStartMsOf("process_rss_bytes", 1, 1)).toBeNull();
    expect(processStartMsOf("process_uptime_seconds", Number.NaN, 1)).toBeNull();
  });

  it("names the non-throughput facts", () => {
    expect(infoMetricOf("alloy_component_graph_connection")).toBe("graph_connection");
    expect(infoMetricOf("alloy_build_info")).toBe("build_info");
    expect(infoMetricOf("up")).toBeNull();
  });
});

describe("seriesKeyOf", () => {
  it("is the same for two spellings of one series and independent of attribute order", () => {
    expect(seriesKeyOf("otelcol_exporter_sent_spans_total", { b: "2", a: "1" })).toBe(
      seriesKeyOf("otelcol.exporter.sent.spans", { a: "1", b: "2" }),
    );
  });
  it("differs when an attribute value differs, even with separators inside values", () => {
    expect(seriesKeyOf("x", { a: "1,b=2" })).not.toBe(seriesKeyOf("x", { a: "1", b: "2" }));
  });
});

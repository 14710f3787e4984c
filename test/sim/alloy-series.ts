// Alloy's self-telemetry series for a pipeline, named exactly as Alloy exposes them on /metrics
// (see ../shared/reference/alloy.md §2): component_id + component_path labels, OTel attribute labels, `_total`.
// Deliberately independent of LinkMesh's own naming module, so tests compare against Alloy, not against ourselves.

export type SimSignal = "metrics" | "logs" | "traces";

export interface SimComponent {
  /** Local component id, e.g. `otelcol.exporter.otlphttp.backend`. */
  id: string;
  signal?: SimSignal;
  /** Items per second through the component (accepted / sent / forwarded, by its kind). */
  ratePerSecond: number;
  /** Items per second failing to send (exporters only). */
  failedPerSecond?: number;
  /**
   * Optional: items counted `elapsedSeconds` after start (must never decrease), for rates that change over time.
   * Replaces `ratePerSecond x elapsed` for the component's main counter; `ratePerSecond` stays the nominal rate.
   */
  countAt?: (elapsedSeconds: number) => number;
  /** `/` for the root config (default), `/remotecfg` for remotecfg-managed components. */
  componentPath?: string;
}

export interface SimSeries {
  name: string;
  help: string;
  type: "counter" | "gauge";
  labels: Record<string, string>;
  /** Value at `elapsedSeconds` since the process started. */
  valueAt(elapsedSeconds: number): number;
}

const OTEL_ITEM: Record<SimSignal, string> = { metrics: "metric_points", logs: "log_records", traces: "spans" };

/** The OTel component type Alloy registers for an Alloy component name (collector >= v0.147 naming). */
function otelType(alloyName: string): string {
  const last = alloyName.split(".").at(-1) ?? alloyName;
  if (alloyName === "otelcol.exporter.otlphttp") return "otlp_http";
  if (alloyName === "otelcol.exporter.otlp") return "otlp_grpc";
  return last;
}

const counter = (rate: number) => (elapsed: number) => Math.floor(rate * elapsed);
const mainCounter = (c: SimComponent) =>
  c.countAt ? (elapsed: number) => Math.floor((c.countAt as (e: number) => number)(elapsed)) : counter(c.ratePerSecond);

export function seriesForComponent(c: SimComponent): SimSeries[] {
  const path = c.componentPath ?? "/";
  const name = c.id.split(".").slice(0, -1).join(".");
  const globalId = path === "/" ? c.id : `${path.slice(1)}/${c.id}`;
  const base = { component_id: c.id, component_path: path };
  const signal = c.signal ?? "metrics";
  const item = OTEL_ITEM[signal];
  const scope = (helper: string) => ({
    otel_scope_name: `go.opentelemetry.io/collector/${helper}`,
    otel_scope_version: "",
  });
  if (name.startsWith("otelcol.receiver.")) {
    return [
      {
        name: `otelcol_receiver_accepted_${item}_total`,
        help: `Number of ${item.replace("_", " ")} successfully pushed into the pipeline. [Alpha]`,
        type: "counter",
        labels: {
          ...base,
          ...scope("receiver/receiverhelper"),
          receiver: `${otelType(name)}/${globalId}`,
          transport: "http",
        },
        valueAt: mainCounter(c),
      },
      {
        name: `otelcol_receiver_refused_${item}_total`,
        help: `Number of ${item.replace("_", " ")} that could not be pushed into the pipeline. [Alpha]`,
        type: "counter",
        labels: {
          ...base,
          ...scope("receiver/receiverhelper"),
          receiver: `${otelType(name)}/${globalId}`,
          transport: "http",
        },
        valueAt: () => 0,
      },
    ];
  }
  if (name.startsWith("otelcol.processor.")) {
    const labels = {
      ...base,
      ...scope("processor/processorhelper"),
      otel_signal: signal,
      processor: `${otelType(name)}/${globalId}`,
    };
    return [
      {
        name: "otelcol_processor_incoming_items_total",
        help: "Number of items passed to the processor. [Alpha]",
        type: "counter",
        labels,
        valueAt: mainCounter(c),
      },
      {
        name: "otelcol_processor_outgoing_items_total",
        help: "Number of items emitted from the processor. [Alpha]",
        type: "counter",
        labels,
        valueAt: mainCounter(c),
      },
    ];
  }
  if (name.startsWith("otelcol.exporter.")) {
    const labels = { ...base, ...scope("exporter/exporterhelper"), exporter: `${otelType(name)}/${globalId}` };
    return [
      {
        name: `otelcol_exporter_sent_${item}_total`,
        help: `Number of ${item.replace("_", " ")} successfully sent to destination. [Alpha]`,
        type: "counter",
        labels,
        valueAt: mainCounter(c),
      },
      {
        name: `otelcol_exporter_send_failed_${item}_total`,
        help: `Number of ${item.replace("_", " ")} in failed attempts to send to destination. [Alpha]`,
        type: "counter",
        labels,
        valueAt: counter(c.failedPerSecond ?? 0),
      },
    ];
  }
  if (name === "prometheus.scrape" || name === "prometheus.relabel") {
    return [
      {
        name: "prometheus_forwarded_samples_total",
        help: "Total number of samples sent to downstream components.",
        type: "counter",
        labels: base,
        valueAt: mainCounter(c),
      },
    ];
  }
  if (name === "prometheus.remote_write") {
    const labels = { ...base, remote_name: "b1b605", url: "http://prometheus:9090/api/v1/write" };
    return [
      {
        name: "prometheus_remote_storage_samples_total",
        help: "Total number of samples sent to remote storage.",
        type: "counter",
        labels,
        valueAt: mainCounter(c),
      },
      {
        name: "prometheus_remote_storage_samples_failed_total",
        help: "Total number of samples which failed on send to remote storage, non-recoverable errors.",
        type: "counter",
        labels,
        valueAt: counter(c.failedPerSecond ?? 0),
      },
    ];
  }
  if (name === "loki.write") {
    const labels = { ...base, host: "loki:3100", tenant: "" };
    return [
      {
        name: "loki_write_sent_entries_total",
        help: "Number of log entries sent to the ingester.",
        type: "counter",
        labels,
        valueAt: mainCounter(c),
      },
      {
        name: "loki_write_dropped_entries_total",
        help: "Number of log entries dropped because failed to be sent to the ingester after all retries.",
        type: "counter",
        labels: { ...labels, reason: "ingester_error" },
        valueAt: counter(c.failedPerSecond ?? 0),
      },
    ];
  }
  if (name === "loki.source.file") {
    return [
      {
        name: "loki_source_file_read_lines_total",
        help: "Number of lines read.",
        type: "counter",
        labels: { ...base, path: "/var/log/syslog" },
        valueAt: mainCounter(c),
      },
    ];
  }
  return [];
}

export function processSeries(version: string, startTimeSeconds: number): SimSeries[] {
  return [
    {
      name: "alloy_build_info",
      help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which alloy was built, and the goos and goarch for the build.",
      type: "gauge",
      labels: {
        branch: "HEAD",
        goarch: "amd64",
        goos: "linux",
        goversion: "go1.25.1",
        revision: "3f1a2b9",
        tags: "netgo,builtinassets,promtail_journal_enabled",
        version,
      },
      valueAt: () => 1,
    },
    {
      name: "alloy_resources_process_start_time_seconds",
      help: "Start time of the process since Unix epoch in seconds.",
      type: "gauge",
      labels: {},
      valueAt: () => startTimeSeconds,
    },
  ];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), as client_golang prints sample values. */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp = "0"] = value.toExponential().split("e");
    const n = Number(exp);
    return `${mantissa}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(value);
}

/** Prometheus text exposition 0.0.4, families sorted by name, labels sorted, as promhttp prints them. */
export function exposition(series: SimSeries[], elapsedSeconds: number): string {
  const families = new Map<string, SimSeries[]>();
  for (const s of series) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  let out = "";
  for (const name of [...families.keys()].sort()) {
    const members = families.get(name) ?? [];
    const first = members[0];
    if (!first) continue;
    out += `# HELP ${name} ${first.help}\n# TYPE ${name} ${first.type}\n`;
    for (const s of members) {
      const labels = Object.keys(s.labels)
        .sort()
        .map((k) => `${k}="${escapeLabel(s.labels[k] ?? "")}"`)
        .join(",");
      out += `${name}${labels ? `{${labels}}` : ""} ${formatGoFloat(s.valueAt(elapsedSeconds))}\n`;
    }
  }
  return out;
}

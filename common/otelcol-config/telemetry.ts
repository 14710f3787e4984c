// `service.telemetry` summarised: where the collector's own metrics go (pull :8888 and/or OTLP push) and how it logs.
// Follows the declarative-config schema of collector v0.111+ and the older `metrics.address` field.
import type { Problems, YamlPath } from "./problems.js";
import type { OtlpPush, PrometheusPull, SelfLogsSummary, SelfMetricsSummary, SelfTelemetrySummary } from "./types.js";
import { hasReference, isPlainObject, isReference, scalarText } from "./values.js";

const TELEMETRY_KEYS = new Set(["logs", "metrics", "traces", "resource"]);
const METRICS_LEVELS = new Set(["none", "basic", "normal", "detailed"]);
/** What the collector does when `service.telemetry.metrics` says nothing (`otelconftelemetry/factory.go`). */
const DEFAULT_PULL: PrometheusPull = {
  host: "localhost",
  port: "8888",
  address: "localhost:8888",
};

export function defaultTelemetry(): SelfTelemetrySummary {
  return {
    metrics: {
      level: "normal",
      enabled: true,
      form: "default",
      pull: [{ ...DEFAULT_PULL }],
      push: [],
    },
    logs: { level: "info", encoding: "console" },
  };
}

export function readTelemetry(value: unknown, path: YamlPath, problems: Problems): SelfTelemetrySummary {
  const summary = defaultTelemetry();
  if (value === undefined || value === null) return summary;
  if (isReference(value)) {
    problems.warn("unresolved_reference", `${value} is resolved at startup; assuming default telemetry.`, path);
    return summary;
  }
  if (!isPlainObject(value)) {
    problems.error("invalid_telemetry", "service.telemetry must be a mapping (logs, metrics, traces, resource).", path);
    return summary;
  }
  for (const key of Object.keys(value)) {
    if (!TELEMETRY_KEYS.has(key)) {
      problems.error(
        "unknown_key",
        `service.telemetry has an unknown key "${key}"; the collector refuses to start. Known keys: logs, metrics, traces, resource.`,
        [...path, key],
      );
    }
  }
  return {
    metrics: readMetrics(value.metrics, [...path, "metrics"], problems),
    logs: readLogs(value.logs, [...path, "logs"], problems),
  };
}

function readMetrics(value: unknown, path: YamlPath, problems: Problems): SelfMetricsSummary {
  const summary = defaultTelemetry().metrics;
  if (value === undefined || value === null) return summary;
  if (isReference(value)) {
    problems.warn("unresolved_reference", `${value} is resolved at startup; assuming default metrics.`, path);
    return summary;
  }
  if (!isPlainObject(value)) {
    problems.error("invalid_telemetry", "service.telemetry.metrics must be a mapping.", path);
    return summary;
  }

  const level = readLevel(value.level, [...path, "level"], problems);
  const address = scalarText(value.address);
  const readers = value.readers;
  const result: SelfMetricsSummary = {
    ...summary,
    level,
    enabled: level !== "none",
  };

  if (address !== undefined) {
    result.legacyAddress = address;
    problems.warn(
      "deprecated_metrics_address",
      `service.telemetry.metrics.address is ignored since collector v0.123.0 and rejected since v0.128.0; use readers with a pull prometheus exporter instead.`,
      [...path, "address"],
    );
  }

  if (Array.isArray(readers)) {
    result.form = "readers";
    result.pull = [];
    result.push = [];
    readers.forEach((reader, i) => {
      readReader(reader, [...path, "readers", i], result, problems);
    });
  } else if (isReference(readers)) {
    result.form = "readers";
    result.pull = [];
    problems.warn("unresolved_reference", `${readers} is resolved at startup; the metrics readers are unknown.`, [
      ...path,
      "readers",
    ]);
  } else if (readers !== undefined && readers !== null) {
    problems.error("invalid_telemetry", "service.telemetry.metrics.readers must be a list.", [...path, "readers"]);
  } else if (address !== undefined) {
    result.form = "address";
    result.pull = [pullFromAddress(address)];
  }
  return result;
}

function readLevel(value: unknown, path: YamlPath, problems: Problems): string {
  const text = scalarText(value);
  if (text === undefined) return "normal";
  if (hasReference(text)) return text;
  const level = text.toLowerCase();
  if (!METRICS_LEVELS.has(level)) {
    problems.error(
      "invalid_telemetry",
      `service.telemetry.metrics.level "${text}" is not one of none, basic, normal, detailed.`,
      path,
    );
  }
  return level;
}

function readReader(reader: unknown, path: YamlPath, into: SelfMetricsSummary, problems: Problems): void {
  const pullExporter = dig(reader, ["pull", "exporter"]);
  if (isPlainObject(pullExporter) && "prometheus" in pullExporter) {
    into.pull.push(pullFromPrometheus(pullExporter.prometheus));
    return;
  }
  const exporter = dig(reader, ["periodic", "exporter"]);
  if (isPlainObject(exporter) && "otlp" in exporter) {
    into.push.push(pushFromOtlp(exporter.otlp, dig(reader, ["periodic", "interval"])));
    return;
  }
  // Console readers print to stdout: not a destination a fleet manager can reach, so not summarised.
  if (isPlainObject(exporter) && "console" in exporter) return;
  problems.warn(
    "unrecognised_metrics_reader",
    "This metrics reader is neither a pull prometheus nor a periodic otlp/console reader; it is not summarised.",
    path,
  );
}

function pullFromPrometheus(settings: unknown): PrometheusPull {
  const host = isPlainObject(settings) ? scalarText(settings.host) : undefined;
  const port = isPlainObject(settings) ? scalarText(settings.port) : undefined;
  const pull: PrometheusPull = {};
  if (host !== undefined) pull.host = host;
  if (port !== undefined) pull.port = port;
  if (host !== undefined && port !== undefined) pull.address = joinHostPort(host, port);
  return pull;
}

function pushFromOtlp(settings: unknown, interval: unknown): OtlpPush {
  const push: OtlpPush = {};
  if (isPlainObject(settings)) {
    const endpoint = scalarText(settings.endpoint);
    const protocol = scalarText(settings.protocol);
    if (endpoint !== undefined) push.endpoint = endpoint;
    if (protocol !== undefined) push.protocol = protocol;
  }
  if (typeof interval === "number" && Number.isFinite(interval)) push.intervalMs = interval;
  return push;
}

/** `:8888`, `0.0.0.0:8888`, `[::1]:8888`: split at the last colon, as Go's net.SplitHostPort would. */
function pullFromAddress(address: string): PrometheusPull {
  const colon = address.lastIndexOf(":");
  if (colon < 0 || hasReference(address)) return { address };
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { host, port: address.slice(colon + 1), address };
}

function joinHostPort(host: string, port: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

function readLogs(value: unknown, path: YamlPath, problems: Problems): SelfLogsSummary {
  const logs = defaultTelemetry().logs;
  if (value === undefined || value === null) return logs;
  if (isReference(value)) {
    problems.warn("unresolved_reference", `${value} is resolved at startup; assuming default logging.`, path);
    return logs;
  }
  if (!isPlainObject(value)) {
    problems.error("invalid_telemetry", "service.telemetry.logs must be a mapping.", path);
    return logs;
  }
  const level = scalarText(value.level);
  const encoding = scalarText(value.encoding);
  return {
    // zap parses levels case-insensitively (`DEBUG` is common in real configs).
    level: level === undefined ? logs.level : hasReference(level) ? level : level.toLowerCase(),
    encoding: encoding ?? logs.encoding,
  };
}

function dig(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

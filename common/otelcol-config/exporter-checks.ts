// Exporter settings the collector validates for every exporter we care about, so a config that would not start
// is reported before it is deployed. Limited to settings whose meaning does not depend on the exporter's factory.
import type { Problems } from "./problems.js";
import type { ComponentSection } from "./types.js";
import { isPlainObject, isReference } from "./values.js";

// exporterhelper's TimeoutConfig is shared by every exporter that has a `timeout`.
const GO_DURATION = /^[+-]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/;
const OTLP_HTTP_TYPES = new Set(["otlp_http", "otlphttp"]);
const OTLP_GRPC_TYPES = new Set(["otlp_grpc", "otlp"]);
const OTLP_HTTP_ENDPOINT_KEYS = [
  "endpoint",
  "traces_endpoint",
  "metrics_endpoint",
  "logs_endpoint",
  "profiles_endpoint",
];

export function checkExporters(exporters: ComponentSection, problems: Problems): void {
  for (const [id, settings] of Object.entries(exporters.settings)) {
    if (isReference(settings)) continue;
    const values = isPlainObject(settings) ? settings : {};
    checkTimeout(id, values.timeout, problems);
    checkEndpoint(id, values, problems);
  }
}

function checkTimeout(id: string, timeout: unknown, problems: Problems): void {
  if (timeout === undefined || timeout === null || isReference(timeout)) return;
  const path = ["exporters", id, "timeout"];
  if (typeof timeout === "number") {
    // A bare number decodes as nanoseconds.
    if (timeout < 0)
      problems.error("invalid_exporter_timeout", `exporters::${id}: timeout must not be negative.`, path);
    return;
  }
  const text = String(timeout);
  if (text !== "0" && !GO_DURATION.test(text)) {
    problems.error(
      "invalid_exporter_timeout",
      `exporters::${id}: timeout "${text}" is not a duration such as 5s or 500ms.`,
      path,
    );
  } else if (text.startsWith("-")) {
    problems.error("invalid_exporter_timeout", `exporters::${id}: timeout must not be negative.`, path);
  }
}

function checkEndpoint(id: string, settings: Record<string, unknown>, problems: Problems): void {
  const type = id.split("/", 1)[0] ?? id;
  const has = (key: string): boolean => {
    const v = settings[key];
    return v !== undefined && v !== null && v !== "";
  };
  if (OTLP_HTTP_TYPES.has(type) && !OTLP_HTTP_ENDPOINT_KEYS.some(has)) {
    problems.error(
      "missing_exporter_endpoint",
      `exporters::${id}: at least one endpoint must be specified (endpoint, or traces_/metrics_/logs_endpoint).`,
      ["exporters", id],
    );
  }
  if (OTLP_GRPC_TYPES.has(type) && !has("endpoint")) {
    problems.error("missing_exporter_endpoint", `exporters::${id}: requires a non-empty "endpoint".`, [
      "exporters",
      id,
    ]);
  }
}

// otelcol(-contrib) YAML config -> the shared collector model (components, edges) plus self-telemetry settings.
// Pure: text in, data out; reports what the collector would refuse, never throws. Does not resolve `${...}`.
export { parseOtelcolConfig } from "./parse.js";
export type {
  ComponentSection,
  OtelcolConfig,
  OtelcolConfigError,
  OtelcolConfigErrorReason,
  OtelcolConfigProblem,
  OtelcolConfigWarning,
  OtelcolConfigWarningReason,
  OtelcolParseResult,
  OtelcolPipeline,
  OtlpPush,
  PipelineRole,
  PrometheusPull,
  SelfLogsSummary,
  SelfMetricsSummary,
  SelfTelemetrySummary,
} from "./types.js";

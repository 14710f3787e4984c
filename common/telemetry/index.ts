// Self-telemetry naming model: the one table of metrics LinkMesh reads from Alloy and otelcol, and how a
// series maps to a component, a signal and a direction. Names only: no parsing, no rates, no I/O.

export type { Attributes, SeriesClass } from "./classify.js";
export { attributeOf, classifySeries } from "./classify.js";
export type { HostMetricMatch } from "./host.js";
export { hostMetricOf, infoMetricOf, processStartMsOf } from "./host.js";
export { canonicalComponentId, lookupMetric, normalizeMetricName, seriesKeyOf } from "./names.js";
export type {
  FlowDirection,
  FlowMetric,
  HostMetric,
  HostMetricKind,
  IdentitySource,
  InfoMetric,
  InfoMetricKind,
  TelemetryMetric,
} from "./table.js";
export { TELEMETRY_METRICS } from "./table.js";

// The OTLP/HTTP metrics receiver: authenticates collector pushes and decodes them into metric points.
// What the points mean (rates, host metrics) is decided by the sink passed in, not here.

export { CredentialCache, type PushAuth } from "./credential-cache.js";
export type { MetricPoint, Temporality } from "./decode.js";
export { decodeJsonMetrics, decodeProtobufMetrics, flattenMetricsRequest, OtlpDecodeError } from "./decode.js";
export { EMPTY_EXPORT_RESPONSE, ExportMetricsServiceRequest } from "./proto.js";
export type { OtlpDeps, OtlpSink } from "./route.js";
export { otlpRoutes } from "./route.js";
export { AttributeCache } from "./wire-metrics.js";

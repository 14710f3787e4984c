// Prometheus text exposition (format 0.0.4) -> plain samples, for reading a collector's own `/metrics`.
// Not a scraper and not OpenMetrics-complete: no HTTP, no exemplars, no native histograms; never throws.

export type { PromMetricType, PromParseError, PromParseResult, PromSample } from "./parse.js";
export { parsePrometheusText } from "./parse.js";

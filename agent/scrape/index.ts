// Self-telemetry scraping: the collector's local /metrics every interval -> flow samples, emitting components,
// and export activity (the LinkMesh exporter's sent counter increasing). summary.ts is pure; scraper.ts fetches.

export { METRICS_PATH, Scraper, type ScraperOptions, scrapeOnce } from "./scraper.js";
export {
  type ExportActivity,
  exportActivity,
  MAX_SAMPLES,
  type ScrapeSummary,
  summarizeScrape,
  type TelemetrySample,
} from "./summary.js";

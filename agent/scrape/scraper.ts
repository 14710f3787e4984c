// Fetches the collector's local /metrics on an interval and hands each summary on. The only I/O of this folder.

import type { CollectorType } from "../../common/model/index.js";
import { type ScrapeSummary, summarizeScrape } from "./summary.js";

export const METRICS_PATH = "/metrics";

export interface ScraperOptions {
  /** The collector's HTTP server: Alloy `http://127.0.0.1:12345`, otelcol `http://127.0.0.1:8888`. */
  baseUrl: string;
  collectorType: CollectorType;
  intervalMs: number;
  /** The LinkMesh exporter id, read from the config each time (it may change). */
  exporterId: () => string | null;
  onScrape: (summary: ScrapeSummary) => void;
  onError: (message: string) => void;
  now?: () => number;
}

export async function scrapeOnce(
  options: Omit<ScraperOptions, "intervalMs" | "onScrape" | "onError">,
): Promise<ScrapeSummary> {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${METRICS_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
  }
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  return summarizeScrape(text, {
    collectorType: options.collectorType,
    exporterId: options.exporterId(),
    timeMs: (options.now ?? Date.now)(),
  });
}

export class Scraper {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly options: ScraperOptions) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  private async tick(): Promise<void> {
    try {
      this.options.onScrape(await scrapeOnce(this.options));
    } catch (error) {
      this.options.onError(`cannot scrape ${this.options.baseUrl}${METRICS_PATH}: ${(error as Error).message}`);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

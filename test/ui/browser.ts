// Real Chromium (Debian's /usr/bin/chromium via playwright-core) for UI tests and the canvas bench:
// a fresh profile per launch, and every request that leaves the allowed origins is refused and recorded.
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { DIST_DIR, tempDir } from "../rig/index.js";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface UiBrowser {
  context: BrowserContext;
  page: Page;
  /** Requests to any origin other than the allowed ones (they were aborted). */
  external: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  allowedOrigins: string[],
  viewport = { width: 1280, height: 800 },
): Promise<UiBrowser> {
  const profile = await tempDir("chromium");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    deviceScaleFactor: 1,
  });
  const external: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || allowedOrigins.some((o) => url.startsWith(o))) return route.fallback();
    external.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, external, close: () => context.close() };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".map": "application/json" };

/**
 * Serves the built UI and a fixed topology at `origin` without a relay process (bench and visual checks only;
 * the acceptance test talks to a real relay). The returned setter swaps the topology the API answers.
 */
export async function serveStaticUi(
  context: BrowserContext,
  origin: string,
  topology: unknown,
  uiDir = join(DIST_DIR, "ui"),
): Promise<{ setTopology(t: unknown): void }> {
  let current = topology;
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/" || path.startsWith("/assets/")) {
      const file = path === "/" ? "index.html" : path.slice(1);
      return route.fulfill({
        body: await readFile(join(uiDir, file)),
        contentType: TYPES[extname(file)] ?? "application/octet-stream",
      });
    }
    if (path === "/api/v1/topology") return route.fulfill({ json: current });
    if (path === "/api/v1/collectors") {
      const collectors = (current as { collectors: { id: string; hostname: string; type: string }[] }).collectors;
      return route.fulfill({
        json: { collectors: collectors.map((c) => ({ ...c, lastPushAt: null, hostMetrics: {} })) },
      });
    }
    if (path === "/api/v1/stream") return route.fulfill({ status: 404, json: { error: "not_found" } });
    return route.fulfill({ status: 404, json: { error: "not_found", message: path } });
  });
  return {
    setTopology(t) {
      current = t;
    },
  };
}

/** A fleet shaped like a real one: 4 sources -> batch -> 5 destinations per collector (10 edges). */
export function syntheticTopology(collectors: number, now = Date.now()) {
  const iso = new Date(now).toISOString();
  return {
    collectors: Array.from({ length: collectors }, (_, i) => {
      const sources = ["otlp.apps", "prometheus.node", "filelog.syslog", "hostmetrics.host"];
      const destinations = ["otlphttp.mimir", "otlphttp.loki", "otlphttp.tempo", "debug.sample", "otlphttp.backup"];
      return {
        id: `c${i}`,
        hostname: `host-${String(i).padStart(4, "0")}`,
        type: i % 3 === 0 ? "otelcol-contrib" : "alloy",
        version: "v1.18.1",
        status: i % 17 === 0 ? "degraded" : "healthy",
        hostMetrics: {},
        lastPushAt: iso,
        components: [
          ...sources.map((id) => ({ id, kind: "source", type: id.split(".")[0] })),
          { id: "batch", kind: "processor", type: "batch" },
          ...destinations.map((id) => ({ id, kind: "destination", type: id.split(".")[0] })),
        ],
        edges: [
          ...sources.map((from, s) => ({
            from,
            to: "batch",
            signal: "metrics",
            ratePerSecond: ((i * 7 + s * 13) % 50) * 40 + 5,
            failedPerSecond: 0,
            state: "active",
            updatedAt: iso,
            via: "otlp",
          })),
          ...destinations.map((to, d) => ({
            from: "batch",
            to,
            signal: "metrics",
            ratePerSecond: d === 3 ? null : ((i * 3 + d * 11) % 40) * 50 + 1,
            failedPerSecond: 0,
            state: d === 3 ? "waiting" : "active",
            updatedAt: iso,
            via: "otlp",
          })),
        ],
      };
    }),
  };
}

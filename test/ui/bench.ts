// P4 canvas bench: frame time while panning a 2,000-collector / 20,000-edge fleet in headless Chromium,
// at the overview zoom (fit) and at reading zoom (1:1). Target: >= 30 fps while panning.
import { launchBrowser, serveStaticUi, syntheticTopology } from "./browser.js";

export interface PanResult {
  zoom: string;
  frames: number;
  fps: number;
  drawMsP50: number;
  drawMsP95: number;
  edgesDrawn: number;
}

export interface CanvasBenchResult {
  collectors: number;
  edges: number;
  firstPaintMs: number;
  pans: PanResult[];
}

const ORIGIN = "http://linkmesh.bench";

export async function benchCanvas(
  options: { collectors?: number; frames?: number; uiDir?: string } = {},
): Promise<CanvasBenchResult> {
  const collectors = options.collectors ?? 2000;
  const frames = options.frames ?? 120;
  const topology = syntheticTopology(collectors);
  const ui = await launchBrowser([ORIGIN], { width: 1440, height: 900 });
  try {
    await serveStaticUi(ui.context, ORIGIN, topology, options.uiDir);
    const started = Date.now();
    await ui.page.goto(`${ORIGIN}/#/topology`);
    await ui.page.waitForFunction(() => (window.__linkmeshCanvas?.layout()?.edges.length ?? 0) > 0, null, {
      timeout: 60_000,
    });
    const firstPaintMs = Date.now() - started;
    const pans: PanResult[] = [];
    for (const zoom of ["fit", "0.1", "1:1"] as const) {
      const result = await ui.page.evaluate(
        async ({ zoom, frames }) => {
          const hook = window.__linkmeshCanvas;
          if (!hook) throw new Error("canvas hook missing");
          hook.fit();
          if (zoom !== "fit") hook.setView({ scale: zoom === "1:1" ? 1 : 0.1, x: 0, y: -20_000 });
          const draws: number[] = [];
          let edgesDrawn = 0;
          const t0 = performance.now();
          for (let i = 0; i < frames; i++) {
            await new Promise<void>((resolve) =>
              requestAnimationFrame(() => {
                hook.panBy(zoom === "fit" ? 3 : 0, zoom === "fit" ? -4 : -25);
                resolve();
              }),
            );
            // The renderer draws in the next animation frame; wait for it, then read its own timing.
            await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
            draws.push(hook.stats().lastFrameMs);
            edgesDrawn = Math.max(edgesDrawn, hook.drawn().length);
          }
          const elapsed = performance.now() - t0;
          draws.sort((a, b) => a - b);
          // Two animation frames per pan step above; a real drag pans once per frame.
          return {
            zoom,
            frames,
            fps: (frames * 2 * 1000) / elapsed,
            drawMsP50: draws[Math.floor(0.5 * draws.length)] ?? 0,
            drawMsP95: draws[Math.min(draws.length - 1, Math.floor(0.95 * draws.length))] ?? 0,
            edgesDrawn,
          };
        },
        { zoom, frames },
      );
      pans.push(result);
    }
    return { collectors, edges: collectors * 10, firstPaintMs, pans };
  } finally {
    await ui.close();
  }
}

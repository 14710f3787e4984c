// Browser-side test tooling for the operator UI: real Chromium launch, a static UI server for benches,
// synthetic fleets, and the P4 canvas benchmark.
export { benchCanvas, type CanvasBenchResult } from "./bench.js";
export { CHROMIUM, launchBrowser, serveStaticUi, syntheticTopology, type UiBrowser } from "./browser.js";

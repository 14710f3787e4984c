// The topology canvas: a plain class that draws a Layout (from ui/layout) on a <canvas> and handles pan, zoom,
// fit and hit testing; it keeps an accessible text list and a test hook in sync with what it drew.
export type { DrawnEdge, RendererOptions, View } from "./renderer.js";
export { CanvasRenderer } from "./renderer.js";
export { THEME } from "./theme.js";

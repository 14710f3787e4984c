// Pure layout of the topology for the canvas: positions, edge widths, labels and inactive reasons.
// No DOM here; the canvas renderer draws what this computes, and hit testing reads the same numbers.
export { formatAge, formatBytes, formatRate } from "./format.js";
export type { Hit } from "./hit.js";
export { bezierAt, edgeDistance, hitTest, visibleBands } from "./hit.js";
export { edgeStatus, layoutTopology, widthStep } from "./layout.js";
export type {
  EdgeState,
  Layout,
  LayoutBand,
  LayoutEdge,
  LayoutNode,
  LayoutNodeKind,
  LayoutOptions,
  Point,
} from "./types.js";

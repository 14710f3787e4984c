// Hit testing and culling over a Layout: which band, node or edge is under a world point. Pure.
import type { Layout, LayoutBand, LayoutEdge, LayoutNode, Point } from "./types.js";

export type Hit = { kind: "edge"; edge: LayoutEdge } | { kind: "node"; node: LayoutNode } | null;

/** Index of the first band whose bottom is at or below `y` (bands are sorted by y). */
function firstBandFrom(bands: readonly LayoutBand[], y: number): number {
  let lo = 0;
  let hi = bands.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = bands[mid];
    if (b && b.y + b.h < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bands intersecting [top, bottom] in world coordinates, as an index range [start, end). */
export function visibleBands(layout: Layout, top: number, bottom: number): [number, number] {
  const start = firstBandFrom(layout.bands, top);
  let end = start;
  while (end < layout.bands.length && (layout.bands[end]?.y ?? Number.POSITIVE_INFINITY) <= bottom) end++;
  return [start, end];
}

export function bezierAt(p: readonly [Point, Point, Point, Point], t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return {
    x: a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x,
    y: a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y,
  };
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export function edgeDistance(edge: LayoutEdge, p: Point): number {
  let best = Number.POSITIVE_INFINITY;
  let prev = edge.points[0];
  for (let i = 1; i <= 16; i++) {
    const next = bezierAt(edge.points, i / 16);
    best = Math.min(best, segmentDistance(p, prev, next));
    prev = next;
  }
  return best;
}

/**
 * What is under world point `p`: a component node first, then the nearest edge within `tolerance`
 * (world units), then the collector frame.
 */
export function hitTest(layout: Layout, p: Point, tolerance: number): Hit {
  const i = firstBandFrom(layout.bands, p.y);
  const band = layout.bands[i];
  if (!band || p.y < band.y || p.y > band.y + band.h) return null;
  let frame: LayoutNode | null = null;
  for (let n = band.nodeStart; n < band.nodeEnd; n++) {
    const node = layout.nodes[n];
    if (!node || p.x < node.x || p.x > node.x + node.w || p.y < node.y || p.y > node.y + node.h) continue;
    if (node.kind === "collector") frame = node;
    else return { kind: "node", node };
  }
  let nearest: LayoutEdge | null = null;
  let nearestD = Number.POSITIVE_INFINITY;
  for (let e = band.edgeStart; e < band.edgeEnd; e++) {
    const edge = layout.edges[e];
    if (!edge) continue;
    const d = edgeDistance(edge, p);
    if (d <= tolerance + edge.width && d < nearestD) {
      nearest = edge;
      nearestD = d;
    }
  }
  if (nearest) return { kind: "edge", edge: nearest };
  return frame ? { kind: "node", node: frame } : null;
}

// Positions produced by layoutTopology and consumed by the canvas renderer (world coordinates, px at zoom 1).

export interface Point {
  x: number;
  y: number;
}

/** `pipeline`: the collector itself between its sources and destinations (edges that name the collector id). */
export type LayoutNodeKind = "collector" | "source" | "processor" | "pipeline" | "destination";

export interface LayoutNode {
  /** `collectorId` for the collector frame, `collectorId/componentId` for a component. */
  id: string;
  collectorId: string;
  x: number;
  y: number;
  w: number;
  h: number;
  kind: LayoutNodeKind;
  label: string;
  /** Component type or, for a collector frame, "type version · status". */
  detail: string;
  /** Collector frames only: the collector's status word (healthy, degraded, ...). */
  status?: string;
  /** Pipeline nodes only: the processors the collector runs, one per line. */
  lines?: string[];
}

/** active: a fresh OTLP rate; agent: a rate from the agent's summary; inactive: no rate to show. */
export type EdgeState = "active" | "agent" | "inactive";

export interface LayoutEdge {
  id: string;
  collectorId: string;
  host: string;
  from: string;
  to: string;
  /** Cubic Bézier: start, control 1, control 2, end. */
  points: [Point, Point, Point, Point];
  /** 1..5, relative to the largest rate in the topology. */
  width: 1 | 2 | 3 | 4 | 5;
  /** "1.2k/s", or "no data" when inactive. */
  label: string;
  /** "3/s failed" when the exporter reports send failures, else null. */
  failedLabel: string | null;
  labelAt: Point;
  state: EdgeState;
  /** Why it is not a plain active edge: "waiting for second sample", "no OTLP push for 2 m", "orphan", "via agent". */
  reason: string | null;
  ratePerSecond: number | null;
}

/** One collector's horizontal band; nodes and edges of a band are contiguous in the arrays. */
export interface LayoutBand {
  collectorId: string;
  y: number;
  h: number;
  nodeStart: number;
  nodeEnd: number;
  edgeStart: number;
  edgeEnd: number;
}

export interface Layout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  bands: LayoutBand[];
  width: number;
  height: number;
  maxRate: number;
}

export interface LayoutOptions {
  /** "Now" in ms since the epoch, for ages such as "no OTLP push for 2 m". */
  now: number;
  /** Keep only collectors whose hostname, id or a component id/type contains this (case-insensitive). */
  query?: string;
  nodeWidth?: number;
  nodeHeight?: number;
}

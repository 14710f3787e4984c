// layoutTopology: collectors stacked top to bottom, each laid out left to right in layers
// (sources | processors by longest path | destinations). Linear in the size of the topology.
import type { Topology, TopologyCollector, TopologyComponent, TopologyEdge } from "../store/index.js";
import { formatAge, formatRate } from "./format.js";
import { bezierAt } from "./hit.js";
import type { EdgeState, Layout, LayoutBand, LayoutEdge, LayoutNode, LayoutNodeKind, LayoutOptions } from "./types.js";

const PAD = 16;
const HEADER = 30;
const ROW_GAP = 14;
const COLUMN_GAP = 110;
const BAND_GAP = 18;
/** An OTLP rate older than this is not "live" any more, whatever the relay's state says. */
const STALE_AFTER_MS = 2 * 60_000;

const STALE_STATES = new Set(["stale", "no_push", "silent", "expired"]);
const LIVE_STATES = new Set(["live", "active", "ok"]);
const WAITING_STATES = new Set(["waiting", "pending", "first_sample", "waiting_for_second_sample"]);

const PLAIN = /^[a-z_]*$/;

function norm(word: string): string {
  return PLAIN.test(word) ? word : word.toLowerCase().replace(/[\s-]+/g, "_");
}

/** How an edge is drawn and why: the one place that turns relay edge states into words. */
export function edgeStatus(
  edge: TopologyEdge,
  lastPushAt: number | null,
  now: number,
): { state: EdgeState; reason: string | null } {
  const state = norm(edge.state);
  const pushedAt = lastPushAt ?? edge.updatedAt;
  const silence = () => (pushedAt === null ? null : `no OTLP push for ${formatAge(now - pushedAt)}`);
  if (state === "orphan") return { state: "inactive", reason: "orphan" };
  if (norm(edge.via) === "agent")
    return { state: edge.ratePerSecond === null ? "inactive" : "agent", reason: "via agent" };
  if (STALE_STATES.has(state)) return { state: "inactive", reason: edge.reason ?? silence() ?? "no OTLP push yet" };
  if (edge.ratePerSecond === null) {
    if (WAITING_STATES.has(state) || LIVE_STATES.has(state))
      return { state: "inactive", reason: edge.reason ?? "waiting for second sample" };
    return { state: "inactive", reason: edge.reason ?? state.replace(/_/g, " ") };
  }
  if (edge.updatedAt !== null && now - edge.updatedAt > STALE_AFTER_MS) {
    return { state: "inactive", reason: edge.reason ?? silence() };
  }
  return { state: "active", reason: null };
}

/** 1..5 by fifths of the largest rate; no rate (or a zero maximum) is the thinnest step. */
export function widthStep(rate: number | null, maxRate: number): 1 | 2 | 3 | 4 | 5 {
  if (rate === null || rate <= 0 || maxRate <= 0) return 1;
  return Math.min(5, Math.max(1, Math.ceil((rate / maxRate) * 5))) as 1 | 2 | 3 | 4 | 5;
}

function matches(c: TopologyCollector, q: string): boolean {
  if (c.hostname.toLowerCase().includes(q) || c.id.toLowerCase().includes(q)) return true;
  return c.components.some((x) => x.id.toLowerCase().includes(q) || x.type.toLowerCase().includes(q));
}

/** Columns per component: sources 0, processors 1 + longest path, destinations after the last processor. */
function columnsOf(components: TopologyComponent[], edges: TopologyEdge[]): Map<string, number> {
  const kind = new Map(components.map((c) => [c.id, c.kind]));
  const col = new Map<string, number>();
  for (const c of components) col.set(c.id, c.kind === "source" ? 0 : c.kind === "processor" ? 1 : -1);
  // Bellman-Ford style relaxation, bounded by the number of components so cycles cannot loop forever.
  const processorEdges = edges.filter((e) => kind.get(e.to) === "processor" && kind.get(e.from) === "processor");
  for (let round = 0; round < components.length && processorEdges.length > 0; round++) {
    let changed = false;
    for (const e of processorEdges) {
      const next = (col.get(e.from) ?? 1) + 1;
      if (next > (col.get(e.to) ?? 1) && next <= components.length) {
        col.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  let last = 0;
  for (const c of components) if (c.kind === "processor") last = Math.max(last, col.get(c.id) ?? 1);
  for (const c of components) if (c.kind === "destination") col.set(c.id, last + 1);
  return col;
}

/**
 * The components to draw. Edges that name the collector itself (source -> collector -> destination) get one
 * `pipeline` node standing for it, which lists the processors; components an edge names that the graph lacks
 * (e.g. orphan throughput) get a node on the matching side.
 */
function drawnComponents(c: TopologyCollector, hub: boolean): TopologyComponent[] {
  const base = hub
    ? [
        ...c.components.filter((x) => x.kind === "source"),
        { id: c.id, kind: "processor" as const, type: "pipeline" },
        ...c.components.filter((x) => x.kind === "destination"),
      ]
    : c.components;
  const known = new Set(base.map((x) => x.id));
  const extra: TopologyComponent[] = [];
  for (const e of c.edges) {
    if (!known.has(e.from)) {
      known.add(e.from);
      extra.push({ id: e.from, kind: "source", type: "not in config" });
    }
    if (!known.has(e.to)) {
      known.add(e.to);
      extra.push({ id: e.to, kind: "destination", type: "not in config" });
    }
  }
  return extra.length === 0 ? base : [...base, ...extra];
}

function shortLabel(id: string): string {
  // `otelcol.exporter.otlphttp.backend` reads as `otlphttp.backend`; otelcol ids are already short.
  const parts = id.split(".");
  return parts.length > 3 && parts[0] === "otelcol" ? parts.slice(2).join(".") : id;
}

function collectorDetail(c: TopologyCollector): string {
  const version = c.version ? ` ${c.version}` : "";
  return `${c.type}${version} · ${c.status.replace(/_/g, " ")}${c.statusReason ? `: ${c.statusReason}` : ""}`;
}

export function layoutTopology(topology: Topology, options: LayoutOptions): Layout {
  const nodeW = options.nodeWidth ?? 200;
  const nodeH = options.nodeHeight ?? 32;
  const q = options.query?.trim().toLowerCase() ?? "";
  const collectors = q === "" ? topology.collectors : topology.collectors.filter((c) => matches(c, q));

  let maxRate = 0;
  for (const c of topology.collectors)
    for (const e of c.edges) if (e.ratePerSecond !== null && e.ratePerSecond > maxRate) maxRate = e.ratePerSecond;

  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const bands: LayoutBand[] = [];
  let y = 0;
  let width = 0;

  for (const c of collectors) {
    const hub = c.edges.some((e) => e.from === c.id || e.to === c.id);
    const components = drawnComponents(c, hub);
    const col = columnsOf(components, c.edges);
    const columns: TopologyComponent[][] = [];
    for (const comp of components) {
      const i = col.get(comp.id) ?? 0;
      while (columns.length <= i) columns.push([]);
      columns[i]?.push(comp);
    }
    // Order each column by the mean row of its predecessors: fewer crossings, stable for equal keys.
    const row = new Map<string, number>();
    const preds = new Map<string, string[]>();
    for (const e of c.edges) {
      const list = preds.get(e.to);
      if (list) list.push(e.from);
      else preds.set(e.to, [e.from]);
    }
    columns.forEach((members, ci) => {
      if (ci > 0) {
        const key = (id: string) => {
          const rows = (preds.get(id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
          return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
        };
        const keyed = members.map((m, i) => ({ m, k: key(m.id), i }));
        keyed.sort((a, b) => a.k - b.k || a.i - b.i);
        members.splice(0, members.length, ...keyed.map((x) => x.m));
      }
      for (const [ri, m] of members.entries()) row.set(m.id, ri);
    });

    const processors = c.components.filter((x) => x.kind === "processor");
    // The pipeline node lists its processors under its title: give it room for them.
    const hubRows = hub ? Math.ceil((44 + 16 * processors.length + ROW_GAP) / (nodeH + ROW_GAP)) : 1;
    const rows = Math.max(1, hubRows, ...columns.map((m) => m.length));
    const bandH = HEADER + PAD + rows * nodeH + (rows - 1) * ROW_GAP + PAD;
    const bandW = PAD * 2 + Math.max(1, columns.length) * nodeW + Math.max(0, columns.length - 1) * COLUMN_GAP;
    width = Math.max(width, bandW);
    const band: LayoutBand = {
      collectorId: c.id,
      y,
      h: bandH,
      nodeStart: nodes.length,
      nodeEnd: 0,
      edgeStart: edges.length,
      edgeEnd: 0,
    };
    nodes.push({
      id: c.id,
      collectorId: c.id,
      x: 0,
      y,
      w: bandW,
      h: bandH,
      kind: "collector",
      label: c.hostname,
      detail: collectorDetail(c),
      status: c.status,
    });
    const at = new Map<string, LayoutNode>();
    columns.forEach((members, ci) => {
      // Centre shorter columns vertically in the band.
      const colH = members.length * nodeH + Math.max(0, members.length - 1) * ROW_GAP;
      const top = y + HEADER + PAD + (rows * nodeH + (rows - 1) * ROW_GAP - colH) / 2;
      members.forEach((m, ri) => {
        const isHub = hub && m.id === c.id;
        const node: LayoutNode = isHub
          ? {
              id: `${c.id}/${m.id}`,
              collectorId: c.id,
              x: PAD + ci * (nodeW + COLUMN_GAP),
              y: y + HEADER + PAD,
              w: nodeW,
              h: rows * nodeH + (rows - 1) * ROW_GAP,
              kind: "pipeline",
              label: "pipeline",
              detail:
                processors.length === 0
                  ? "no processors"
                  : `${processors.length} processor${processors.length === 1 ? "" : "s"}`,
              lines: processors.map((p) => shortLabel(p.id)),
            }
          : {
              id: `${c.id}/${m.id}`,
              collectorId: c.id,
              x: PAD + ci * (nodeW + COLUMN_GAP),
              y: top + ri * (nodeH + ROW_GAP),
              w: nodeW,
              h: nodeH,
              kind: m.kind as LayoutNodeKind,
              label: shortLabel(m.id),
              detail: m.type,
            };
        at.set(m.id, node);
        nodes.push(node);
      });
    });
    band.nodeEnd = nodes.length;

    // Labels go where edges are spread apart: near the source when the target gathers several edges (fan-in),
    // near the target when the source spreads to several (fan-out), else in the middle.
    const inDegree = new Map<string, number>();
    const outDegree = new Map<string, number>();
    for (const e of c.edges) {
      inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
      outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
    }
    // Ports: several edges on one side of a node attach at spread-out points, ordered by the far end's height.
    const portY = (node: LayoutNode, rank: number, count: number) => {
      const span = Math.min(node.h - 8, (count - 1) * (nodeH + ROW_GAP));
      return count <= 1 ? node.y + node.h / 2 : node.y + (node.h - span) / 2 + (span * rank) / (count - 1);
    };
    const centre = (id: string) => {
      const n = at.get(id);
      return n ? n.y + n.h / 2 : 0;
    };
    const rankIn = new Map<number, number>();
    const rankOut = new Map<number, number>();
    const byTarget = new Map<string, number[]>();
    const bySource = new Map<string, number[]>();
    for (const [i, e] of c.edges.entries()) {
      const t = byTarget.get(e.to);
      if (t) t.push(i);
      else byTarget.set(e.to, [i]);
      const f = bySource.get(e.from);
      if (f) f.push(i);
      else bySource.set(e.from, [i]);
    }
    for (const list of byTarget.values()) {
      if (list.length > 1)
        list.sort((x, y) => centre(c.edges[x]?.from ?? "") - centre(c.edges[y]?.from ?? "") || x - y);
      for (const [rank, edgeIndex] of list.entries()) rankIn.set(edgeIndex, rank);
    }
    for (const list of bySource.values()) {
      if (list.length > 1) list.sort((x, y) => centre(c.edges[x]?.to ?? "") - centre(c.edges[y]?.to ?? "") || x - y);
      for (const [rank, edgeIndex] of list.entries()) rankOut.set(edgeIndex, rank);
    }
    c.edges.forEach((e, i) => {
      const a = at.get(e.from);
      const b = at.get(e.to);
      if (!a || !b) return;
      const p0 = { x: a.x + a.w, y: portY(a, rankOut.get(i) ?? 0, outDegree.get(e.from) ?? 1) };
      const p3 = { x: b.x, y: portY(b, rankIn.get(i) ?? 0, inDegree.get(e.to) ?? 1) };
      const dx = Math.max(30, (p3.x - p0.x) / 2);
      const p1 = { x: p0.x + dx, y: p0.y };
      const p2 = { x: p3.x - dx, y: p3.y };
      const { state, reason } = edgeStatus(e, c.lastPushAt, options.now);
      const hasRate = state !== "inactive" && e.ratePerSecond !== null;
      edges.push({
        id: `${c.id}/${i}`,
        collectorId: c.id,
        host: c.hostname,
        from: e.from === c.id ? "collector" : e.from,
        to: e.to === c.id ? "collector" : e.to,
        points: [p0, p1, p2, p3],
        width: hasRate ? widthStep(e.ratePerSecond, maxRate) : 1,
        label: hasRate && e.ratePerSecond !== null ? formatRate(e.ratePerSecond) : "no data",
        failedLabel:
          e.failedPerSecond !== null && e.failedPerSecond > 0 ? `${formatRate(e.failedPerSecond)} failed` : null,
        labelAt: bezierAt(
          [p0, p1, p2, p3],
          (inDegree.get(e.to) ?? 0) > 1 ? 0.3 : (outDegree.get(e.from) ?? 0) > 1 ? 0.7 : 0.5,
        ),
        state,
        reason,
        ratePerSecond: e.ratePerSecond,
      });
    });
    band.edgeEnd = edges.length;
    bands.push(band);
    y += bandH + BAND_GAP;
  }
  return { nodes, edges, bands, width, height: Math.max(0, y - BAND_GAP), maxRate };
}

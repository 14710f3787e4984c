// CanvasRenderer: draws a Layout on a <canvas> (devicePixelRatio aware), pans/zooms/fits, hit-tests the pointer,
// and mirrors what it drew into an accessible text list. Redraws on requestAnimationFrame only when dirty.
import { type Hit, hitTest, type Layout, type LayoutEdge, type LayoutNode, visibleBands } from "../layout/index.js";
import { THEME } from "./theme.js";

export interface View {
  scale: number;
  x: number;
  y: number;
}

/** One edge as it was last drawn: what tests and screen readers get. */
export interface DrawnEdge {
  id: string;
  collectorId: string;
  host: string;
  from: string;
  to: string;
  label: string;
  state: LayoutEdge["state"];
  reason: string | null;
  width: number;
}

export interface RendererOptions {
  /** Called when the pointer moves onto something (or off: hit null). Coordinates are client px. */
  onHover?: (hit: Hit, clientX: number, clientY: number) => void;
  /** Called when a collector frame or one of its components is clicked. */
  onOpen?: (collectorId: string) => void;
  /** A visually hidden element the renderer fills with a list of the drawn edges. */
  textLayer?: HTMLElement;
  /** How many edges the text layer lists at most (the rest is summarised). */
  textLimit?: number;
}

/** Below this zoom, collectors are drawn as bands only (no edges, no text): thousands of them stay fast. */
const BANDS_ONLY_BELOW = 0.08;
/** The accessible edge list follows the canvas once the view has rested this long. */
const TEXT_LAYER_DELAY_MS = 150;
/** Below this zoom, labels are skipped. */
const TEXT_BELOW = 0.45;

export class CanvasRenderer {
  private layout: Layout | null = null;
  private view: View = { scale: 1, x: 0, y: 0 };
  private dirty = false;
  private frame: number | null = null;
  private hovered: Hit = null;
  private selected: string | null = null;
  private drawnEdges: DrawnEdge[] = [];
  private drawnKey = "";
  private layoutVersion = 0;
  private frames = 0;
  private lastFrameMs = 0;
  private fitted = false;
  private textTimer: ReturnType<typeof setTimeout> | null = null;
  private drag: { x: number; y: number; moved: boolean; id: number } | null = null;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cleanup: (() => void)[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: RendererOptions = {},
  ) {
    const ctx = canvas.getContext("2d", { alpha: false });
    if (!ctx) throw new Error("This browser cannot draw on a canvas (2D context unavailable).");
    this.ctx = ctx;
    this.listen();
  }

  // --- public surface -------------------------------------------------------------------------------

  setLayout(layout: Layout): void {
    this.layout = layout;
    this.layoutVersion++;
    if (!this.fitted && layout.nodes.length > 0) {
      this.fit();
      return;
    }
    this.invalidate();
  }

  /** Marks a collector as selected (drawn with an accent frame). */
  select(collectorId: string | null): void {
    this.selected = collectorId;
    this.invalidate();
  }

  fit(): void {
    const { width, height } = this.cssSize();
    const l = this.layout;
    if (!l || l.width === 0 || width === 0 || height === 0) return;
    const margin = 24;
    const scale = Math.min(2, (width - margin * 2) / l.width, (height - margin * 2) / Math.max(1, l.height));
    this.view = {
      scale,
      x: (width - l.width * scale) / 2,
      y: Math.max(margin, (height - l.height * scale) / 2),
    };
    this.fitted = true;
    this.invalidate();
  }

  panBy(dx: number, dy: number): void {
    this.view = { ...this.view, x: this.view.x + dx, y: this.view.y + dy };
    this.invalidate();
  }

  /** Zooms by `factor` keeping the point (cx, cy) (canvas css px) where it is. */
  zoomBy(factor: number, cx?: number, cy?: number): void {
    const { width, height } = this.cssSize();
    const px = cx ?? width / 2;
    const py = cy ?? height / 2;
    const scale = Math.min(4, Math.max(0.0005, this.view.scale * factor));
    const k = scale / this.view.scale;
    this.view = { scale, x: px - (px - this.view.x) * k, y: py - (py - this.view.y) * k };
    this.invalidate();
  }

  getView(): View {
    return { ...this.view };
  }

  setView(view: View): void {
    this.view = { ...view };
    this.fitted = true;
    this.invalidate();
  }

  drawn(): DrawnEdge[] {
    return this.drawnEdges;
  }

  stats(): { frames: number; lastFrameMs: number } {
    return { frames: this.frames, lastFrameMs: this.lastFrameMs };
  }

  /** Call when the canvas's CSS size changes. */
  resize(): void {
    const { width, height } = this.cssSize();
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(width * dpr));
    const h = Math.max(1, Math.round(height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    if (!this.fitted) this.fit();
    this.invalidate();
  }

  invalidate(): void {
    this.dirty = true;
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      if (this.dirty) this.drawNow();
    });
  }

  destroy(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    if (this.textTimer !== null) clearTimeout(this.textTimer);
    for (const c of this.cleanup) c();
  }

  // --- drawing --------------------------------------------------------------------------------------

  private cssSize(): { width: number; height: number } {
    return { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
  }

  /** Draws synchronously (the rAF callback and benchmarks call this). */
  drawNow(): void {
    const started = performance.now();
    this.dirty = false;
    const ctx = this.ctx;
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = THEME.background;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const layout = this.layout;
    const drawn: DrawnEdge[] = [];
    let bandRange: [number, number] = [0, 0];
    const { scale, x, y } = this.view;
    const lod = scale < BANDS_ONLY_BELOW ? "bands" : scale < TEXT_BELOW ? "shapes" : "full";
    if (layout) {
      ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * x, dpr * y);
      const { height } = this.cssSize();
      const top = -y / scale;
      const bottom = (height - y) / scale;
      bandRange = visibleBands(layout, top, bottom);
      if (lod === "bands") this.drawBandsOnly(layout, bandRange);
      else {
        for (let b = bandRange[0]; b < bandRange[1]; b++) this.drawBand(layout, b, lod === "full", drawn);
      }
    }
    this.drawnEdges = drawn;
    this.frames++;
    this.lastFrameMs = performance.now() - started;
    this.syncTextLayer(layout, bandRange, lod);
  }

  private drawBandsOnly(layout: Layout, [start, end]: [number, number]): void {
    const ctx = this.ctx;
    for (let b = start; b < end; b++) {
      const band = layout.bands[b];
      const frame = band ? layout.nodes[band.nodeStart] : undefined;
      if (!band || !frame) continue;
      ctx.fillStyle = THEME.status[frame.status ?? ""] ?? THEME.frameStroke;
      ctx.fillRect(frame.x, frame.y, frame.w, Math.max(frame.h, 1 / this.view.scale));
    }
  }

  private drawBand(layout: Layout, b: number, text: boolean, drawn: DrawnEdge[]): void {
    const band = layout.bands[b];
    if (!band) return;
    const ctx = this.ctx;
    const frame = layout.nodes[band.nodeStart];
    if (frame) this.drawFrame(frame, text);
    for (let e = band.edgeStart; e < band.edgeEnd; e++) {
      const edge = layout.edges[e];
      if (!edge) continue;
      this.drawEdge(edge);
      drawn.push({
        id: edge.id,
        collectorId: edge.collectorId,
        host: edge.host,
        from: edge.from,
        to: edge.to,
        label: edge.label,
        state: edge.state,
        reason: edge.reason,
        width: edge.width,
      });
    }
    for (let n = band.nodeStart + 1; n < band.nodeEnd; n++) {
      const node = layout.nodes[n];
      if (node) this.drawNode(node, text);
    }
    if (text) for (let e = band.edgeStart; e < band.edgeEnd; e++) this.drawEdgeLabel(layout.edges[e]);
    ctx.setLineDash([]);
  }

  private drawFrame(frame: LayoutNode, text: boolean): void {
    const ctx = this.ctx;
    const selected = this.selected === frame.collectorId;
    const hovered = this.hovered?.kind === "node" && this.hovered.node.id === frame.id;
    ctx.fillStyle = THEME.frameFill;
    ctx.strokeStyle = selected ? THEME.frameSelected : hovered ? THEME.hover : THEME.frameStroke;
    ctx.lineWidth = selected || hovered ? 2 : 1;
    roundRect(ctx, frame.x, frame.y, frame.w, frame.h, 8);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = THEME.status[frame.status ?? ""] ?? THEME.status.no_telemetry ?? "#64748b";
    ctx.beginPath();
    ctx.arc(frame.x + 16, frame.y + 16, 5, 0, Math.PI * 2);
    ctx.fill();
    if (!text) return;
    ctx.textBaseline = "middle";
    ctx.fillStyle = THEME.headerText;
    ctx.font = `600 14px ${THEME.font}`;
    ctx.fillText(frame.label, frame.x + 28, frame.y + 16);
    const hostW = ctx.measureText(frame.label).width;
    ctx.fillStyle = THEME.detailText;
    ctx.font = `12px ${THEME.font}`;
    ctx.fillText(frame.detail, frame.x + 40 + hostW, frame.y + 16, Math.max(40, frame.w - hostW - 56));
  }

  private drawNode(node: LayoutNode, text: boolean): void {
    const ctx = this.ctx;
    const hovered = this.hovered?.kind === "node" && this.hovered.node.id === node.id;
    ctx.fillStyle = THEME.nodeFill;
    ctx.strokeStyle = hovered ? THEME.hover : THEME.nodeStroke;
    ctx.lineWidth = hovered ? 2 : 1;
    roundRect(ctx, node.x, node.y, node.w, node.h, 5);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = THEME.kind[node.kind];
    ctx.fillRect(node.x, node.y + 3, 4, node.h - 6);
    if (!text) return;
    ctx.fillStyle = THEME.nodeText;
    ctx.textBaseline = "middle";
    if (node.kind === "pipeline") {
      ctx.font = `600 12px ${THEME.font}`;
      ctx.fillText(`${node.label} · ${node.detail}`, node.x + 12, node.y + 14, node.w - 18);
      ctx.font = `12px ${THEME.font}`;
      ctx.fillStyle = THEME.detailText;
      const lines = node.lines ?? [];
      for (const [i, line] of lines.entries()) {
        const ly = node.y + 32 + i * 16;
        if (ly > node.y + node.h - 8) break;
        ctx.fillText(line, node.x + 12, ly, node.w - 18);
      }
      return;
    }
    ctx.font = `12px ${THEME.font}`;
    ctx.fillText(node.label, node.x + 10, node.y + node.h / 2, node.w - 16);
  }

  private drawEdge(edge: LayoutEdge): void {
    const ctx = this.ctx;
    const [p0, p1, p2, p3] = edge.points;
    const hovered = this.hovered?.kind === "edge" && this.hovered.edge.id === edge.id;
    const color = hovered
      ? THEME.hover
      : edge.state === "active"
        ? THEME.active
        : edge.state === "agent"
          ? THEME.agent
          : THEME.inactive;
    ctx.strokeStyle = color;
    ctx.lineWidth = THEME.widths[edge.width];
    ctx.setLineDash(edge.state === "inactive" ? [6, 5] : edge.state === "agent" ? [10, 4] : []);
    ctx.beginPath();
    ctx.moveTo(p0.x, p0.y);
    ctx.bezierCurveTo(p1.x, p1.y, p2.x, p2.y, p3.x, p3.y);
    ctx.stroke();
    // Arrow head at the target.
    ctx.setLineDash([]);
    ctx.fillStyle = color;
    const head = 5 + edge.width;
    ctx.beginPath();
    ctx.moveTo(p3.x, p3.y);
    ctx.lineTo(p3.x - head, p3.y - head / 1.6);
    ctx.lineTo(p3.x - head, p3.y + head / 1.6);
    ctx.closePath();
    ctx.fill();
  }

  private drawEdgeLabel(edge: LayoutEdge | undefined): void {
    if (!edge) return;
    const ctx = this.ctx;
    ctx.font = `600 12px ${THEME.font}`;
    ctx.textBaseline = "middle";
    const w = ctx.measureText(edge.label).width + 10;
    const { x, y } = edge.labelAt;
    ctx.fillStyle = THEME.labelFill;
    ctx.strokeStyle = edge.state === "inactive" ? THEME.inactive : THEME.frameStroke;
    ctx.lineWidth = 1;
    roundRect(ctx, x - w / 2, y - 9, w, 18, 9);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = edge.state === "inactive" ? THEME.detailText : THEME.labelText;
    ctx.textAlign = "center";
    ctx.fillText(edge.label, x, y);
    if (edge.failedLabel) {
      ctx.fillStyle = THEME.failed;
      ctx.font = `11px ${THEME.font}`;
      ctx.fillText(edge.failedLabel, x, y + 17);
    }
    ctx.textAlign = "start";
  }

  // --- accessible text layer -----------------------------------------------------------------------

  /** Rebuilding the list costs DOM work: while panning it is deferred until the view rests for a moment. */
  private syncTextLayer(layout: Layout | null, range: [number, number], lod: string): void {
    if (!this.options.textLayer) return;
    const key = `${this.layoutVersion}:${range[0]}:${range[1]}:${lod}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    if (this.textTimer !== null) clearTimeout(this.textTimer);
    const edges = this.drawnEdges;
    this.textTimer = setTimeout(() => {
      this.textTimer = null;
      this.writeTextLayer(layout, range, lod, edges);
    }, TEXT_LAYER_DELAY_MS);
  }

  private writeTextLayer(
    layout: Layout | null,
    [start, end]: [number, number],
    lod: string,
    drawnEdges: readonly DrawnEdge[],
  ): void {
    const layer = this.options.textLayer;
    if (!layer) return;
    const doc = layer.ownerDocument;
    const list = doc.createElement("ul");
    const limit = this.options.textLimit ?? 500;
    if (layout && lod === "bands" && end > start) {
      const li = doc.createElement("li");
      li.textContent = `${end - start} collectors shown as bands; zoom in or search to list their edges.`;
      list.append(li);
    }
    for (const [i, e] of drawnEdges.entries()) {
      if (i >= limit) {
        const li = doc.createElement("li");
        li.textContent = `and ${drawnEdges.length - limit} more edges; search to narrow.`;
        list.append(li);
        break;
      }
      const li = doc.createElement("li");
      li.dataset.edge = e.id;
      li.textContent = `${e.host}: ${e.from} -> ${e.to} ${e.label}${e.reason ? ` (${e.reason})` : ""}`;
      list.append(li);
    }
    layer.replaceChildren(list);
  }

  // --- input ------------------------------------------------------------------------------------------

  private toWorld(clientX: number, clientY: number): { x: number; y: number; cx: number; cy: number } {
    const rect = this.canvas.getBoundingClientRect();
    const cx = clientX - rect.left;
    const cy = clientY - rect.top;
    return { x: (cx - this.view.x) / this.view.scale, y: (cy - this.view.y) / this.view.scale, cx, cy };
  }

  /** What is under a client point (used by pointer handlers and tests). */
  hitAt(clientX: number, clientY: number): Hit {
    if (!this.layout) return null;
    const p = this.toWorld(clientX, clientY);
    return hitTest(this.layout, p, 4 / this.view.scale);
  }

  private on<K extends keyof HTMLElementEventMap>(
    type: K,
    fn: (e: HTMLElementEventMap[K]) => void,
    opts?: AddEventListenerOptions,
  ): void {
    this.canvas.addEventListener(type, fn, opts);
    this.cleanup.push(() => this.canvas.removeEventListener(type, fn));
  }

  private listen(): void {
    this.on("pointerdown", (e) => {
      this.drag = { x: e.clientX, y: e.clientY, moved: false, id: e.pointerId };
      this.canvas.setPointerCapture?.(e.pointerId);
    });
    this.on("pointermove", (e) => {
      if (this.drag && this.drag.id === e.pointerId) {
        const dx = e.clientX - this.drag.x;
        const dy = e.clientY - this.drag.y;
        if (this.drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
          this.drag = { ...this.drag, x: e.clientX, y: e.clientY, moved: true };
          this.panBy(dx, dy);
          return;
        }
      }
      const hit = this.hitAt(e.clientX, e.clientY);
      const before = this.hovered;
      const same =
        (hit === null && before === null) ||
        (hit?.kind === "edge" && before?.kind === "edge" && hit.edge.id === before.edge.id) ||
        (hit?.kind === "node" && before?.kind === "node" && hit.node.id === before.node.id);
      this.hovered = hit;
      this.canvas.style.cursor = hit?.kind === "node" ? "pointer" : hit ? "help" : "grab";
      this.options.onHover?.(hit, e.clientX, e.clientY);
      if (!same) this.invalidate();
    });
    this.on("pointerleave", () => {
      this.hovered = null;
      this.options.onHover?.(null, 0, 0);
      this.invalidate();
    });
    this.on("pointerup", (e) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved) {
        const hit = this.hitAt(e.clientX, e.clientY);
        if (hit?.kind === "node") this.options.onOpen?.(hit.node.collectorId);
        if (hit?.kind === "edge") this.options.onOpen?.(hit.edge.collectorId);
      }
    });
    this.on(
      "wheel",
      (e) => {
        e.preventDefault();
        const p = this.toWorld(e.clientX, e.clientY);
        this.zoomBy(Math.exp(-e.deltaY * 0.0015), p.cx, p.cy);
      },
      { passive: false },
    );
    this.on("keydown", (e) => {
      const step = 60;
      const keys: Record<string, () => void> = {
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
        "+": () => this.zoomBy(1.25),
        "=": () => this.zoomBy(1.25),
        "-": () => this.zoomBy(0.8),
        "0": () => this.fit(),
        f: () => this.fit(),
      };
      const action = keys[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    });
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

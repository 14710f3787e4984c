// <lm-graph>: hosts the canvas renderer for a topology: layout on change, tooltip on hover, `open` on click,
// a visually hidden list of the drawn edges, and the `window.__linkmeshCanvas` test hook.
import { css, html, LitElement, type PropertyValues } from "lit";
import { CanvasRenderer, type DrawnEdge, type View } from "../canvas/index.js";
import { type Hit, type Layout, layoutTopology } from "../layout/index.js";
import type { Topology } from "../store/index.js";
import { base } from "./styles.js";

export interface CanvasHook {
  drawn(): DrawnEdge[];
  stats(): { frames: number; lastFrameMs: number };
  layout(): Layout | null;
  fit(): void;
  panBy(dx: number, dy: number): void;
  zoomBy(factor: number): void;
  getView(): View;
  setView(view: View): void;
  drawNow(): void;
  hitAt(clientX: number, clientY: number): Hit;
}

declare global {
  interface Window {
    __linkmeshCanvas?: CanvasHook;
  }
}

export class TopologyGraph extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; position: relative; }
      canvas { display: block; width: 100%; height: 100%; border-radius: 8px; border: 1px solid #d5dce6; touch-action: none; }
      .tip {
        position: absolute; pointer-events: none; background: #0f172a; color: #fff; padding: 6px 9px;
        border-radius: 6px; font-size: 12px; max-width: 360px; z-index: 2; box-shadow: 0 4px 12px #0003;
      }
      .tip strong { display: block; }
      .keys { position: absolute; right: 10px; bottom: 8px; font-size: 12px; color: #475467; background: #ffffffd9; padding: 2px 6px; border-radius: 4px; }
    `,
  ];
  static override properties = {
    topology: { attribute: false },
    now: { attribute: false },
    query: { attribute: false },
    selected: { attribute: false },
    label: { attribute: false },
    tip: { state: true },
  };
  topology: Topology | null = null;
  now = 0;
  query = "";
  selected: string | null = null;
  label = "Topology";
  tip: { x: number; y: number; title: string; lines: string[] } | null = null;

  private renderer: CanvasRenderer | null = null;
  private observer: ResizeObserver | null = null;
  private layout: Layout | null = null;

  override firstUpdated(): void {
    const canvas = this.renderRoot.querySelector("canvas");
    const layer = this.renderRoot.querySelector<HTMLElement>(".edges");
    if (!canvas || !layer) return;
    this.renderer = new CanvasRenderer(canvas, {
      textLayer: layer,
      onHover: (hit, clientX, clientY) => this.hover(hit, clientX, clientY),
      onOpen: (collectorId) =>
        this.dispatchEvent(new CustomEvent("open", { detail: { collectorId }, bubbles: true, composed: true })),
    });
    this.observer = new ResizeObserver(() => this.renderer?.resize());
    this.observer.observe(canvas);
    this.renderer.resize();
    this.relayout();
    const r = this.renderer;
    window.__linkmeshCanvas = {
      drawn: () => r.drawn(),
      stats: () => r.stats(),
      layout: () => this.layout,
      fit: () => r.fit(),
      panBy: (dx, dy) => r.panBy(dx, dy),
      zoomBy: (f) => r.zoomBy(f),
      getView: () => r.getView(),
      setView: (v) => r.setView(v),
      drawNow: () => r.drawNow(),
      hitAt: (x, y) => r.hitAt(x, y),
    };
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has("topology") || changed.has("query") || changed.has("now")) this.relayout();
    if (changed.has("selected")) this.renderer?.select(this.selected);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.renderer?.destroy();
    this.renderer = null;
  }

  private relayout(): void {
    if (!this.renderer || !this.topology) return;
    this.layout = layoutTopology(this.topology, { now: this.now || Date.now(), query: this.query });
    this.renderer.setLayout(this.layout);
  }

  fit(): void {
    this.renderer?.fit();
  }

  zoom(factor: number): void {
    this.renderer?.zoomBy(factor);
  }

  private hover(hit: Hit, clientX: number, clientY: number): void {
    if (!hit) {
      this.tip = null;
      return;
    }
    const box = this.getBoundingClientRect();
    const at = { x: clientX - box.left + 14, y: clientY - box.top + 14 };
    if (hit.kind === "edge") {
      const e = hit.edge;
      this.tip = {
        ...at,
        title: `${e.from} → ${e.to}`,
        lines: [
          `${e.host} · ${e.label}`,
          ...(e.failedLabel ? [e.failedLabel] : []),
          ...(e.reason ? [e.state === "agent" ? "via agent (no OTLP rate)" : `inactive: ${e.reason}`] : []),
        ],
      };
    } else {
      const n = hit.node;
      this.tip = {
        ...at,
        title: n.kind === "collector" ? n.label : n.id.slice(n.collectorId.length + 1),
        lines: [n.kind === "collector" ? n.detail : `${n.kind} · ${n.detail}`, "click to open the collector"],
      };
    }
  }

  override render() {
    return html`
      <canvas tabindex="0" role="img"
        aria-label="${this.label}. Drag or use the arrow keys to pan, + and - to zoom, 0 to fit. The edge list follows."
        aria-describedby="edge-list"></canvas>
      <div id="edge-list" class="edges visually-hidden" aria-live="off"></div>
      ${
        this.tip
          ? html`<div class="tip" role="tooltip" style="left:${this.tip.x}px;top:${this.tip.y}px">
            <strong>${this.tip.title}</strong>${this.tip.lines.map((l) => html`<div>${l}</div>`)}
          </div>`
          : null
      }
      <div class="keys" aria-hidden="true">drag to pan · wheel to zoom · 0 fits</div>
    `;
  }
}
customElements.define("lm-graph", TopologyGraph);

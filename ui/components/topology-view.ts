// <lm-topology>: the fleet canvas with search, rate window and fit; teaches how to start when the fleet is empty.
import { css, html, LitElement } from "lit";
import { RATE_WINDOWS, type RateWindow, type Topology } from "../store/index.js";
import type { TopologyGraph } from "./graph.js";
import { base } from "./styles.js";

export class TopologyView extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; gap: 12px; height: 100%; }
      .bar { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
      .bar .grow { flex: 1; }
      lm-graph { flex: 1; min-height: 420px; }
      .legend { display: flex; gap: 16px; font-size: 12px; color: #334155; flex-wrap: wrap; }
      .legend span::before { content: ""; display: inline-block; width: 22px; height: 0; margin-right: 6px; vertical-align: middle; border-top: 3px solid #2563eb; }
      .legend .agent::before { border-top: 3px dashed #0f766e; }
      .legend .inactive::before { border-top: 2px dashed #8a94a6; }
    `,
  ];
  static override properties = {
    topology: { attribute: false },
    topologyAt: { attribute: false },
    window: { attribute: false },
    live: { attribute: false },
    relayUrl: { attribute: false },
    query: { state: true },
  };
  topology: Topology | null = null;
  topologyAt: number | null = null;
  window: RateWindow = "1m";
  live = "idle";
  relayUrl = "";
  query = "";

  private graph(): TopologyGraph | null {
    return this.renderRoot.querySelector("lm-graph");
  }

  override render() {
    const t = this.topology;
    if (t && t.collectors.length === 0) {
      return html`<h1>Topology</h1><lm-first-host .relayUrl=${this.relayUrl}></lm-first-host>`;
    }
    const edges = t?.collectors.reduce((n, c) => n + c.edges.length, 0) ?? 0;
    return html`
      <div class="bar">
        <h1 class="grow" style="margin:0">Topology</h1>
        <label>Search host or component
          <input type="search" .value=${this.query} placeholder="e.g. web-01 or otlphttp"
            @input=${(e: InputEvent) => {
              this.query = (e.target as HTMLInputElement).value;
            }} />
        </label>
        <label>Rate window
          <select .value=${this.window} @change=${(e: Event) =>
            this.dispatchEvent(
              new CustomEvent("window-change", {
                detail: { window: (e.target as HTMLSelectElement).value },
                bubbles: true,
                composed: true,
              }),
            )}>
            ${RATE_WINDOWS.map((w) => html`<option value=${w} ?selected=${w === this.window}>${w}</option>`)}
          </select>
        </label>
        <button type="button" @click=${() => this.graph()?.fit()}>Fit</button>
        <button type="button" aria-label="Zoom in" @click=${() => this.graph()?.zoom(1.25)}>+</button>
        <button type="button" aria-label="Zoom out" @click=${() => this.graph()?.zoom(0.8)}>−</button>
      </div>
      <div class="legend" aria-label="Legend">
        <span>OTLP rate (width: 5 steps of the largest)</span><span class="agent">rate via agent</span>
        <span class="inactive">no data (hover for why)</span>
        <em class="muted" role="status">${t ? `${t.collectors.length} collectors, ${edges} edges` : "loading…"} · live: ${this.live}</em>
      </div>
      <lm-graph .topology=${t} .now=${this.topologyAt ?? 0} .query=${this.query} label="Fleet topology"></lm-graph>
    `;
  }
}
customElements.define("lm-topology", TopologyView);

// <lm-collector>: one collector: header facts, its pipeline graph with per-edge numbers, its Events tab and its
// Diagnostics tab (doctor verdict, support snapshots).
import { css, html, LitElement } from "lit";
import { edgeStatus, formatRate } from "../layout/index.js";
import { type CollectorTab, hrefOf } from "../route/index.js";
import type {
  CollectorDiagnostics,
  CollectorEvent,
  CollectorSummary,
  Topology,
  TopologyCollector,
} from "../store/index.js";
import { ago, hostSummary } from "./host.js";
import { base } from "./styles.js";

export class CollectorPage extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; gap: 12px; }
      .facts { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0; }
      .facts div { display: flex; flex-direction: column; }
      .facts dt { font-size: 12px; color: #475467; text-transform: uppercase; letter-spacing: 0.04em; }
      .facts dd { margin: 0; font-weight: 600; }
      [role="tablist"] { display: flex; gap: 4px; border-bottom: 1px solid #cbd5e1; }
      [role="tab"] { padding: 8px 14px; text-decoration: none; color: #334155; border-bottom: 3px solid transparent; }
      [role="tab"][aria-selected="true"] { color: #1d4ed8; border-bottom-color: #1d4ed8; font-weight: 600; }
      lm-graph { height: 360px; }
      .sev-warning { color: #92400e; } .sev-error { color: #b91c1c; }
      .head { display: flex; align-items: center; gap: 12px; }
    `,
  ];
  static override properties = {
    collectorId: { attribute: false },
    tab: { attribute: false },
    topology: { attribute: false },
    topologyAt: { attribute: false },
    summary: { attribute: false },
    events: { attribute: false },
    diagnostics: { attribute: false },
    typeFilter: { state: true },
  };
  collectorId = "";
  tab: CollectorTab = "graph";
  topology: Topology | null = null;
  topologyAt: number | null = null;
  summary: CollectorSummary | null = null;
  events: CollectorEvent[] | null = null;
  diagnostics: CollectorDiagnostics | null = null;
  typeFilter = "";

  private collector(): TopologyCollector | null {
    return this.topology?.collectors.find((c) => c.id === this.collectorId) ?? null;
  }

  private renderGraph(c: TopologyCollector) {
    const now = this.topologyAt ?? Date.now();
    return html`
      <lm-graph .topology=${{ collectors: [c] }} .now=${now} label="Pipeline of ${c.hostname}"></lm-graph>
      <table>
        <caption class="visually-hidden">Edges of ${c.hostname}</caption>
        <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Signal</th><th scope="col">Rate</th>
          <th scope="col">Failed</th><th scope="col">Via</th><th scope="col">State</th></tr></thead>
        <tbody>${c.edges.map((e) => {
          const s = edgeStatus(e, c.lastPushAt, now);
          const name = (id: string) => (id === c.id ? html`<em>pipeline</em>` : html`<code>${id}</code>`);
          return html`<tr><td>${name(e.from)}</td><td>${name(e.to)}</td><td>${e.signal ?? "–"}</td>
            <td>${e.ratePerSecond === null ? "–" : formatRate(e.ratePerSecond)}</td>
            <td>${e.failedPerSecond ? formatRate(e.failedPerSecond) : "–"}</td><td>${e.via}</td>
            <td>${s.state === "active" ? "active" : s.reason}</td></tr>`;
        })}</tbody>
      </table>
      ${
        c.edges.length === 0
          ? html`<p class="empty">No pipeline reported yet. The agent sends the component graph parsed from the
            collector's config when it connects; OTLP pushes alone give rates once a graph names their components.</p>`
          : null
      }`;
  }

  private renderEvents() {
    const events = this.events;
    if (events === null) return html`<p class="muted" role="status">Loading events…</p>`;
    const types = [...new Set(events.map((e) => e.type))].sort();
    const shown = this.typeFilter ? events.filter((e) => e.type === this.typeFilter) : events;
    return html`
      <label>Event type
        <select .value=${this.typeFilter} @change=${(e: Event) => {
          this.typeFilter = (e.target as HTMLSelectElement).value;
        }}>
          <option value="">all (${events.length})</option>
          ${types.map((t) => html`<option value=${t}>${t.replace(/_/g, " ")}</option>`)}
        </select>
      </label>
      ${
        shown.length === 0
          ? html`<p class="muted">No events${this.typeFilter ? " of this type" : ""} yet.</p>`
          : html`<table class="events">
            <caption class="visually-hidden">Events, newest first</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Type</th><th scope="col">What happened</th></tr></thead>
            <tbody>${shown.map(
              (e) => html`<tr data-type=${e.type}>
                <td><time datetime=${new Date(e.time).toISOString()}>${new Date(e.time).toLocaleString()}</time></td>
                <td class="sev-${e.severity}">${e.type.replace(/_/g, " ")}</td>
                <td>${e.message}${detailText(e) ? html`<div class="muted">${detailText(e)}</div>` : null}</td>
              </tr>`,
            )}</tbody>
          </table>`
      }`;
  }

  private renderTab(c: TopologyCollector | null, hostname: string) {
    switch (this.tab) {
      case "events":
        return this.renderEvents();
      case "diagnostics":
        return html`<lm-diagnostics .collectorId=${this.collectorId} .hostname=${hostname}
          .diagnostics=${this.diagnostics}></lm-diagnostics>`;
      case "graph":
        return c ? this.renderGraph(c) : html`<p class="muted">No topology for this collector yet.</p>`;
    }
  }

  override render() {
    const c = this.collector();
    const s = this.summary;
    if (!c && !s) {
      return this.topology
        ? html`<h1>Collector not found</h1><p>It may have been deregistered. <a href="#/collectors">Back to collectors</a></p>`
        : html`<p class="muted" role="status">Loading…</p>`;
    }
    const hostname = c?.hostname ?? s?.hostname ?? this.collectorId;
    const host = hostSummary({ ...(s?.hostMetrics ?? {}), ...(c?.hostMetrics ?? {}) });
    const status = c?.status ?? "unknown";
    const id = this.collectorId;
    return html`
      <div class="head">
        <h1 style="margin:0">${hostname}</h1>
        <span class="status ${status}">${status.replace(/_/g, " ")}</span>
        <span style="flex:1"></span>
        <lm-row-actions .hostname=${hostname} .collectorId=${id}></lm-row-actions>
      </div>
      <dl class="facts">
        <div><dt>Collector</dt><dd>${c?.type ?? s?.type} ${c?.version ?? s?.version ?? ""}</dd></div>
        ${c?.statusReason ? html`<div><dt>Why</dt><dd>${c.statusReason}</dd></div>` : null}
        <div><dt>Last push</dt><dd>${ago(c?.lastPushAt ?? s?.lastPushAt ?? null, Date.now())}</dd></div>
        <div><dt>CPU</dt><dd>${host.cpu}</dd></div><div><dt>Memory</dt><dd>${host.memory}</dd></div>
        <div><dt>Uptime</dt><dd>${host.uptime}</dd></div>
        <div><dt>ID</dt><dd><code>${id}</code></dd></div>
      </dl>
      <nav role="tablist" aria-label="Collector views">
        <a role="tab" href=${hrefOf({ page: "collector", id, tab: "graph" })} aria-selected=${this.tab === "graph" ? "true" : "false"}>Pipeline</a>
        <a role="tab" href=${hrefOf({ page: "collector", id, tab: "events" })} aria-selected=${this.tab === "events" ? "true" : "false"}>Events</a>
        <a role="tab" href=${hrefOf({ page: "collector", id, tab: "diagnostics" })} aria-selected=${this.tab === "diagnostics" ? "true" : "false"}>Diagnostics</a>
      </nav>
      <section role="tabpanel">${this.renderTab(c, hostname)}</section>
    `;
  }
}

/** The detail fields an operator acts on (reason, component, ...), as one short line. */
function detailText(e: CollectorEvent): string {
  return Object.entries(e.detail)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(" · ");
}
customElements.define("lm-collector", CollectorPage);

// <lm-collectors>: the fleet as a table: host, type/version, status with reason, last push, CPU/memory/uptime.
import { html, LitElement } from "lit";
import type { CollectorSummary, Topology, TopologyCollector } from "../store/index.js";
import { ago, hostSummary } from "./host.js";
import { base } from "./styles.js";

export class CollectorsList extends LitElement {
  static override styles = base;
  static override properties = {
    collectors: { attribute: false },
    topology: { attribute: false },
    now: { attribute: false },
    relayUrl: { attribute: false },
  };
  collectors: CollectorSummary[] | null = null;
  topology: Topology | null = null;
  now = Date.now();
  relayUrl = "";

  override render() {
    const list = this.collectors;
    if (list === null) return html`<h1>Collectors</h1><p class="muted" role="status">Loading…</p>`;
    if (list.length === 0) return html`<h1>Collectors</h1><lm-first-host .relayUrl=${this.relayUrl}></lm-first-host>`;
    const byId = new Map<string, TopologyCollector>((this.topology?.collectors ?? []).map((c) => [c.id, c]));
    return html`<h1>Collectors</h1>
      <table>
        <caption class="visually-hidden">Enrolled collectors</caption>
        <thead><tr><th scope="col">Host</th><th scope="col">Collector</th><th scope="col">Status</th>
          <th scope="col">Last push</th><th scope="col">CPU</th><th scope="col">Memory</th><th scope="col">Uptime</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${list.map((c) => {
            const t = byId.get(c.id);
            const host = hostSummary({ ...c.hostMetrics, ...(t?.hostMetrics ?? {}) }, this.now);
            const status = t?.status ?? "unknown";
            const reason = t?.statusReason ?? (c.lastRejection ? `push rejected: ${c.lastRejection.reason}` : null);
            return html`<tr data-collector=${c.id}>
              <th scope="row"><a href="#/collectors/${encodeURIComponent(c.id)}">${c.hostname}</a></th>
              <td>${c.type}${c.version ? html` <span class="muted">${c.version}</span>` : null}</td>
              <td><span class="status ${status}">${status.replace(/_/g, " ")}</span>
                ${reason ? html`<div class="muted">${reason}</div>` : null}</td>
              <td title=${c.lastPushAt ? new Date(c.lastPushAt).toISOString() : ""}>${ago(c.lastPushAt, this.now)}</td>
              <td>${host.cpu}</td><td>${host.memory}</td><td>${host.uptime}</td>
              <td><lm-row-actions .hostname=${c.hostname} .collectorId=${c.id}></lm-row-actions></td>
            </tr>`;
          })}
        </tbody>
      </table>`;
  }
}
customElements.define("lm-collectors", CollectorsList);

// <lm-diagnostics>: a collector's Diagnostics tab: run doctor and read its verdict; request, list and download
// support snapshots. Renders what it is given; asks for work with `run-doctor` / `request-snapshot` events.
import { css, html, LitElement, nothing } from "lit";
import { formatAge, formatBytes } from "../layout/index.js";
import type { ActionState, CollectorDiagnostics, DoctorCheck, DoctorRecord, SnapshotSummary } from "../store/index.js";
import { problemHeadline, verdictAge, verdictHeadline } from "./diagnostics-text.js";
import { base } from "./styles.js";

const STATUS_TEXT: Record<DoctorCheck["status"], string> = { ok: "✓ ok", fail: "✗ fail", skipped: "– skipped" };
/** Ages and elapsed times move on their own; one tick every second while a run is shown is enough. */
const TICK_MS = 1_000;

export class DiagnosticsPanel extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; max-width: 1100px; }
      section { display: flex; flex-direction: column; gap: 10px; }
      .bar { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
      .bar h2 { margin: 0; }
      .bar .muted { flex: 1; min-width: 240px; margin: 0; }
      .running { display: flex; align-items: center; gap: 10px; margin: 0; }
      progress { width: 160px; }
      .problem { border-left: 4px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 10px 12px; border-radius: 4px; }
      .problem p { margin: 4px 0 0; }
      .headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin: 0; }
      .headline strong { font-size: 15px; }
      .headline.ok strong { color: #166534; }
      .headline.fail strong { color: #b91c1c; }
      ol.checks { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
      .check { background: #fff; border: 1px solid #d5dce6; border-radius: 8px; padding: 10px 14px; }
      .check.skipped { background: #f8fafc; }
      .check.skipped .title { color: #475467; }
      .check.stuck { border: 2px solid #b91c1c; background: #fff7f7; box-shadow: 0 1px 4px #b91c1c33; }
      .check-head { display: flex; gap: 10px; align-items: baseline; }
      .title { font-weight: 600; }
      .badge { display: inline-block; min-width: 76px; font-size: 12px; font-weight: 700; padding: 2px 8px; border-radius: 999px; text-align: center; }
      .badge.ok { background: #dcfce7; color: #14532d; }
      .badge.fail { background: #b91c1c; color: #fff; }
      .badge.skipped { background: #e2e8f0; color: #334155; }
      .first-fail { font-size: 12px; font-weight: 700; color: #b91c1c; text-transform: uppercase; letter-spacing: 0.04em; }
      ul.evidence { margin: 6px 0 0 86px; padding-left: 16px; color: #334155; }
      ul.evidence code { white-space: pre-wrap; word-break: break-word; }
      .fix { margin: 8px 0 0 86px; padding: 6px 10px; background: #fef3c7; color: #78350f; border-radius: 4px; }
      td.marker code { font-weight: 600; }
      .snapshots td, .snapshots th { white-space: nowrap; }
      .snapshots td.file { white-space: normal; word-break: break-all; }
    `,
  ];
  static override properties = {
    collectorId: { attribute: false },
    hostname: { attribute: false },
    diagnostics: { attribute: false },
    now: { state: true },
  };
  collectorId = "";
  hostname = "";
  diagnostics: CollectorDiagnostics | null = null;
  now = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => {
      this.now = Date.now();
    }, TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private ask(name: "run-doctor" | "request-snapshot") {
    this.dispatchEvent(
      new CustomEvent(name, { detail: { collectorId: this.collectorId }, bubbles: true, composed: true }),
    );
  }

  private renderRunning(run: ActionState, text: string) {
    if (run.state !== "running") return nothing;
    return html`<p class="running"><progress aria-label=${text}></progress>
      <span>${text} ${formatAge(this.now - run.since)}</span></p>`;
  }

  private renderProblem(run: ActionState, action: "doctor" | "snapshot", after: string | null) {
    if (run.state !== "failed") return nothing;
    return html`<div class="problem" role="alert" data-reason=${run.reason}>
      <strong>${problemHeadline(run, action)}</strong>
      <p>${run.message}</p>
      ${after ? html`<p>${after}</p>` : nothing}
    </div>`;
  }

  private renderCheck(check: DoctorCheck, stuck: boolean) {
    return html`<li class="check ${check.status} ${stuck ? "stuck" : ""}" data-check=${check.id}
        data-status=${check.status} aria-current=${stuck ? "step" : "false"}>
      <div class="check-head">
        <span class="badge ${check.status}">${STATUS_TEXT[check.status]}</span>
        <span class="title">${check.title}</span>
        ${stuck ? html`<span class="first-fail">first failing check</span>` : nothing}
      </div>
      ${
        check.evidence.length > 0
          ? html`<ul class="evidence" aria-label="Evidence">${check.evidence.map((e) => html`<li><code>${e}</code></li>`)}</ul>`
          : nothing
      }
      ${check.fix && check.status !== "ok" ? html`<p class="fix"><strong>Fix:</strong> ${check.fix}</p>` : nothing}
    </li>`;
  }

  private renderVerdict(record: DoctorRecord | null | undefined) {
    if (record === undefined) return html`<p class="muted">Loading the last verdict…</p>`;
    if (record === null)
      return html`<p class="empty">Doctor has not run for ${this.hostname} yet. <strong>Run doctor</strong> asks the
        agent to work through the troubleshooting checks on the host, top-down, and name the first broken link and its
        fix.</p>`;
    const v = record.verdict;
    const at = new Date(record.at);
    return html`
      <p class="headline ${v.ok ? "ok" : "fail"}" data-verdict=${v.ok ? "ok" : "fail"}>
        <strong>${verdictHeadline(v)}</strong>
        <span class="muted">Last run ${verdictAge(record, this.now)}
          (<time datetime=${at.toISOString()}>${at.toLocaleString()}</time>)</span>
      </p>
      <ol class="checks" aria-label="Doctor checks, top-down">
        ${v.checks.map((c) => this.renderCheck(c, c.id === v.stuckAt))}
      </ol>`;
  }

  private renderSnapshots(list: SnapshotSummary[] | undefined) {
    if (list === undefined) return html`<p class="muted">Loading snapshots…</p>`;
    if (list.length === 0) return html`<p class="muted">No snapshot stored for ${this.hostname} yet.</p>`;
    return html`<table class="snapshots">
      <caption class="visually-hidden">Stored support snapshots of ${this.hostname}, newest first</caption>
      <thead><tr><th scope="col">Taken</th><th scope="col">Size</th><th scope="col">Marker id</th>
        <th scope="col">File</th><th scope="col"><span class="visually-hidden">Download</span></th></tr></thead>
      <tbody>${list.map((s) => {
        const at = new Date(s.createdAt);
        return html`<tr data-snapshot=${s.id}>
          <td><time datetime=${at.toISOString()}>${at.toLocaleString()}</time></td>
          <td>${formatBytes(s.sizeBytes)}${s.truncated ? html` <span class="muted">(cut at the size cap)</span>` : nothing}</td>
          <td class="marker"><code>${s.markerId}</code></td>
          <td class="file">${s.fileName}</td>
          <td><a href=${s.href} download=${s.fileName} aria-label="Download snapshot ${s.markerId}">Download</a></td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  override render() {
    const d = this.diagnostics;
    if (d === null) return html`<p class="muted" role="status">Loading diagnostics…</p>`;
    const doctorBusy = d.doctorRun.state === "running";
    const snapshotBusy = d.snapshotRun.state === "running";
    const lastKept =
      d.doctor && d.doctorRun.state === "failed"
        ? `The verdict below is the last one the relay kept, from ${verdictAge(d.doctor, this.now)}.`
        : null;
    return html`
      ${d.loadError ? html`<p class="error" role="alert">${d.loadError}</p>` : nothing}
      <section aria-labelledby="doctor-title" aria-busy=${doctorBusy ? "true" : "false"}>
        <div class="bar">
          <h2 id="doctor-title">Doctor</h2>
          <p class="muted">Runs the troubleshooting checks on the host, top-down, and stops explaining at the first
            failing link.</p>
          <button type="button" class="primary" ?disabled=${doctorBusy} @click=${() => this.ask("run-doctor")}>
            ${doctorBusy ? "Running doctor…" : "Run doctor"}</button>
        </div>
        <div role="status" aria-live="polite">${this.renderRunning(d.doctorRun, `Running doctor on ${this.hostname}…`)}</div>
        ${this.renderProblem(d.doctorRun, "doctor", lastKept)}
        ${this.renderVerdict(d.doctor)}
      </section>
      <section aria-labelledby="snapshots-title" aria-busy=${snapshotBusy ? "true" : "false"}>
        <div class="bar">
          <h2 id="snapshots-title">Support snapshots</h2>
          <p class="muted">A scrubbed .tar.gz from the host: effective config, the last 15 minutes of the collector's
            journal, the agent's log and the doctor result. Secrets are masked (last 4 characters kept).</p>
          <button type="button" ?disabled=${snapshotBusy} @click=${() => this.ask("request-snapshot")}>
            ${snapshotBusy ? "Collecting snapshot…" : "Request snapshot"}</button>
        </div>
        <div role="status" aria-live="polite">${this.renderRunning(
          d.snapshotRun,
          `Collecting a snapshot on ${this.hostname} and uploading it…`,
        )}</div>
        ${this.renderProblem(d.snapshotRun, "snapshot", null)}
        ${this.renderSnapshots(d.snapshots)}
      </section>
    `;
  }
}
customElements.define("lm-diagnostics", DiagnosticsPanel);

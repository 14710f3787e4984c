// <linkmesh-app>: the shell. Owns the RelayStore and the hash route, passes state down, turns events into store calls.
import { css, html, LitElement } from "lit";
import { hrefOf, parseRoute, type Route } from "../route/index.js";
import { messageOf, type RateWindow, RelayStore, type StoreState } from "../store/index.js";
import { base } from "./styles.js";

export class LinkmeshApp extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; background: #eef2f7; }
      header { display: flex; align-items: center; gap: 20px; padding: 0 20px; background: #13233f; color: #fff; }
      header .brand { font-weight: 700; font-size: 16px; padding: 12px 0; }
      nav { display: flex; gap: 4px; flex: 1; }
      nav a { color: #dbe4f3; text-decoration: none; padding: 14px 12px; border-bottom: 3px solid transparent; }
      nav a[aria-current="page"] { color: #fff; border-bottom-color: #f59e0b; font-weight: 600; }
      nav a:focus-visible, header button:focus-visible { outline-color: #f59e0b; }
      header button { background: transparent; color: #fff; border-color: #8da2c0; }
      main { flex: 1; padding: 20px; display: flex; flex-direction: column; }
      main > * { flex: 1; }
      .banner { background: #fef3c7; color: #78350f; padding: 8px 20px; }
      .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px; z-index: 10; }
    `,
  ];
  static override properties = {
    state: { state: true },
    route: { state: true },
    loginError: { state: true },
    notice: { state: true },
  };
  readonly store = new RelayStore();
  state: StoreState = this.store.state;
  route: Route = parseRoute(location.hash);
  loginError: string | null = null;
  notice: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  private readonly onHash = () => {
    this.route = parseRoute(location.hash);
    this.syncWatch();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.store.subscribe((s) => {
      this.state = s;
    });
    window.addEventListener("hashchange", this.onHash);
    void this.store.start().then(() => this.syncWatch());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    window.removeEventListener("hashchange", this.onHash);
    this.store.disconnect();
  }

  /** Keeps the open collector's events fresh while its Events tab is shown; loads its Diagnostics tab on open. */
  private syncWatch(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.route.page !== "collector" || this.state.session !== "signed_in") return;
    if (this.route.tab === "events") this.unwatch = this.store.watchEvents(this.route.id);
    if (this.route.tab === "diagnostics") void this.store.loadDiagnostics(this.route.id);
  }

  private async login(e: CustomEvent<{ token: string }>) {
    try {
      await this.store.login(e.detail.token);
      this.loginError = null;
      this.syncWatch();
    } catch (error) {
      this.loginError = messageOf(error);
    }
  }

  private async deregister(e: CustomEvent<{ collectorId: string }>) {
    const c = this.state.collectors?.find((x) => x.id === e.detail.collectorId);
    try {
      await this.store.deregister(e.detail.collectorId);
      this.notice = `${c?.hostname ?? "The collector"} was deregistered; its tokens are revoked.`;
      if (this.route.page === "collector") location.hash = hrefOf({ page: "collectors" });
    } catch (error) {
      this.notice = `Deregistering failed: ${messageOf(error)}`;
    }
  }

  private page() {
    const s = this.state;
    const r = this.route;
    const relayUrl = this.store.relayUrl();
    switch (r.page) {
      case "topology":
        return html`<lm-topology .topology=${s.topology} .topologyAt=${s.topologyAt} .window=${s.window} .live=${s.live}
          .relayUrl=${relayUrl}
          @window-change=${(e: CustomEvent<{ window: RateWindow }>) => this.store.setWindow(e.detail.window)}
          @open=${(e: CustomEvent<{ collectorId: string }>) => {
            location.hash = hrefOf({ page: "collector", id: e.detail.collectorId, tab: "graph" });
          }}></lm-topology>`;
      case "collectors":
        return html`<lm-collectors .collectors=${s.collectors} .topology=${s.topology} .now=${s.topologyAt ?? Date.now()}
          .relayUrl=${relayUrl}></lm-collectors>`;
      case "collector":
        return html`<lm-collector .collectorId=${r.id} .tab=${r.tab} .topology=${s.topology} .topologyAt=${s.topologyAt}
          .summary=${s.collectors?.find((c) => c.id === r.id) ?? null} .events=${s.events.get(r.id) ?? null}
          .diagnostics=${s.diagnostics.get(r.id) ?? null}
          @run-doctor=${(e: CustomEvent<{ collectorId: string }>) => void this.store.runDoctor(e.detail.collectorId)}
          @request-snapshot=${(e: CustomEvent<{ collectorId: string }>) =>
            void this.store.requestSnapshot(e.detail.collectorId)}></lm-collector>`;
      case "enroll":
        return html`<lm-enroll .tokens=${this.store}></lm-enroll>`;
    }
  }

  override render() {
    if (this.state.session === "unknown")
      return html`<main><p class="muted" role="status">Connecting to the relay…</p></main>`;
    if (this.state.session === "signed_out")
      return html`<main><lm-login .error=${this.loginError} @login=${this.login}></lm-login></main>`;
    const current = this.route.page === "collector" ? "collectors" : this.route.page;
    const link = (page: "topology" | "collectors" | "enroll", text: string) =>
      html`<a href=${hrefOf({ page })} aria-current=${current === page ? "page" : "false"}>${text}</a>`;
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => {
        e.preventDefault();
        this.renderRoot.querySelector<HTMLElement>("main")?.focus();
      }}>Skip to content</a>
      <header>
        <span class="brand">LinkMesh</span>
        <nav aria-label="Main">${link("topology", "Topology")}${link("collectors", "Collectors")}${link("enroll", "Enroll")}</nav>
        <button type="button" @click=${() => void this.store.logout()}>Sign out</button>
      </header>
      ${this.state.error ? html`<div class="banner" role="alert">${this.state.error}</div>` : null}
      ${
        this.notice
          ? html`<div class="banner" role="status">${this.notice}
        <button type="button" @click=${() => {
          this.notice = null;
        }}>Dismiss</button></div>`
          : null
      }
      <main id="main" tabindex="-1" @deregister=${this.deregister}>${this.page()}</main>
    `;
  }
}
customElements.define("linkmesh-app", LinkmeshApp);

// <lm-enroll>: mint an enrollment token (expiry, uses, labels), show it once with the install one-liner, list and
// revoke tokens. Talks to the relay only through the `tokens` port it is given (the RelayStore).
import { css, html, LitElement } from "lit";
import type { MintedToken, MintRequest, TokenSummary } from "../store/index.js";
import { installCommand, parseLabels } from "./enroll-text.js";
import { base } from "./styles.js";

export interface TokensPort {
  mintToken(request: MintRequest): Promise<MintedToken>;
  listTokens(): Promise<TokenSummary[]>;
  revokeToken(id: string): Promise<void>;
  relayUrl(): string;
}

export class EnrollPage extends LitElement {
  static override styles = [
    base,
    css`
      form { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
      .once { border-left: 4px solid #b45309; }
      .row { display: flex; gap: 8px; align-items: flex-start; }
      .row pre { flex: 1; margin: 0; }
    `,
  ];
  static override properties = {
    tokens: { attribute: false },
    minted: { state: true },
    list: { state: true },
    error: { state: true },
    copied: { state: true },
  };
  tokens: TokensPort | null = null;
  minted: MintedToken | null = null;
  list: TokenSummary[] | null = null;
  error: string | null = null;
  copied = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private async reload() {
    try {
      this.list = (await this.tokens?.listTokens()) ?? null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private async mint(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    try {
      const labels = parseLabels(String(data.get("labels") ?? ""));
      const uses = Number(data.get("maxUses"));
      this.minted =
        (await this.tokens?.mintToken({
          expiresIn: String(data.get("expiresIn") ?? "24h"),
          maxUses: Number.isInteger(uses) && uses > 0 ? uses : 1,
          labels,
        })) ?? null;
      this.error = null;
      this.copied = "";
      await this.reload();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async revoke(id: string) {
    try {
      await this.tokens?.revokeToken(id);
      await this.reload();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = `${what} copied to the clipboard.`;
    } catch {
      this.copied = `Copying is blocked here: select the ${what.toLowerCase()} and copy it by hand.`;
    }
  }

  override render() {
    const relay = this.tokens?.relayUrl() ?? "";
    const m = this.minted;
    return html`
      <h1>Enroll a host</h1>
      <p class="muted">An enrollment token lets a host join once (or a few times). The host exchanges it for its own
        credentials; the token itself is never stored in clear.</p>
      <form class="card" @submit=${this.mint}>
        <label>Expires in
          <select name="expiresIn">
            <option value="1h">1 hour</option><option value="24h" selected>24 hours</option>
            <option value="7d">7 days</option><option value="30d">30 days</option>
          </select>
        </label>
        <label>Uses<input name="maxUses" type="number" min="1" max="100000" value="1" style="width:7em" /></label>
        <label style="flex:1">Labels (key=value, comma separated)<input name="labels" placeholder="env=prod, team=observability" /></label>
        <button class="primary" type="submit">Mint token</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${
        m
          ? html`<section class="card once" aria-labelledby="minted-title">
            <h2 id="minted-title">Your token (shown once)</h2>
            <p>Copy it now: the relay keeps only its hash.${m.expiresAt ? ` It expires ${new Date(m.expiresAt).toLocaleString()}.` : ""}</p>
            <div class="row"><pre data-testid="minted-token">${m.token}</pre>
              <button type="button" @click=${() => this.copy(m.token, "Token")}>Copy token</button></div>
            <h2>Install on the host</h2>
            <div class="row"><pre data-testid="install-command">${installCommand(relay, m.token)}</pre>
              <button type="button" @click=${() => this.copy(installCommand(relay, m.token), "Command")}>Copy command</button></div>
            <p class="muted" role="status">${this.copied}</p>
          </section>`
          : null
      }
      <h2>Tokens</h2>
      ${
        this.list === null
          ? html`<p class="muted">Loading…</p>`
          : this.list.length === 0
            ? html`<p class="muted">No enrollment tokens yet.</p>`
            : html`<table>
              <thead><tr><th scope="col">ID</th><th scope="col">State</th><th scope="col">Uses</th><th scope="col">Expires</th>
                <th scope="col">Labels</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>${this.list.map(
                (t) => html`<tr><td><code>${t.id}</code></td><td>${t.state.replace(/_/g, " ")}</td>
                  <td>${t.uses ?? "?"} / ${t.maxUses ?? "?"}</td>
                  <td>${t.expiresAt ? new Date(t.expiresAt).toLocaleString() : "–"}</td>
                  <td>${
                    Object.entries(t.labels)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(", ") || "–"
                  }</td>
                  <td>${
                    t.state === "active"
                      ? html`<button type="button" @click=${() => this.revoke(t.id)} aria-label="Revoke token ${t.id}">Revoke</button>`
                      : null
                  }</td></tr>`,
              )}</tbody>
            </table>`
      }
    `;
  }
}
customElements.define("lm-enroll", EnrollPage);

// <lm-row-actions>: the `...` menu of a collector with Deregister behind a confirm dialog; emits `deregister`.
import { css, html, LitElement } from "lit";
import { base } from "./styles.js";

export class RowActions extends LitElement {
  static override styles = [
    base,
    css`
      :host { position: relative; display: inline-block; }
      [role="menu"] { position: absolute; right: 0; top: 100%; z-index: 5; background: #fff; border: 1px solid #8393a7; border-radius: 6px; padding: 4px; min-width: 160px; box-shadow: 0 6px 16px #0002; }
      [role="menuitem"] { display: block; width: 100%; text-align: left; border: 0; }
      [role="menuitem"]:hover, [role="menuitem"]:focus { background: #fee2e2; }
      dialog { border: 1px solid #8393a7; border-radius: 8px; max-width: 440px; }
      dialog::backdrop { background: #0f172a80; }
      .buttons { display: flex; gap: 8px; justify-content: flex-end; }
    `,
  ];
  static override properties = {
    hostname: { attribute: false },
    collectorId: { attribute: false },
    open: { state: true },
  };
  hostname = "";
  collectorId = "";
  open = false;

  private toggle() {
    this.open = !this.open;
    if (this.open)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("[role=menuitem]")?.focus());
  }

  private askConfirm() {
    this.open = false;
    this.renderRoot.querySelector("dialog")?.showModal();
  }

  private confirm() {
    this.renderRoot.querySelector("dialog")?.close();
    this.dispatchEvent(
      new CustomEvent("deregister", { detail: { collectorId: this.collectorId }, bubbles: true, composed: true }),
    );
  }

  override render() {
    return html`
      <button type="button" aria-haspopup="menu" aria-expanded=${this.open ? "true" : "false"}
        aria-label="Actions for ${this.hostname}" @click=${this.toggle}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === "Escape") this.open = false;
        }}>…</button>
      ${
        this.open
          ? html`<div role="menu" @keydown=${(e: KeyboardEvent) => {
              if (e.key === "Escape") {
                this.open = false;
                this.renderRoot.querySelector<HTMLElement>("button")?.focus();
              }
            }}>
            <button type="button" role="menuitem" @click=${this.askConfirm}>Deregister…</button>
          </div>`
          : null
      }
      <dialog aria-labelledby="confirm-title">
        <h2 id="confirm-title">Deregister ${this.hostname}?</h2>
        <p>The collector leaves the fleet and its tokens are revoked: its next OTLP push is rejected (401) and its
          agent link closes. To bring the host back, enroll it again with a new token.</p>
        <div class="buttons">
          <button type="button" @click=${() => this.renderRoot.querySelector("dialog")?.close()} autofocus>Cancel</button>
          <button type="button" class="danger" @click=${this.confirm}>Deregister</button>
        </div>
      </dialog>
    `;
  }
}
customElements.define("lm-row-actions", RowActions);

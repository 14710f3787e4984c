// <lm-login>: asks for the operator secret; emits `login` with { token }. The shell does the rest.
import { html, LitElement } from "lit";
import { base } from "./styles.js";

export class LoginForm extends LitElement {
  static override styles = [base];
  static override properties = { error: { attribute: false }, busy: { attribute: false } };
  error: string | null = null;
  busy = false;

  private submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const token = String(new FormData(form).get("token") ?? "").trim();
    if (!token) return;
    this.dispatchEvent(new CustomEvent("login", { detail: { token }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<form class="card" style="max-width:420px;margin:10vh auto" @submit=${this.submit}>
      <h1>Sign in to LinkMesh</h1>
      <p class="muted">Use the operator secret (<code>LINKMESH_ADMIN_TOKEN</code>, or the one the relay printed on its
        first start).</p>
      <label style="display:flex">Operator secret
        <input name="token" type="password" autocomplete="current-password" required autofocus />
      </label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <p><button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button></p>
    </form>`;
  }
}
customElements.define("lm-login", LoginForm);

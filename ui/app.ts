// The LinkMesh operator UI entry point: registers the components; <linkmesh-app> is the shell.
import { css, html, LitElement } from "lit";

export class LinkmeshApp extends LitElement {
  static override styles = css`
    :host { display: block; font-family: system-ui, sans-serif; color: #1d2330; }
    header { padding: 12px 20px; background: #13233f; color: #fff; font-weight: 600; }
    main { padding: 20px; }
  `;

  override render() {
    return html`<header>LinkMesh</header><main><p>Collector topology will appear here.</p></main>`;
  }
}

customElements.define("linkmesh-app", LinkmeshApp);

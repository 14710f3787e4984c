// <lm-first-host>: the empty state that teaches how to add the first host to a fresh relay.
import { html, LitElement } from "lit";
import { base } from "./styles.js";

export class FirstHost extends LitElement {
  static override styles = base;
  static override properties = { relayUrl: { attribute: false } };
  relayUrl = "";

  override render() {
    return html`<section class="empty" aria-labelledby="first-host-title">
      <h2 id="first-host-title">No collectors yet: add your first host</h2>
      <ol>
        <li>Open <a href="#/enroll">Enroll</a> and mint an enrollment token.</li>
        <li>
          On the host that runs Grafana Alloy or otelcol-contrib, run the install one-liner it gives you:
          <pre>curl -fsSL ${this.relayUrl}/install.sh | sudo sh -s -- --token &lt;TOKEN&gt;</pre>
        </li>
        <li>The agent enrolls, points the collector's self-telemetry here, and the host appears on this page within a
          minute. Rates show from the second sample on (about 30 s later).</li>
      </ol>
    </section>`;
  }
}
customElements.define("lm-first-host", FirstHost);

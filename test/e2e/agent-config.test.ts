// The config watcher against real file edits: an editor's rename-replace, drift of the LinkMesh blocks, --enforce.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayProcess, startRelay } from "../rig/index.js";
import { enrolledHost, events, type Host, startAgent, status, stopAgent, until } from "./agent-host.js";

/** What an editor does: write a temp file next to the config, then rename it over the config. */
async function replaceByRename(file: string, text: string): Promise<void> {
  const temp = join(file, "..", ".config.alloy.swp");
  await writeFile(temp, text);
  await rename(temp, file);
}

describe("watching the collector config", () => {
  let relay: RelayProcess;
  let host: Host;
  let config: string;
  beforeAll(async () => {
    relay = await startRelay();
    host = await enrolledHost(relay);
    config = join(host.root, "etc/alloy/config.alloy");
    startAgent(host, ["--enforce"]);
    await until("live", async () => ((await status(host)).code === 0 ? true : undefined), 15_000);
  });
  afterAll(async () => {
    await stopAgent(host);
    await host.alloy.close();
    await relay.stop();
  });

  it("reports a component added by the operator (file replaced by rename) as a config change", async () => {
    const before = await readFile(config, "utf8");
    await replaceByRename(config, `${before}\nprometheus.exporter.unix "node" { }\n`);
    const change = await until(
      "config_changed at the relay",
      async () =>
        (await events(relay, host.collectorId)).find(
          (e) => e.type === "config_changed" && e.message.includes("added prometheus.exporter.unix.node"),
        ),
      10_000,
    );
    expect(change.detail.addedComponents).toEqual(["prometheus.exporter.unix.node"]);
  });

  it("raises bootstrap_drift when the LinkMesh exporter is deleted, and puts it back with --enforce", async () => {
    const current = await readFile(config, "utf8");
    const userPart = current.slice(current.indexOf("// linkmesh-bootstrap end"));
    const broken = current.replace(/otelcol\.exporter\.otlphttp "linkmesh" \{[\s\S]*?\n\}\n/, "");
    expect(broken).not.toBe(current);
    await replaceByRename(config, broken);
    const drift = await until(
      "bootstrap_drift at the relay",
      async () => (await events(relay, host.collectorId)).find((e) => e.type === "bootstrap_drift"),
      10_000,
    );
    expect(drift.detail.missing).toEqual(["otelcol.exporter.otlphttp.linkmesh"]);
    await until(
      "bootstrap_written at the relay",
      async () => (await events(relay, host.collectorId)).find((e) => e.type === "bootstrap_written"),
      10_000,
    );
    const restored = await readFile(config, "utf8");
    expect(restored).toContain('otelcol.exporter.otlphttp "linkmesh" {');
    expect(restored.endsWith(userPart.slice(userPart.indexOf("\n") + 1))).toBe(true);
    await until(
      "status back to in place",
      async () => {
        const s = await status(host);
        return s.status?.config.bootstrap?.drifted === false ? true : undefined;
      },
      10_000,
    );
  });
});

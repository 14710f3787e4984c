// `linkmesh-agent enroll` on a host that already runs Alloy with the operator's own pipeline.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBootstrap, BootstrapError } from "../../agent/bootstrap/index.js";
import { hostPaths } from "../../agent/paths/index.js";
import { parseAlloy } from "../../common/alloy-syntax/index.js";
import { CORPUS_DIR, mintEnrollmentToken, type RelayProcess, runAgent, startRelay, tempDir } from "../rig/index.js";
import { AlloySimulator } from "../sim/alloy.js";

const USER_CONFIG = join(CORPUS_DIR, "alloy/valid/real/operations__helm__charts__alloy__config__example.alloy");

async function hostWithAlloyConfig(): Promise<{ root: string; config: string; original: string }> {
  const root = await tempDir("host");
  const original = await readFile(USER_CONFIG, "utf8");
  await mkdir(join(root, "etc/alloy"), { recursive: true });
  await writeFile(join(root, "etc/group"), "root:x:0:\nalloy:x:473:\n");
  const config = join(root, "etc/alloy/config.alloy");
  await writeFile(config, original, { mode: 0o640 });
  return { root, config, original };
}

describe("enrolling a host that already runs an Alloy pipeline", () => {
  let relay: RelayProcess;
  let alloy: AlloySimulator;
  let alloyUrl: string;
  beforeAll(async () => {
    relay = await startRelay();
    alloy = new AlloySimulator({ hostname: "web-01", components: [] });
    alloyUrl = await alloy.listen();
  });
  afterAll(async () => {
    await alloy.close();
    await relay.stop();
  });

  const enrollOn = async (root: string) =>
    runAgent(root, [
      "enroll",
      "--server",
      relay.url,
      "--token",
      await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 }),
      "--hostname",
      "web-01",
      "--collector-http",
      alloyUrl,
    ]);

  it("adds the LinkMesh blocks on top, keeps the operator's config verbatim, backs it up and reloads Alloy", async () => {
    const { root, config, original } = await hostWithAlloyConfig();
    const reloadsBefore = alloy.reloads.length;
    const run = await enrollOn(root);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("backed up the previous config");
    expect(run.stdout).toContain("Alloy reloaded the config");

    const written = await readFile(config, "utf8");
    expect(written.split("\n")[0]).toBe("// linkmesh-bootstrap");
    expect(written.endsWith(original)).toBe(true);
    expect(parseAlloy(written).ok).toBe(true);
    expect(written).toContain(`metrics_endpoint = "${relay.url}/v1/metrics"`);
    expect(written).toContain('filename  = "/etc/alloy/linkmesh.token"');
    expect(await readFile(`${config}.linkmesh-backup`, "utf8")).toBe(original);
    const mode = await stat(config);
    expect(mode.mode & 0o777).toBe(0o640);
    expect(alloy.reloads.length).toBe(reloadsBefore + 1);
    // The token Alloy reads belongs to its group.
    expect((await stat(join(root, "etc/alloy/linkmesh.token"))).gid).toBe(473);

    // Enrolling again (a new token, same relay) leaves the file byte-identical and does not reload.
    const again = await enrollOn(root);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("unchanged");
    expect(await readFile(config, "utf8")).toBe(written);
    expect(alloy.reloads.length).toBe(reloadsBefore + 1);
  });

  it("puts the previous config back when Alloy refuses the new one, and says why", async () => {
    const { root, config, original } = await hostWithAlloyConfig();
    alloy.reloadError =
      'error during the initial load: /etc/alloy/config.alloy:31:1: Failed to build component: loading custom component controller: component "otelcol.exporter.otlphttp" does not exist';
    try {
      const run = await enrollOn(root);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("reload_rejected");
      expect(run.stderr).toContain('component "otelcol.exporter.otlphttp" does not exist');
      expect(await readFile(config, "utf8")).toBe(original);
    } finally {
      alloy.reloadError = null;
    }
  });

  it("a failed write leaves the old file in place", async () => {
    const { root, config, original } = await hostWithAlloyConfig();
    const paths = hostPaths(root);
    const failing = async (path: string, content: string | Uint8Array) => {
      if (path === config) throw new Error(`ENOSPC: no space left on device, write (${content.length} bytes)`);
      await writeFile(path, content);
    };
    const attempt = applyBootstrap({
      paths,
      otlpEndpoint: `${relay.url}/v1/metrics`,
      collectorHttp: alloyUrl,
      write: failing,
    });
    await expect(attempt).rejects.toBeInstanceOf(BootstrapError);
    await expect(attempt).rejects.toMatchObject({ reason: "write_failed" });
    expect(await readFile(config, "utf8")).toBe(original);
  });
});

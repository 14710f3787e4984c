// Uninstall: taking the LinkMesh section out gives the operator's config back byte for byte.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_DIR, tempDir } from "../../test/rig/index.js";
import { AlloySimulator } from "../../test/sim/alloy.js";
import { hostPaths } from "../paths/index.js";
import { applyBootstrap, backupPath, removeBootstrap } from "./index.js";

async function hostWith(config: string) {
  const paths = hostPaths(await tempDir("unbootstrap"));
  await mkdir(paths.alloyConfigDir, { recursive: true });
  await writeFile(paths.alloyConfigFile, config);
  await writeFile(paths.alloyTokenFile, "lmc_x");
  return paths;
}

describe("removing the bootstrap", () => {
  it("restores the operator's config byte for byte and drops the now redundant backup", async () => {
    const original = await readFile(join(CORPUS_DIR, "alloy/valid/real/packaging.alloy"), "utf8");
    const paths = await hostWith(original);
    await applyBootstrap({ paths, otlpEndpoint: "http://relay:8080/v1/metrics", collectorHttp: null });
    expect(await readFile(paths.alloyConfigFile, "utf8")).toMatch(/^\/\/ linkmesh-bootstrap/);

    const outcome = await removeBootstrap({ paths, collectorHttp: null });
    expect(outcome).toMatchObject({ changed: true, reload: "skipped" });
    expect(await readFile(paths.alloyConfigFile, "utf8")).toBe(original);
    await expect(stat(backupPath(paths.alloyConfigFile))).rejects.toThrow();

    expect(await removeBootstrap({ paths, collectorHttp: null })).toMatchObject({ changed: false });
  });

  it("puts the LinkMesh section back when Alloy refuses the config without it", async () => {
    const paths = await hostWith('logging {\n\tlevel = "warn"\n}\n');
    await applyBootstrap({ paths, otlpEndpoint: "http://relay:8080/v1/metrics", collectorHttp: null });
    const managed = await readFile(paths.alloyConfigFile, "utf8");
    const alloy = new AlloySimulator({ hostname: "h", components: [], reloadError: "loading config: boom" });
    const url = await alloy.listen();
    try {
      await expect(removeBootstrap({ paths, collectorHttp: url })).rejects.toThrow(/refused .* boom/);
      expect(await readFile(paths.alloyConfigFile, "utf8")).toBe(managed);
      expect(alloy.reloads).toHaveLength(1);
    } finally {
      await alloy.close();
    }
  });
});

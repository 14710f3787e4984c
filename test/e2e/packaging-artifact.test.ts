// `npm run package`'s artifact on its own: versioned, checksummed, and able to enroll an agent on this machine
// with no Node.js, no node_modules and an empty PATH.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, REPO_ROOT, type RelayProcess, startRelay, tempDir } from "../rig/index.js";
import { buildArtifact } from "./packaging-fixture.js";

const run = promisify(execFile);

describe("the packaged agent (bundle + Node.js runtime from the npm registry)", () => {
  let relay: RelayProcess;
  let dir: string;
  let file: string;
  let stdout: string;
  let unpacked: string;

  beforeAll(async () => {
    ({ dir, file, stdout } = await buildArtifact());
    unpacked = await tempDir("artifact");
    await run("tar", ["-xzf", join(dir, file), "-C", unpacked]);
    relay = await startRelay();
  }, 300_000);
  afterAll(async () => {
    await relay?.stop();
  });

  it("is versioned from package.json and published with a matching sha256", async () => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(file).toBe(`linkmesh-agent-${version}-linux-x64.tar.gz`);
    expect(stdout).toContain(file);
    const digest = createHash("sha256")
      .update(await readFile(join(dir, file)))
      .digest("hex");
    expect(await readFile(join(dir, `${file}.sha256`), "utf8")).toBe(`${digest}  ${file}\n`);
    expect(await readFile(join(dir, "linkmesh-agent-linux-x64.sha256"), "utf8")).toBe(`${digest}  ${file}\n`);
    // The standard tool agrees (what an operator would run by hand).
    const checked = await run("sha256sum", ["-c", `${file}.sha256`], { cwd: dir });
    expect(checked.stdout).toContain(`${file}: OK`);
  });

  it("holds the launcher, the Node 22 runtime, the agent bundle and the systemd unit", async () => {
    const { stdout: listing } = await run("tar", ["-tzf", join(dir, file)], { maxBuffer: 1024 * 1024 });
    expect(listing.split("\n")).toEqual(
      expect.arrayContaining(["bin/linkmesh-agent", "bin/node", "lib/agent.js", "share/linkmesh-agent.service"]),
    );
    const { stdout: nodeVersion } = await run(join(unpacked, "bin/node"), ["--version"], { env: {} });
    expect(nodeVersion).toMatch(/^v22\.\d+\.\d+\n$/);
    expect(await readFile(join(unpacked, "share/linkmesh-agent.service"), "utf8")).toBe(
      await readFile(join(REPO_ROOT, "packaging/systemd/linkmesh-agent.service"), "utf8"),
    );
  });

  it("enrolls an agent with an empty PATH, outside the repo, with no node_modules", async () => {
    const token = await mintEnrollmentToken(relay);
    const hostRoot = await tempDir("packaged-host");
    const cwd = await tempDir("packaged-cwd");
    const result = await run(
      join(unpacked, "bin/linkmesh-agent"),
      ["--root", hostRoot, "enroll", "--server", relay.url, "--token", token, "--hostname", "packaged-01"],
      { cwd, env: { PATH: "/nonexistent", HOME: cwd } },
    );
    expect(result.stdout).toContain("enrolled: collector id");
    const fleet = (await relay.api("/api/v1/collectors")).body as { collectors: { hostname: string }[] };
    expect(fleet.collectors.map((c) => c.hostname)).toContain("packaged-01");
  });

  it("re-packaging reuses the cached runtime and stays fast", async () => {
    const started = Date.now();
    await buildArtifact();
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

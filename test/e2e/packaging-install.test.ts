// install.sh for real: the script the relay serves, run by dash against a real relay, into a sandbox root
// (LINKMESH_INSTALL_ROOT) with a recording systemctl. Everything else is real: useradd/usermod/userdel --prefix,
// the download and sha256 check, the artifact's own runtime running `linkmesh-agent enroll`.

import { execFile } from "node:child_process";
import { copyFile, lstat, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, REPO_ROOT, type RelayProcess, startRelay, tempDir } from "../rig/index.js";
import {
  buildArtifact,
  makeSandbox,
  runInstaller,
  type Sandbox,
  type ScriptRun,
  snapshot,
  systemctlCalls,
} from "./packaging-fixture.js";

const execFileAsync = promisify(execFile);

describe("install.sh source", () => {
  it("is clean under shellcheck as POSIX sh (.ci/run installs shellcheck)", async () => {
    const result = await execFileAsync("shellcheck", ["-s", "sh", "packaging/install.sh"], { cwd: REPO_ROOT }).then(
      () => "",
      (e: { stdout?: string; message: string }) => e.stdout || e.message,
    );
    expect(result).toBe("");
  });
});

interface Fleet {
  collectors: { id: string; type: string }[];
}

const accountLines = async (root: string, file: string) =>
  (await readFile(join(root, "etc", file), "utf8")).split("\n").filter((line) => line.startsWith("linkmesh:"));

function explain(run: ScriptRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe("install.sh, as served by the relay and piped into sh", () => {
  let relay: RelayProcess;
  let script: string;
  let artifactDir: string;
  let artifact: string;

  beforeAll(async () => {
    ({ dir: artifactDir, file: artifact } = await buildArtifact());
    relay = await startRelay({ env: { LINKMESH_DOWNLOADS_DIR: artifactDir } });
    const response = await fetch(`${relay.url}/install.sh`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/x-shellscript");
    script = await response.text();
  }, 300_000);
  afterAll(async () => {
    await relay?.stop();
  });

  it("is served with the relay's own URL filled in and main on the last line", async () => {
    expect(script).toContain(`DEFAULT_SERVER='${relay.url}'`);
    expect(script.trimEnd().split("\n").at(-1)).toBe('main "$@"');
    const pointer = await fetch(`${relay.url}/downloads/linkmesh-agent-linux-x64.sha256`);
    expect(await pointer.text()).toMatch(new RegExp(`^[0-9a-f]{64}  ${artifact.replaceAll(".", "\\.")}\\n$`));
    expect((await fetch(`${relay.url}/downloads/..%2Frelay.js`)).status).toBe(404);
  });

  it("--dry-run prints every step and changes nothing", async () => {
    const sandbox = await makeSandbox();
    const before = await snapshot(sandbox.root);
    const token = await mintEnrollmentToken(relay);
    const run = await runInstaller(script, ["--token", token, "--dry-run"], sandbox);
    expect(run.code, explain(run)).toBe(0);
    for (const step of ["[1] Checking this host", "[3] Downloading the agent", "[7] Starting linkmesh-agent.service"]) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toContain("would run: useradd");
    expect(run.stdout).toContain("Dry run complete: nothing was changed.");
    expect(run.stdout).not.toContain(token);
    expect(await snapshot(sandbox.root)).toEqual(before);
    expect(await systemctlCalls(sandbox)).toEqual([]);
  });

  describe("a real install, a re-run and an uninstall on one host", () => {
    let sandbox: Sandbox;
    let pristine: Map<string, string>;
    let firstCollectorId: string;

    beforeAll(async () => {
      sandbox = await makeSandbox();
      pristine = await snapshot(sandbox.root);
    });

    it("installs, enrolls the collector with the relay and starts the unit", async () => {
      const token = await mintEnrollmentToken(relay, { maxUses: 1 });
      const run = await runInstaller(script, ["--token", token], sandbox);
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toContain("sha256 verified");
      expect(run.stdout).toContain("Done: agent");

      const fleet = (await relay.api("/api/v1/collectors")).body as Fleet;
      const settings = JSON.parse(await readFile(join(sandbox.root, "etc/linkmesh/agent.json"), "utf8")) as {
        collectorId: string;
        relayUrl: string;
      };
      firstCollectorId = settings.collectorId;
      expect(settings.relayUrl).toBe(relay.url);
      expect(fleet.collectors).toContainEqual(expect.objectContaining({ id: settings.collectorId, type: "alloy" }));

      const { root } = sandbox;
      expect((await stat(join(root, "opt/linkmesh-agent/bin/node"))).mode & 0o111).not.toBe(0);
      expect(await readFile(join(root, "etc/systemd/system/linkmesh-agent.service"), "utf8")).toBe(
        await readFile(join(REPO_ROOT, "packaging/systemd/linkmesh-agent.service"), "utf8"),
      );
      expect((await lstat(join(root, "usr/local/bin/linkmesh-agent"))).isSymbolicLink()).toBe(true);

      const [passwd] = await accountLines(root, "passwd");
      expect(passwd).toMatch(/^linkmesh:x:\d+:\d+::\/var\/lib\/linkmesh:\/usr\/sbin\/nologin$/);
      const uid = Number(passwd?.split(":")[2]);
      const groups = await readFile(join(root, "etc/group"), "utf8");
      expect(groups).toMatch(/^alloy:x:990:linkmesh$/m);
      expect(groups).toMatch(/^systemd-journal:x:\d+:(.*,)?linkmesh$/m);

      const secret = await stat(join(root, "etc/linkmesh/agent.token"));
      expect(secret.mode & 0o777).toBe(0o600);
      expect(secret.uid).toBe(uid);
      expect((await stat(join(root, "etc/linkmesh"))).mode & 0o777).toBe(0o750);
      const collectorToken = await stat(join(root, "etc/alloy/linkmesh.token"));
      expect([collectorToken.mode & 0o777, collectorToken.gid]).toEqual([0o640, 990]);

      expect(await systemctlCalls(sandbox)).toEqual([
        "daemon-reload",
        "enable linkmesh-agent.service",
        "restart linkmesh-agent.service",
        "is-active --quiet linkmesh-agent.service",
      ]);
    }, 120_000);

    it("re-running upgrades in place without duplicating anything", async () => {
      const installed = await snapshot(sandbox.root);
      const collectorsBefore = ((await relay.api("/api/v1/collectors")).body as Fleet).collectors.length;
      const run = await runInstaller(script, [], sandbox);
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toContain("upgrading in place");
      expect(run.stdout).toContain("keeping the current enrollment");
      expect(await snapshot(sandbox.root)).toEqual(installed);
      expect(((await relay.api("/api/v1/collectors")).body as Fleet).collectors).toHaveLength(collectorsBefore);
      expect(await accountLines(sandbox.root, "passwd")).toHaveLength(1);
    }, 120_000);

    it("re-running with a fresh token re-enrolls", async () => {
      const run = await runInstaller(script, ["--token", await mintEnrollmentToken(relay)], sandbox);
      expect(run.code, explain(run)).toBe(0);
      const settings = JSON.parse(await readFile(join(sandbox.root, "etc/linkmesh/agent.json"), "utf8")) as {
        collectorId: string;
      };
      expect(run.stdout).toContain(`enrolled: collector id ${settings.collectorId}`);
      expect(firstCollectorId).toBeDefined();
    }, 120_000);

    it("--uninstall asks first, and with --yes removes what the installer added", async () => {
      const unconfirmed = await runInstaller(script, ["--uninstall"], sandbox);
      expect(unconfirmed.code).toBe(12);
      expect(unconfirmed.stderr).toContain("add --yes");
      expect(await stat(join(sandbox.root, "opt/linkmesh-agent"))).toBeTruthy();

      const run = await runInstaller(script, ["--uninstall", "--yes"], sandbox);
      expect(run.code, explain(run)).toBe(0);
      const after = await snapshot(sandbox.root);
      // The collector's config is back to the operator's bytes (the LinkMesh blocks and their token file are gone);
      // shadow-utils' own backups (passwd- ...) are rewritten.
      const keptOnPurpose = (path: string) => path.endsWith("-");
      const strip = (map: Map<string, string>) => [...map].filter(([path]) => !keptOnPurpose(path));
      expect(strip(after)).toEqual(strip(pristine));
      expect(after.get("etc/alloy/config.alloy")).toBe(pristine.get("etc/alloy/config.alloy"));
      expect(run.stdout).toContain("took the LinkMesh blocks out of");
      expect(await systemctlCalls(sandbox)).toContain("disable --now linkmesh-agent.service");
    }, 120_000);
  });

  it("a truncated download runs nothing", async () => {
    const sandbox = await makeSandbox();
    const before = await snapshot(sandbox.root);
    const token = await mintEnrollmentToken(relay);
    const lastLine = script.lastIndexOf('main "$@"');
    const cuts = [0.25, 0.5, 0.9].map((f) => Math.floor(script.length * f));
    cuts.push(lastLine, lastLine + "main".length, lastLine + 'main "$'.length);
    for (const cut of cuts) {
      const run = await runInstaller(script.slice(0, cut), ["--token", token], sandbox);
      expect(run.stdout, `cut at ${cut}`).not.toContain("[2] Checking the relay");
      expect(await snapshot(sandbox.root), `cut at ${cut}`).toEqual(before);
    }
    expect(await systemctlCalls(sandbox)).toEqual([]);
  }, 120_000);

  it("refuses an artifact whose bytes do not match the published sha256", async () => {
    const tampered = await tempDir("tampered");
    for (const name of [`${artifact}.sha256`, "linkmesh-agent-linux-x64.sha256"]) {
      await copyFile(join(artifactDir, name), join(tampered, name));
    }
    const bytes = await readFile(join(artifactDir, artifact));
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await writeFile(join(tampered, artifact), bytes);
    const other = await startRelay({ env: { LINKMESH_DOWNLOADS_DIR: tampered } });
    try {
      const sandbox = await makeSandbox();
      const before = await snapshot(sandbox.root);
      const served = await (await fetch(`${other.url}/install.sh`)).text();
      const run = await runInstaller(served, ["--token", await mintEnrollmentToken(other)], sandbox);
      expect(run.code, explain(run)).toBe(9);
      expect(run.stderr).toContain("checksum mismatch");
      expect(run.stderr).toContain("Nothing on this host was changed.");
      expect(await snapshot(sandbox.root)).toEqual(before);
      expect(((await other.api("/api/v1/collectors")).body as Fleet).collectors).toEqual([]);
    } finally {
      await other.stop();
    }
  }, 120_000);

  it.each([
    ["an unknown flag", ["--tokn", "x"], {}, 2, "unknown option"],
    ["no token on a fresh host", [], {}, 2, "no enrollment token"],
    ["a bad --collector", ["--token", "lme_x", "--collector", "fluentd"], {}, 2, "--collector must be"],
    ["no collector installed", ["--token", "lme_x"], { collector: null }, 6, "no collector found"],
    ["an unreachable relay", ["--token", "lme_x", "--server", "http://127.0.0.1:9"], {}, 7, "cannot reach the relay"],
  ] as const)("stops with a numbered exit code on %s", async (_name, args, sandboxOptions, code, message) => {
    const sandbox = await makeSandbox(sandboxOptions);
    const before = await snapshot(sandbox.root);
    const run = await runInstaller(script, [...args], sandbox);
    expect(run.code, explain(run)).toBe(code);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("linkmesh-agent doctor");
    expect(await snapshot(sandbox.root)).toEqual(before);
  });
});

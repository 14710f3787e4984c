// The systemd units: hardened as issue 8 asks, and accepted by `systemd-analyze verify` (ExecStart pointed at an
// executable that exists here, since /opt/linkmesh-agent and /opt/linkmesh-server are not installed on this machine).

import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, tempDir } from "../rig/index.js";

const run = promisify(execFile);
const unitPath = (name: string) => join(REPO_ROOT, "packaging/systemd", name);

/** `Key=value` lines of a unit, in order (repeated keys kept). */
function directives(text: string): [string, string][] {
  return text
    .split("\n")
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]);
}

describe("systemd units", () => {
  it.each(["linkmesh-agent.service", "linkmesh-server.service"])("%s passes systemd-analyze verify", async (name) => {
    const dir = await tempDir("units");
    const text = await readFile(unitPath(name), "utf8");
    const copy = join(dir, name);
    await writeFile(copy, text.replace(/^ExecStart=\S+/m, "ExecStart=/bin/true"));
    const { stdout, stderr } = await run("systemd-analyze", ["verify", copy]);
    expect(`${stdout}${stderr}`).toBe("");
  });

  it("systemd-analyze verify catches a broken unit (the check above can fail)", async () => {
    const dir = await tempDir("units");
    const copy = join(dir, "broken.service");
    await writeFile(copy, "[Service]\nExecStart=/bin/true\nProtectSystem=sometimes\nRestartBogus=1\n");
    const result = await run("systemd-analyze", ["verify", copy]).then(
      (r) => `${r.stdout}${r.stderr}`,
      (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`,
    );
    expect(result).toMatch(/RestartBogus|ProtectSystem/);
  });

  it("the agent runs unprivileged, writes only its own paths and the collector's, and restarts on failure", async () => {
    const unit = directives(await readFile(unitPath("linkmesh-agent.service"), "utf8"));
    const get = (key: string) => unit.filter(([k]) => k === key).map(([, v]) => v);
    expect(get("User")).toEqual(["linkmesh"]);
    expect(get("SupplementaryGroups")).toEqual(["systemd-journal"]);
    expect(get("ExecStart")).toEqual(["/opt/linkmesh-agent/bin/linkmesh-agent run"]);
    for (const [key, value] of [
      ["NoNewPrivileges", "yes"],
      ["ProtectSystem", "strict"],
      ["ProtectHome", "yes"],
      ["PrivateTmp", "yes"],
      ["Restart", "on-failure"],
    ]) {
      expect(get(key as string), key).toEqual([value]);
    }
    expect(get("RestartSec")[0]).toMatch(/^\d+s$/);
    expect(get("ReadWritePaths").join(" ").split(" ").sort()).toEqual(
      [
        "/etc/linkmesh",
        "/var/lib/linkmesh",
        "/var/log/linkmesh",
        "-/etc/alloy",
        "-/etc/otelcol-contrib",
        "-/var/lib/otelcol-contrib",
      ].sort(),
    );
  });

  it("the single-host relay runs unprivileged with its state in /var/lib/linkmesh-server", async () => {
    const unit = directives(await readFile(unitPath("linkmesh-server.service"), "utf8"));
    const get = (key: string) => unit.filter(([k]) => k === key).map(([, v]) => v);
    expect(get("User")).toEqual(["linkmesh-server"]);
    expect(get("ProtectSystem")).toEqual(["strict"]);
    expect(get("StateDirectory")).toEqual(["linkmesh-server"]);
    expect(get("Environment")).toContain("LINKMESH_DB=sqlite:/var/lib/linkmesh-server/linkmesh.db");
    // Logs go to the journal (stdout), where `journalctl -u linkmesh-server | grep otlp.auth` finds them.
    expect(get("StandardOutput")).toEqual([]);
  });
});

// Shared by the packaging suites: build the real agent artifact, a sandbox host root for install.sh, and run the
// installer the way `curl ... | sudo sh -s -- ARGS` does (the script on stdin of dash).

import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, lstat, mkdir, readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { CORPUS_DIR, REPO_ROOT, tempDir } from "../rig/index.js";

const run = promisify(execFile);

/** Runs scripts/package.mjs for linux-x64 into a fresh directory (the runtime download is cached across runs). */
export async function buildArtifact(): Promise<{ dir: string; file: string; stdout: string }> {
  const dir = await tempDir("packages");
  const { stdout } = await run(process.execPath, ["scripts/package.mjs", "--arch", "x64", "--out", dir], {
    cwd: REPO_ROOT,
    maxBuffer: 10 * 1024 * 1024,
  });
  const version = (JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return { dir, file: `linkmesh-agent-${version}-linux-x64.tar.gz`, stdout };
}

export interface Sandbox {
  root: string;
  /** Every systemctl call the installer made, one per line. */
  systemctlLog: string;
  systemctl: string;
}

/**
 * A host root as install.sh sees it: os-release, account files (copied from this machine, plus an `alloy` group),
 * a running systemd (/run/systemd/system) and, unless `collector: null`, Alloy's packaged default config.
 */
export async function makeSandbox(options: { collector?: "alloy" | null } = {}): Promise<Sandbox> {
  const base = await tempDir("sandbox");
  const root = join(base, "root");
  for (const dir of ["etc", "run/systemd/system", "opt", "usr/local/bin", "etc/systemd/system", "var/lib", "var/log"]) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await copyFile("/etc/os-release", join(root, "etc/os-release"));
  for (const file of ["passwd", "group", "shadow", "gshadow"]) {
    let content = await readFile(join("/etc", file), "utf8");
    // Keep the accounts, never this machine's password hashes.
    if (file.endsWith("shadow")) content = content.replace(/^([^:\n]*):[^:\n]*:/gm, "$1:!:");
    if (file === "group") content += "alloy:x:990:\n";
    if (file === "gshadow") content += "alloy:!::\n";
    await writeFile(join(root, "etc", file), content, { mode: file.endsWith("shadow") ? 0o640 : 0o644 });
    // A real system has shadow-utils' backups; they are rewritten on every account change.
    await writeFile(join(root, "etc", `${file}-`), content);
  }
  if (options.collector !== null) {
    await mkdir(join(root, "etc/alloy"), { recursive: true });
    await copyFile(join(CORPUS_DIR, "alloy/valid/real/packaging.alloy"), join(root, "etc/alloy/config.alloy"));
  }
  const systemctlLog = join(base, "systemctl.log");
  const systemctl = join(base, "systemctl");
  // A recording stand-in: the sandbox has no systemd of its own to start units in.
  await writeFile(systemctl, `#!/bin/sh\necho "$*" >> '${systemctlLog}'\nexit 0\n`, { mode: 0o755 });
  return { root, systemctlLog, systemctl };
}

export async function systemctlCalls(sandbox: Sandbox): Promise<string[]> {
  const text = await readFile(sandbox.systemctlLog, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean);
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `sh -s -- ARGS` with the script on stdin, as in `curl -fsSL URL/install.sh | sudo sh -s -- ARGS`. */
export function runInstaller(
  script: string | Buffer,
  args: string[],
  sandbox: Sandbox,
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const child = spawn("sh", ["-s", "--", ...args], {
    env: {
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: "/root",
      LINKMESH_INSTALL_ROOT: sandbox.root,
      SYSTEMCTL: sandbox.systemctl,
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(script);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** path -> "mode owner size sha256" (or the link target) for everything under root: two equal maps = no change. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const info = await lstat(path);
      const key = relative(root, path);
      if (entry.isSymbolicLink()) out.set(key, `link -> ${await readlink(path)}`);
      else if (entry.isDirectory()) {
        out.set(key, `dir ${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid}`);
        await walk(path);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
        out.set(key, `file ${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid} ${hash}`);
      }
    }
  };
  await walk(root);
  return out;
}

// Runs the real `linkmesh-agent` (dist/agent.js) against a sandbox root: one-shot commands and the daemon.

import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { DIST_DIR } from "./paths.js";

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one agent command to completion, e.g. `["enroll", "--server", url, "--token", t]`. */
export function runAgent(
  root: string,
  args: string[],
  options: { journalDir?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<AgentRun> {
  const child = spawnAgent(root, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

export function spawnAgent(
  root: string,
  args: string[],
  options: { journalDir?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
): ChildProcess {
  const globals = ["--root", root, ...(options.journalDir ? ["--journal-dir", options.journalDir] : [])];
  return spawn(process.execPath, [...(options.nodeArgs ?? []), join(DIST_DIR, "agent.js"), ...globals, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

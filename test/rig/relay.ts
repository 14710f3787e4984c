// Starts a real `linkmesh-relay` process on an ephemeral loopback port with a temporary SQLite database.

import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { DIST_DIR, tempDir } from "./paths.js";

export interface RelayProcess {
  url: string;
  adminToken: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the relay printed (stdout + stderr: its log lines). */
  output(): string;
  /** Waits until the output contains `text` (or times out). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Operator API call with the bearer set. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startRelay(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    args?: string[];
    port?: number;
    /** `--db` URL (e.g. postgres://...); default a SQLite file in dataDir. */
    db?: string;
  } = {},
): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? (await tempDir("relay"));
  const adminToken = options.env?.LINKMESH_ADMIN_TOKEN ?? "test-operator-secret-0123456789";
  const child = spawn(
    process.execPath,
    [
      join(DIST_DIR, "relay.js"),
      "--listen",
      `127.0.0.1:${options.port ?? 0}`,
      "--db",
      options.db ?? `sqlite:${join(dataDir, "linkmesh.db")}`,
      ...(options.args ?? []),
    ],
    { env: { ...process.env, LINKMESH_ADMIN_TOKEN: adminToken, ...options.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const waitForOutput = async (text: string | RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    const matches = () => (typeof text === "string" ? output.includes(text) : text.test(output));
    while (!matches()) {
      if (child.exitCode !== null)
        throw new Error(`relay exited (${child.exitCode}) before printing ${text}:\n${output}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`relay did not print ${text} within ${timeoutMs} ms:\n${output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  await waitForOutput(/listening on (http:\/\/\S+)/);
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? "";

  return {
    url,
    adminToken,
    dataDir,
    child,
    output: () => output,
    waitForOutput,
    async api(path, init = {}) {
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // keep raw text
      }
      return { status: response.status, body };
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Mints an enrollment token through the operator API. */
export async function mintEnrollmentToken(relay: RelayProcess, body: Record<string, unknown> = {}): Promise<string> {
  const minted = await relay.api("/api/v1/tokens", { body });
  if (minted.status !== 201) throw new Error(`minting failed: ${minted.status} ${JSON.stringify(minted.body)}`);
  return (minted.body as { token: string }).token;
}

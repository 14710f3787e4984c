// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, postgres on a loopback port, trust auth.
// Runs as the unprivileged `postgres` user when the suite runs as root (postgres refuses to run as root).

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, chown, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { tempDir } from "./paths.js";

const run = promisify(execFile);
const PG_BIN_CANDIDATES = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];
/** An externally provided server (any reachable PostgreSQL with CREATE DATABASE rights) instead of a local one. */
export const EXTERNAL_PG_ENV = "LINKMESH_TEST_PG_URL";

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL (one per test file or case keeps them independent). */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function findPostgresBin(): Promise<string | null> {
  for (const dir of PG_BIN_CANDIDATES) {
    try {
      await run(join(dir, "postgres"), ["--version"]);
      return dir;
    } catch {
      // try the next version
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `argv` as the postgres user when we are root; as ourselves otherwise. */
function asPostgres(argv: string[]): [string, string[]] {
  const root = process.getuid?.() === 0;
  return root ? ["runuser", ["-u", "postgres", "--", ...argv]] : [argv[0] ?? "", argv.slice(1)];
}

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres not ready within ${timeoutMs} ms: ${error}\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function clusterOf(url: string, stop: () => Promise<void>): PostgresCluster {
  let n = 0;
  return {
    url,
    async createDatabase(prefix = "linkmesh") {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${process.pid}_${Date.now().toString(36)}_${n++}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const target = new URL(url);
      target.pathname = `/${name}`;
      return target.toString();
    },
    stop,
  };
}

/** Starts a fresh cluster (about 3 s: initdb dominates), or wraps LINKMESH_TEST_PG_URL when set. */
export async function startPostgres(): Promise<PostgresCluster> {
  const external = process.env[EXTERNAL_PG_ENV];
  if (external) return clusterOf(external, async () => undefined);
  const bin = await findPostgresBin();
  if (bin === null) throw new Error("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
  const root = await tempDir("pg");
  const data = join(root, "data");
  const sockets = join(root, "sock");
  await mkdir(sockets);
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    for (const dir of [root, sockets]) await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    await chmod(root, 0o700);
  }
  const [initCmd, initArgs] = asPostgres([
    join(bin, "initdb"),
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--no-instructions",
  ]);
  await run(initCmd, initArgs);
  const port = await freePort();
  const [cmd, args] = asPostgres([
    join(bin, "postgres"),
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    sockets,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
    "-c",
    "shared_buffers=32MB",
  ]);
  // Its own process group so the whole cluster (postmaster + workers) can be signalled at once.
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  child.stdout?.on("data", (c: Buffer) => {
    log += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    log += c.toString();
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // SIGINT = fast shutdown: open sessions are ended, nothing waits for clients.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGINT");
      const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(root, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return clusterOf(url, stop);
}

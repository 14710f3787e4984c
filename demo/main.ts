// `npm run demo [-- --hosts N]`: a relay on the embedded SQLite default in a fresh temporary data directory, and a
// simulated fleet beside it. Prints the UI URL and the operator secret; Ctrl-C stops everything and cleans up.

import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { type RelayProcess, startRelay, tempDir } from "../test/rig/index.js";
import { BROKEN_STORY, DEFAULT_FLEET_OPTIONS, type Fleet, startFleet } from "./index.js";

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
};

const program = new Command("demo")
  .description("LinkMesh demo: a relay and a simulated fleet of collectors on this machine")
  .option("--hosts <n>", "how many hosts", positive("--hosts"), DEFAULT_FLEET_OPTIONS.hosts)
  .option("--port <port>", "relay port on 127.0.0.1 (0 = any free port)", positive("--port"), 8080)
  .option("--fast", "compressed time for tests: push every second, samples 15 s apart, agents every second")
  .option("--fresh-hold <seconds>", "how long the fresh collector waits for its second push", positive("--fresh-hold"))
  .option("--keep", "keep the data directory after stopping")
  .showHelpAfterError();

const out = (line: string) => process.stdout.write(`${line}\n`);
let relay: RelayProcess | null = null;
let fleet: Fleet | null = null;
let stopping: Promise<void> | null = null;
let cleanup: (why: string) => Promise<void> = async () => {};

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{ hosts: number; port: number; fast?: boolean; freshHold?: number; keep?: boolean }>();
  const dataDir = await tempDir("demo");
  const adminToken = `demo-${randomBytes(12).toString("base64url")}`;
  const stop = (why: string) => {
    stopping ??= (async () => {
      out(`\nstopping (${why}): agents, collectors, relay ...`);
      await fleet?.stop();
      await relay?.stop();
      if (!flags.keep) await rm(dataDir, { recursive: true, force: true });
      out(flags.keep ? `stopped; data kept in ${dataDir}` : "stopped; nothing left running");
    })();
    return stopping;
  };
  cleanup = stop;
  process.once("SIGINT", () => void stop("Ctrl-C").then(() => process.exit(0)));
  process.once("SIGTERM", () => void stop("SIGTERM").then(() => process.exit(0)));

  out(`LinkMesh demo: relay data in ${dataDir} (a fresh temporary directory, removed on stop)`);
  const env = { LINKMESH_ADMIN_TOKEN: adminToken };
  const relayDir = join(dataDir, "relay");
  await mkdir(relayDir, { recursive: true });
  try {
    relay = await startRelay({ dataDir: relayDir, env, port: flags.port });
  } catch (error) {
    if (flags.port === 0 || !/in use/.test((error as Error).message)) throw error;
    out(`port ${flags.port} is in use; taking a free one`);
    relay = await startRelay({ dataDir: relayDir, env, port: 0 });
  }
  out("");
  out(`  UI:              ${relay.url}/`);
  out(`  operator secret: ${adminToken}`);
  out("");

  const fast = flags.fast === true;
  out(`starting ${flags.hosts} hosts (each a real linkmesh-agent process beside a simulated collector):`);
  fleet = await startFleet({
    relayUrl: relay.url,
    adminToken,
    hosts: flags.hosts,
    workDir: join(dataDir, "hosts"),
    pushIntervalMs: fast ? 1_000 : DEFAULT_FLEET_OPTIONS.pushIntervalMs,
    sampleStepMs: fast ? 15_000 : DEFAULT_FLEET_OPTIONS.sampleStepMs,
    agentIntervalSeconds: fast ? 1 : DEFAULT_FLEET_OPTIONS.agentIntervalSeconds,
    freshHoldMs: flags.freshHold !== undefined ? flags.freshHold * 1000 : DEFAULT_FLEET_OPTIONS.freshHoldMs,
    breakAfterPushes: DEFAULT_FLEET_OPTIONS.breakAfterPushes,
    log: out,
  });
  out("");
  out(`fleet running: ${fleet.hosts.length} hosts push self-telemetry every ${fast ? 1 : 15} s.`);
  for (const host of fleet.hosts) {
    if (host.plan.broken) out(`  ${host.plan.hostname.padEnd(22)} ${BROKEN_STORY[host.plan.broken]}`);
  }
  out(`open ${relay.url}/ and log in with the operator secret above; Ctrl-C stops everything.`);
  const exited = relay.child;
  exited.once("exit", (code) => {
    if (!stopping) {
      out(`the relay exited (${code}); its output:\n${relay?.output() ?? ""}`);
      void stop("relay exited").then(() => process.exit(1));
    }
  });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
  await cleanup("error");
  process.exit(1);
});

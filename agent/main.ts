// The `linkmesh-agent` command: enroll | run | status | doctor | snapshot. Messages say what to do next;
// exit codes: 0 ok, 1 a check failed, 2 usage or configuration error, 3 the relay refused or was unreachable.

import { Command, Option } from "commander";
import { applyBootstrap, BootstrapError, removeBootstrap } from "./bootstrap/index.js";
import { AGENT_VERSION, DaemonError, startDaemon } from "./daemon/index.js";
import { registerDoctorCommand } from "./doctor/index.js";
import { EnrollError, enroll } from "./enroll/index.js";
import { hostPaths } from "./paths/index.js";
import { registerSnapshotCommand, SnapshotError } from "./snapshot/index.js";
import { readStatus, renderStatus, statusVerdict } from "./status/index.js";

const DEFAULT_ALLOY_HTTP = "http://127.0.0.1:12345";

const program = new Command("linkmesh-agent")
  .description("LinkMesh agent: makes this host's collector report its topology and throughput")
  .option("--root <dir>", "prefix for every host path (env LINKMESH_ROOT)", process.env.LINKMESH_ROOT ?? "/")
  .option("--journal-dir <dir>", "read journal files from this directory instead of the system journal")
  .showHelpAfterError();

program
  .command("enroll")
  .description("exchange an enrollment token for this host's credentials")
  .requiredOption("--server <url>", "the relay URL, e.g. https://relay.example.net")
  // The token may come from the environment so it never shows in the process list (ps is world-readable).
  .option("--token <token>", "an enrollment token minted in the LinkMesh UI (lme_...; env LINKMESH_ENROLL_TOKEN)")
  .addOption(
    new Option("--collector <type>", "which collector runs here")
      .choices(["alloy", "otelcol-contrib"])
      .default("alloy"),
  )
  .option("--hostname <name>", "the name this host reports (default: the system hostname)")
  .option(
    "--collector-http <url>",
    "the collector's local HTTP server (Alloy: reload and /metrics)",
    DEFAULT_ALLOY_HTTP,
  )
  .option("--no-bootstrap", "only store the credentials; leave the collector's config alone")
  .option("--json", "print the result as JSON")
  .action(
    async (opts: {
      server: string;
      token?: string;
      collector: "alloy" | "otelcol-contrib";
      hostname?: string;
      collectorHttp: string;
      bootstrap: boolean;
      json?: boolean;
    }) => {
      const globals = program.opts<{ root: string }>();
      const paths = hostPaths(globals.root);
      const log = opts.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
      const token = opts.token ?? process.env.LINKMESH_ENROLL_TOKEN?.trim();
      if (!token) {
        process.stderr.write(
          "linkmesh-agent: no enrollment token: pass --token lme_... or set LINKMESH_ENROLL_TOKEN (mint one in the UI under Enroll)\n",
        );
        process.exit(2);
      }
      const settings = await enroll({
        server: opts.server,
        token,
        collectorType: opts.collector,
        paths,
        ...(opts.hostname ? { hostname: opts.hostname } : {}),
        log,
      });
      let bootstrap = null;
      if (opts.bootstrap && settings.collectorType === "alloy") {
        log(`adding the LinkMesh blocks to ${paths.alloyConfigFile}`);
        bootstrap = await applyBootstrap({
          paths,
          otlpEndpoint: settings.otlpEndpoint,
          collectorHttp: opts.collectorHttp,
          log,
        });
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...settings, bootstrap })}\n`);
      else log("next: start the agent with `linkmesh-agent run` (or `systemctl enable --now linkmesh-agent`)");
    },
  );

const seconds = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, got "${value}"`);
  return Math.round(n * 1000);
};

program
  .command("run")
  .description("run the agent daemon: watch the collector, report to the relay (what systemd starts)")
  .option("--collector-http <url>", "the collector's local HTTP server (default: Alloy 127.0.0.1:12345, otelcol :8888)")
  .option("--unit <name>", "the collector's systemd unit (default: alloy.service / otelcol-contrib.service)")
  .option("--enforce", "put the LinkMesh blocks back when they vanish from the collector config")
  .option(
    "--scrape-interval <seconds>",
    "how often to read the collector's /metrics",
    seconds("--scrape-interval"),
    30_000,
  )
  .option("--health-interval <seconds>", "how often to report host health", seconds("--health-interval"), 30_000)
  .option("--heartbeat <seconds>", "heartbeat interval on the relay link", seconds("--heartbeat"), 15_000)
  .option(
    "--reconnect-max <seconds>",
    "longest wait between reconnects to the relay",
    seconds("--reconnect-max"),
    60_000,
  )
  .option("--silent-after <scrapes>", "scrapes without self-telemetry before a component counts as silent", "3")
  .action(
    async (opts: {
      collectorHttp?: string;
      unit?: string;
      enforce?: boolean;
      scrapeInterval: number;
      healthInterval: number;
      heartbeat: number;
      reconnectMax: number;
      silentAfter: string;
    }) => {
      const globals = program.opts<{ root: string; journalDir?: string }>();
      const daemon = await startDaemon({
        paths: hostPaths(globals.root),
        ...(globals.journalDir !== undefined ? { journalDir: globals.journalDir } : {}),
        ...(opts.collectorHttp !== undefined ? { collectorHttp: opts.collectorHttp } : {}),
        ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
        enforce: opts.enforce === true,
        scrapeIntervalMs: opts.scrapeInterval,
        healthIntervalMs: opts.healthInterval,
        heartbeatMs: opts.heartbeat,
        reconnectMaxMs: opts.reconnectMax,
        silentAfter: Math.max(1, Number.parseInt(opts.silentAfter, 10) || 3),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      const shutdown = () => {
        void daemon.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", shutdown);
      process.once("SIGINT", shutdown);
    },
  );

program
  .command("status")
  .description("show what the running agent sees: link, last scrape, mismatches, outbox")
  .option("--json", "print the status as JSON")
  .action(async (opts: { json?: boolean }) => {
    const globals = program.opts<{ root: string }>();
    const paths = hostPaths(globals.root);
    const reading = await readStatus(paths);
    const verdict = statusVerdict(reading, Date.now(), pidAlive);
    if (opts.json) {
      const status = reading.kind === "status" ? reading.status : null;
      process.stdout.write(`${JSON.stringify({ ok: verdict.code === 0, summary: verdict.summary, status })}\n`);
    } else if (reading.kind === "status") {
      process.stdout.write(renderStatus(reading.status, verdict));
    } else {
      process.stdout.write(`status: ${verdict.summary}\n`);
    }
    process.exitCode = verdict.code;
  });

program
  .command("remove-bootstrap")
  .description("take the LinkMesh blocks out of the Alloy config again (the operator's part stays byte for byte)")
  .option("--collector-http <url>", "the collector's local HTTP server (Alloy: reload)", DEFAULT_ALLOY_HTTP)
  .option("--no-reload", "only rewrite the file; do not ask Alloy to reload")
  .option("--json", "print the result as JSON")
  .action(async (opts: { collectorHttp: string; reload: boolean; json?: boolean }) => {
    const globals = program.opts<{ root: string }>();
    const outcome = await removeBootstrap({
      paths: hostPaths(globals.root),
      collectorHttp: opts.reload ? opts.collectorHttp : null,
      log: opts.json ? () => {} : (line) => process.stdout.write(`${line}\n`),
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
  });

registerDoctorCommand(program);
registerSnapshotCommand(program, AGENT_VERSION);

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof BootstrapError) {
    process.stderr.write(`linkmesh-agent: bootstrap failed (${error.reason}): ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof DaemonError) {
    process.stderr.write(`linkmesh-agent: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof SnapshotError) {
    process.stderr.write(`linkmesh-agent: snapshot failed (${error.reason}): ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof EnrollError) {
    process.stderr.write(`linkmesh-agent: ${error.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`linkmesh-agent: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

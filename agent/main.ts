// The `linkmesh-agent` command: enroll | run | status | doctor | snapshot. Messages say what to do next;
// exit codes: 0 ok, 1 a check failed, 2 usage or configuration error, 3 the relay refused or was unreachable.

import { Command, Option } from "commander";
import { applyBootstrap, BootstrapError } from "./bootstrap/index.js";
import { EnrollError, enroll } from "./enroll/index.js";
import { hostPaths } from "./paths/index.js";

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
  .requiredOption("--token <token>", "an enrollment token minted in the LinkMesh UI (lme_...)")
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
      token: string;
      collector: "alloy" | "otelcol-contrib";
      hostname?: string;
      collectorHttp: string;
      bootstrap: boolean;
      json?: boolean;
    }) => {
      const globals = program.opts<{ root: string }>();
      const paths = hostPaths(globals.root);
      const log = opts.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
      const settings = await enroll({
        server: opts.server,
        token: opts.token,
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

program.parseAsync().catch((error: unknown) => {
  if (error instanceof BootstrapError) {
    process.stderr.write(`linkmesh-agent: bootstrap failed (${error.reason}): ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof EnrollError) {
    process.stderr.write(`linkmesh-agent: ${error.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`linkmesh-agent: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

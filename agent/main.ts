// The `linkmesh-agent` command: enroll | run | status | doctor | snapshot. Messages say what to do next;
// exit codes: 0 ok, 1 a check failed, 2 usage or configuration error, 3 the relay refused or was unreachable.

import { Command, Option } from "commander";
import { EnrollError, enroll } from "./enroll/index.js";
import { hostPaths } from "./paths/index.js";

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
  .option("--json", "print the result as JSON")
  .action(
    async (opts: {
      server: string;
      token: string;
      collector: "alloy" | "otelcol-contrib";
      hostname?: string;
      json?: boolean;
    }) => {
      const globals = program.opts<{ root: string }>();
      const settings = await enroll({
        server: opts.server,
        token: opts.token,
        collectorType: opts.collector,
        paths: hostPaths(globals.root),
        ...(opts.hostname ? { hostname: opts.hostname } : {}),
        log: opts.json ? () => {} : (line) => process.stdout.write(`${line}\n`),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(settings)}\n`);
    },
  );

program.parseAsync().catch((error: unknown) => {
  if (error instanceof EnrollError) {
    process.stderr.write(`linkmesh-agent: ${error.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`linkmesh-agent: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

// The `linkmesh-relay` command: parse flags and environment, start the server, print first-start secrets once.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { ConfigError, DEFAULT_DB, DEFAULT_LISTEN, resolveRelayConfig } from "./config/index.js";
import { buildRelay } from "./server/index.js";

const program = new Command("linkmesh-relay")
  .description("LinkMesh relay: fleet state, OTLP receiver, agent links and the operator UI")
  .option("--listen <host:port>", `address to listen on (env LINKMESH_LISTEN; default ${DEFAULT_LISTEN})`)
  .option("--db <url>", `sqlite:PATH or postgres://... (env LINKMESH_DB; default ${DEFAULT_DB})`)
  .option("--public-url <url>", "URL agents and collectors use to reach this relay (env LINKMESH_PUBLIC_URL)")
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{ listen?: string; db?: string; publicUrl?: string }>();
  // dist/relay.js sits beside dist/ui/.
  const uiDir = join(dirname(fileURLToPath(import.meta.url)), "ui");
  const config = resolveRelayConfig(flags, process.env, uiDir);
  const relay = await buildRelay(config);
  const bound = await relay.listen();
  const out = process.stdout;
  out.write(`LinkMesh relay listening on ${bound}\n`);
  out.write(`  UI: ${bound}/   public URL: ${relay.publicUrl()}   database: ${config.dbUrl}\n`);
  if (relay.generatedOperatorSecret) {
    out.write("\n  First start: this is the operator login secret. It is shown ONCE; store it now.\n");
    out.write(`    ${relay.generatedOperatorSecret}\n`);
    out.write("  (set LINKMESH_ADMIN_TOKEN to choose your own)\n\n");
  }
  out.write(`  Add a host: mint a token in the UI (Enroll), then on the host run:\n`);
  out.write(`    curl -fsSL ${relay.publicUrl()}/install.sh | sudo sh -s -- --token <TOKEN>\n`);
  const stop = async (signal: string) => {
    relay.app.log.info(`received ${signal}, shutting down`);
    await relay.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`linkmesh-relay: ${error.message}\n`);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    process.stderr.write("linkmesh-relay: the listen address is in use; pick another with --listen HOST:PORT\n");
    process.exit(3);
  }
  process.stderr.write(`linkmesh-relay: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

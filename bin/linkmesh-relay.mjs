#!/usr/bin/env node
// Runs the built relay (npm run build produces dist/relay.js).
import { existsSync } from "node:fs";

const entry = new URL("../dist/relay.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("linkmesh-relay: not built yet; run `npm run build` first\n");
  process.exit(2);
}
await import(entry.href);

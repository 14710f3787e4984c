#!/usr/bin/env node
// Runs the built agent (npm run build produces dist/agent.js).
import { existsSync } from "node:fs";

const entry = new URL("../dist/agent.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("linkmesh-agent: not built yet; run `npm run build` first\n");
  process.exit(2);
}
await import(entry.href);

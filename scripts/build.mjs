// Builds everything that runs outside vitest: dist/relay.js, dist/agent.js (self-contained), dist/ui/.
// Optional entries (demo, bench) are built when their sources exist.
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { build } from "esbuild";

const started = Date.now();
const nodeBanner = {
  js: "import { createRequire as __lmCreateRequire } from 'node:module'; const require = __lmCreateRequire(import.meta.url);",
};
const node = {
  platform: "node",
  target: "node20",
  format: "esm",
  bundle: true,
  sourcemap: true,
  banner: nodeBanner,
  logLevel: "warning",
};

const jobs = [
  // The relay keeps node_modules (native better-sqlite3, pg) external.
  build({ ...node, entryPoints: ["relay/main.ts"], outfile: "dist/relay.js", packages: "external" }),
  // The agent bundles its dependencies: one file that needs nothing but Node.
  build({
    ...node,
    entryPoints: ["agent/main.ts"],
    outfile: "dist/agent.js",
    external: ["bufferutil", "utf-8-validate", "fsevents"],
  }),
  build({
    entryPoints: ["ui/app.ts"],
    outfile: "dist/ui/assets/app.js",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  }),
];
for (const [name, entry] of [
  ["demo", "demo/main.ts"],
  ["bench", "bench/main.ts"],
]) {
  if (existsSync(entry))
    jobs.push(build({ ...node, entryPoints: [entry], outfile: `dist/${name}.js`, packages: "external" }));
}
await mkdir("dist/ui", { recursive: true });
await Promise.all(jobs);
await copyFile("ui/index.html", "dist/ui/index.html");
process.stdout.write(`build: dist/ ready in ${Date.now() - started} ms\n`);

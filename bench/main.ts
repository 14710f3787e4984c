// `npm run bench`: runs every registered benchmark row (or `-- --only <name>`), prints name, numbers, target and
// the command to rerun, and writes all rows to bench/out/results.json. Add a row: a file that calls
// `registerBench`, imported below.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import "./agent-footprint.js";
import "./canvas.js";
import { serveIfAsked } from "./otlp-ingest.js";
import "./rate-engine.js";
import "./fleet-scale.js";
import "./replicas.js";
import { type BenchRow, registeredBenches, rerunCommand } from "./registry.js";

const OUT_DIR = join(process.cwd(), "bench", "out");
const OUT_FILE = join(OUT_DIR, "results.json");

function format(row: BenchRow): string {
  const lines = [`${row.pass ? "PASS" : "MISS"}  ${row.name}`];
  for (const [label, value] of Object.entries(row.numbers)) lines.push(`      ${label}: ${value}`);
  lines.push(`      target: ${row.target}`);
  if (row.notes) lines.push(`      notes: ${row.notes}`);
  lines.push(`      rerun: ${row.rerun}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (await serveIfAsked(argv)) return;
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt === -1 ? null : (argv[onlyAt + 1] ?? "");
  const selected = registeredBenches().filter((d) => only === null || d.name === only);
  if (selected.length === 0) {
    process.stderr.write(
      `no bench named "${only}"; known: ${registeredBenches()
        .map((d) => d.name)
        .join(", ")}\n`,
    );
    process.exit(2);
  }
  let previous: BenchRow[] = [];
  try {
    previous = (JSON.parse(await readFile(OUT_FILE, "utf8")) as { rows: BenchRow[] }).rows;
  } catch {
    // first run
  }
  const rows: BenchRow[] = [];
  for (const definition of selected) {
    process.stdout.write(`running ${definition.name} ...\n`);
    const result = await definition.run();
    const row: BenchRow = {
      name: definition.name,
      rerun: rerunCommand(definition.name),
      at: new Date().toISOString(),
      ...result,
    };
    rows.push(row);
    process.stdout.write(`${format(row)}\n`);
  }
  const merged = [...previous.filter((p) => !rows.some((r) => r.name === p.name)), ...rows];
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(OUT_FILE, `${JSON.stringify({ rows: merged }, null, 2)}\n`);
  process.stdout.write(`results: ${OUT_FILE}\n`);
}

main().then(
  () => {
    if (!process.argv.includes("--serve-otlp")) process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

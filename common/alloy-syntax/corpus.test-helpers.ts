// Test helpers: locations of the shared Alloy corpus (read in place, never copied) and its annotations.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ALLOY_CORPUS = fileURLToPath(new URL("../../../shared/corpus/alloy/", import.meta.url));
export const ALLOY_REFERENCE = fileURLToPath(new URL("../../../shared/reference/alloy.md", import.meta.url));

export function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f)) : [join(dir, f)]));
}

/** The first fenced ```alloy block after `heading` in the reference notes. */
export function referenceAlloyBlock(heading: string): string {
  const md = readFileSync(ALLOY_REFERENCE, "utf8");
  const from = md.indexOf(heading);
  if (from < 0) throw new Error(`heading ${heading} not found in alloy.md`);
  const start = md.indexOf("```alloy\n", from);
  const end = md.indexOf("```", start + 9);
  return md.slice(start + "```alloy\n".length, end);
}

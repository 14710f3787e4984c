import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this module with a package.json: works from test/rig/ and from a bundle in dist/. */
function findRepoRoot(): string {
  let dir = fileURLToPath(new URL(".", import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return fileURLToPath(new URL("../..", import.meta.url));
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
/** ../shared/corpus, read in place (never copied into the repo). */
export const CORPUS_DIR = join(REPO_ROOT, "..", "shared", "corpus");
export const DIST_DIR = join(REPO_ROOT, "dist");

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `linkmesh-${prefix}-`));
}

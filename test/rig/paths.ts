import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** ../shared/corpus, read in place (never copied into the repo). */
export const CORPUS_DIR = join(REPO_ROOT, "..", "shared", "corpus");
export const DIST_DIR = join(REPO_ROOT, "dist");

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `linkmesh-${prefix}-`));
}

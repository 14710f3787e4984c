import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readTar, tarArchive } from "./tar.js";

describe("the snapshot's tar writer", () => {
  const entries = [
    { name: "snap/manifest.json", data: Buffer.from('{"files":[]}\n'), mtimeMs: 1_750_000_000_000 },
    { name: "snap/empty.txt", data: Buffer.alloc(0), mtimeMs: 1_750_000_000_000 },
    { name: "snap/big.log", data: Buffer.from("ümlaut line\n".repeat(1000)), mtimeMs: 1_750_000_000_000 },
  ];

  it("writes archives GNU tar lists and extracts byte for byte", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tar-"));
    const file = join(dir, "a.tar.gz");
    await writeFile(file, gzipSync(tarArchive(entries)));
    const listing = execFileSync("tar", ["-tzvf", file], { encoding: "utf8" });
    expect(listing).toContain("snap/big.log");
    execFileSync("tar", ["-xzf", file, "-C", dir]);
    for (const e of entries) expect(await readFile(join(dir, e.name))).toEqual(e.data);
  });

  it("reads back what it wrote", () => {
    expect(readTar(tarArchive(entries))).toEqual(entries.map(({ name, data }) => ({ name, data })));
  });

  it("refuses member names tar would cut", () => {
    expect(() => tarArchive([{ name: "x".repeat(101), data: Buffer.alloc(1), mtimeMs: 0 }])).toThrow(/longer than 100/);
  });
});

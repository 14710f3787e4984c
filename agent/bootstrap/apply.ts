// Writing the bootstrap config on the host: merge, back up, atomic write with the collector's group, reload,
// and put the previous config back when Alloy refuses the new one (the reload's 400 body says why).

import { chmod, chown, readFile, rm, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { writeFileAtomic } from "../files/index.js";
import type { HostPaths } from "../paths/index.js";
import { BootstrapError, type MergeResult, mergeBootstrap, splitManagedSection } from "./merge.js";

export const ALLOY_GROUP = "alloy";
export const RELOAD_PATH = "/-/reload";

export interface ApplyBootstrapOptions {
  paths: HostPaths;
  otlpEndpoint: string;
  /** Alloy's HTTP server (`http://127.0.0.1:12345`); null skips the reload. */
  collectorHttp: string | null;
  log?: (line: string) => void;
  /** The atomic writer (tests inject a failing one). */
  write?: typeof writeFileAtomic;
}

export interface BootstrapOutcome extends Pick<MergeResult, "label" | "exporterId" | "notes"> {
  changed: boolean;
  configFile: string;
  backupFile: string | null;
  reload: "reloaded" | "unchanged" | "collector_not_running" | "skipped";
}

/** Where the previous config goes before each change (not `*.alloy`, so a config directory never loads it). */
export function backupPath(configFile: string): string {
  return `${configFile}.linkmesh-backup`;
}

/** A host path as the collector sees it: `--root` stripped, always absolute. */
export function hostVisiblePath(paths: HostPaths, path: string): string {
  return `/${relative(paths.root, path).split(sep).join("/")}`;
}

/** The gid of `name` in `<root>/etc/group`, or null when the group (or the file) does not exist. */
export async function groupId(paths: HostPaths, name: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(join(paths.root, "etc/group"), "utf8");
  } catch {
    return null;
  }
  for (const line of text.split("\n")) {
    const [group, , gid] = line.split(":");
    if (group === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return null;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

interface Ownership {
  mode: number;
  uid?: number;
  gid?: number;
}

/** Keep an existing file's owner and mode; a new one is root:alloy 0640 when the alloy group exists, else 0644. */
async function ownershipFor(paths: HostPaths, file: string): Promise<Ownership> {
  try {
    const s = await stat(file);
    return { mode: s.mode & 0o777, uid: s.uid, gid: s.gid };
  } catch {
    const gid = await groupId(paths, ALLOY_GROUP);
    if (gid !== null && process.getuid?.() === 0) return { mode: 0o640, uid: 0, gid };
    return { mode: 0o644 };
  }
}

export async function applyBootstrap(options: ApplyBootstrapOptions): Promise<BootstrapOutcome> {
  const log = options.log ?? (() => {});
  const write = options.write ?? writeFileAtomic;
  const { paths } = options;
  const configFile = paths.alloyConfigFile;
  const existing = await readIfExists(configFile);
  const merged = mergeBootstrap(existing, {
    otlpEndpoint: options.otlpEndpoint,
    tokenFile: hostVisiblePath(paths, paths.alloyTokenFile),
  });
  for (const note of merged.notes) log(note);
  const base = { label: merged.label, exporterId: merged.exporterId, notes: merged.notes, configFile };
  await shareTokenWithAlloy(paths, log);
  if (existing === merged.text) {
    log(`${configFile} already has the LinkMesh blocks: unchanged`);
    return { ...base, changed: false, backupFile: null, reload: "unchanged" };
  }
  const ownership = await ownershipFor(paths, configFile);
  let backupFile: string | null = null;
  if (existing !== null) {
    backupFile = backupPath(configFile);
    await write(backupFile, existing, ownership);
    log(`backed up the previous config to ${backupFile}`);
  }
  try {
    await write(configFile, merged.text, ownership);
  } catch (error) {
    throw new BootstrapError(
      "write_failed",
      `could not write ${configFile} (${(error as Error).message}); the previous config is unchanged`,
    );
  }
  log(`wrote the LinkMesh blocks (label "${merged.label}") to ${configFile}`);
  if (options.collectorHttp === null) return { ...base, changed: true, backupFile, reload: "skipped" };
  const reload = await reloadAlloy(options.collectorHttp);
  if (reload.kind === "not_running") {
    log(
      `Alloy is not answering at ${options.collectorHttp} (${reload.detail}); it loads the new config when it starts`,
    );
    return { ...base, changed: true, backupFile, reload: "collector_not_running" };
  }
  if (reload.kind === "rejected") {
    if (existing === null) await rm(configFile, { force: true });
    else await write(configFile, existing, ownership);
    throw new BootstrapError(
      "reload_rejected",
      `Alloy refused the new config: ${reload.detail}; the previous config was put back${backupFile ? ` (copy in ${backupFile})` : ""}`,
    );
  }
  log("Alloy reloaded the config");
  return { ...base, changed: true, backupFile, reload: "reloaded" };
}

/** Alloy runs as user alloy: the token file must be readable by its group (still no trailing newline). */
async function shareTokenWithAlloy(paths: HostPaths, log: (line: string) => void): Promise<void> {
  const gid = await groupId(paths, ALLOY_GROUP);
  if (gid === null || process.getuid?.() !== 0) return;
  try {
    await chown(paths.alloyTokenFile, 0, gid);
    await chmod(paths.alloyTokenFile, 0o640);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    log(`no collector token at ${paths.alloyTokenFile} yet: enroll writes it`);
  }
}

type ReloadResult =
  | { kind: "reloaded" }
  | { kind: "rejected"; detail: string }
  | { kind: "not_running"; detail: string };

/** `POST /-/reload`: 200 "config reloaded" or 400 with Alloy's error text. */
export async function reloadAlloy(collectorHttp: string): Promise<ReloadResult> {
  // Node's built-in fetch: the agent stays small (undici's npm package alone is a megabyte of bundle).
  let response: Response;
  try {
    response = await fetch(`${collectorHttp.replace(/\/+$/, "")}${RELOAD_PATH}`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { kind: "not_running", detail: cause ?? (error as Error).message };
  }
  const body = (await response.text()).trim();
  if (response.ok) return { kind: "reloaded" };
  return { kind: "rejected", detail: body === "" ? `HTTP ${response.status}` : body.slice(0, 2000) };
}

export interface RemoveBootstrapOutcome {
  changed: boolean;
  configFile: string;
  reload: "reloaded" | "unchanged" | "collector_not_running" | "skipped";
}

/**
 * Takes the LinkMesh section out again (uninstall): the operator's text below the end marker becomes the whole
 * file, byte for byte. A refused reload puts the managed config back, so Alloy never runs a config it rejected.
 */
export async function removeBootstrap(options: {
  paths: HostPaths;
  collectorHttp: string | null;
  log?: (line: string) => void;
  write?: typeof writeFileAtomic;
}): Promise<RemoveBootstrapOutcome> {
  const log = options.log ?? (() => {});
  const write = options.write ?? writeFileAtomic;
  const configFile = options.paths.alloyConfigFile;
  const existing = await readIfExists(configFile);
  const split = existing === null ? null : splitManagedSection(existing);
  if (existing === null || split === null || split.managed === null) {
    log(`${configFile} has no LinkMesh section: unchanged`);
    return { changed: false, configFile, reload: "unchanged" };
  }
  const ownership = await ownershipFor(options.paths, configFile);
  await write(configFile, split.user, ownership);
  log(`took the LinkMesh blocks out of ${configFile}; the rest of the file is as it was`);
  const backup = backupPath(configFile);
  // The backup made at enrollment is redundant once the file is back to the same bytes.
  if ((await readIfExists(backup)) === split.user) {
    await rm(backup, { force: true });
    log(`removed ${backup} (same content as the restored config)`);
  }
  if (options.collectorHttp === null) return { changed: true, configFile, reload: "skipped" };
  const reload = await reloadAlloy(options.collectorHttp);
  if (reload.kind === "not_running") {
    log(`Alloy is not answering at ${options.collectorHttp} (${reload.detail}); it loads the config when it starts`);
    return { changed: true, configFile, reload: "collector_not_running" };
  }
  if (reload.kind === "rejected") {
    await write(configFile, existing, ownership);
    throw new BootstrapError(
      "reload_rejected",
      `Alloy refused the config without the LinkMesh blocks: ${reload.detail}; the LinkMesh section was put back`,
    );
  }
  log("Alloy reloaded the config");
  return { changed: true, configFile, reload: "reloaded" };
}

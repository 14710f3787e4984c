// Merging the managed section with the operator's own config, and checking a config for drift. Pure.
// The operator's text is never rewritten: it sits byte for byte below the end marker.

import type { BlockStmt, Stmt } from "../../common/alloy-syntax/index.js";
import { formatSyntaxError, parseAlloy, unquoteAlloyString } from "../../common/alloy-syntax/index.js";
import {
  BOOTSTRAP_END_MARKER,
  BOOTSTRAP_MARKER,
  type BootstrapSettings,
  bootstrapLabels,
  linkmeshExporterId,
  renderManagedSection,
  SELF_TELEMETRY_BLOCKS,
} from "./blocks.js";

export class BootstrapError extends Error {
  constructor(
    readonly reason: "user_config_invalid" | "write_failed" | "reload_rejected" | "no_free_label",
    message: string,
  ) {
    super(message);
    this.name = "BootstrapError";
  }
}

const BASE_LABEL = "linkmesh";
const MAX_LABEL_TRIES = 100;

/** A config split into the LinkMesh-managed section (if any) and the operator's text. */
export interface SplitConfig {
  managed: string | null;
  user: string;
}

/** Everything up to and including the end-marker line is ours; without an end marker the whole file is the operator's. */
export function splitManagedSection(text: string): SplitConfig {
  const lines = text.split("\n");
  let offset = 0;
  for (const line of lines) {
    const end = offset + line.length + 1;
    if (line.trimEnd() === BOOTSTRAP_END_MARKER) {
      return { managed: text.slice(0, Math.min(end, text.length)), user: text.slice(Math.min(end, text.length)) };
    }
    offset = end;
  }
  return { managed: null, user: text };
}

function topLevelBlocks(body: Stmt[]): BlockStmt[] {
  return body.filter((s): s is BlockStmt => s.type === "block");
}

/** Component ids (`name.label`) declared at the top level of the operator's config. */
function declaredIds(blocks: BlockStmt[]): Set<string> {
  return new Set(blocks.filter((b) => b.label !== "").map((b) => `${b.name.join(".")}.${b.label}`));
}

/** `linkmesh`, else `linkmesh_2`, `linkmesh_3`...: the first label none of the managed blocks collides with. */
export function chooseLabel(taken: ReadonlySet<string>): string {
  for (let i = 1; i <= MAX_LABEL_TRIES; i++) {
    const label = i === 1 ? BASE_LABEL : `${BASE_LABEL}_${i}`;
    const ids = Object.entries(bootstrapLabels(label)).map(([name, l]) => `${name}.${l}`);
    if (!ids.some((id) => taken.has(id))) return label;
  }
  throw new BootstrapError("no_free_label", "every linkmesh label is taken in this config; rename some blocks");
}

export interface MergeResult {
  text: string;
  /** Label of the managed blocks (`linkmesh` unless the operator's config already uses it). */
  label: string;
  exporterId: string;
  /** Set when the operator's config has its own `logging` block, which is then kept and ours omitted. */
  userLogging: { level: string | null } | null;
  /** Set when the operator's config has a `remotecfg` block (kept as is; LinkMesh never adds one). */
  userRemotecfg: boolean;
  /** Human notes for the progress output (e.g. a logging level that hides retries). */
  notes: string[];
}

function stringAttribute(b: BlockStmt, name: string): string | null {
  for (const s of b.body) {
    if (s.type === "attribute" && s.name.name === name && s.value.type === "literal" && s.value.kind === "STRING") {
      return unquoteAlloyString(s.value.value) ?? null;
    }
  }
  return null;
}

/**
 * The full config: the managed section, then the operator's config verbatim. Deterministic, so re-running on
 * its own output gives the same bytes. Alloy rejects a second `logging` block: when the operator has one we keep
 * theirs (their file is never edited) and say so when its level hides info-level export retries.
 */
export function mergeBootstrap(existing: string | null, settings: Omit<BootstrapSettings, "withLogging">): MergeResult {
  const { user } = splitManagedSection(existing ?? "");
  const parsed = parseAlloy(user, "config.alloy");
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new BootstrapError(
      "user_config_invalid",
      `the existing Alloy config does not parse (${first ? formatSyntaxError(first) : "syntax error"}); fix it, then enroll again`,
    );
  }
  const blocks = topLevelBlocks(parsed.file.body);
  const label = chooseLabel(declaredIds(blocks));
  const logging = blocks.find((b) => b.name.join(".") === "logging" && b.label === "");
  const userLogging = logging ? { level: stringAttribute(logging, "level") } : null;
  const userRemotecfg = blocks.some((b) => b.name.join(".") === "remotecfg");
  const notes: string[] = [];
  if (userLogging) {
    const level = userLogging.level ?? "info";
    notes.push(
      level === "info" || level === "debug"
        ? `kept your logging block (level ${level})`
        : `kept your logging block (level ${level}); set level = "info" in it so export retries show in the journal`,
    );
  }
  if (userRemotecfg) notes.push("kept your remotecfg block");
  if (label !== BASE_LABEL)
    notes.push(`your config already uses the "${BASE_LABEL}" label; LinkMesh blocks use "${label}"`);
  const managed = renderManagedSection({ ...settings, withLogging: userLogging === null }, label);
  return { text: managed + user, label, exporterId: linkmeshExporterId(label), userLogging, userRemotecfg, notes };
}

export interface BootstrapInspection {
  /** The first line is the LinkMesh marker. */
  marker: boolean;
  /** Label of the managed blocks, read from the managed section (`linkmesh` when there is none). */
  label: string;
  exporterId: string;
  /** Self-telemetry component ids that the config no longer declares. */
  missing: string[];
  /** Marker gone or a self-telemetry block gone: LinkMesh no longer sees this collector's throughput. */
  drifted: boolean;
}

/** Checks a config on disk for the marker and the self-telemetry blocks (the `bootstrap_drift` condition). */
export function inspectBootstrap(text: string): BootstrapInspection {
  const marker = text.split("\n", 1)[0]?.trimEnd() === BOOTSTRAP_MARKER;
  const { managed } = splitManagedSection(text);
  let label = BASE_LABEL;
  if (managed !== null) {
    const parsedManaged = parseAlloy(managed);
    const self = parsedManaged.ok
      ? topLevelBlocks(parsedManaged.file.body).find((b) => b.name.join(".") === "prometheus.exporter.self")
      : undefined;
    if (self && self.label !== "") label = self.label;
  }
  const parsed = parseAlloy(text);
  const declared = parsed.ok ? declaredIds(topLevelBlocks(parsed.file.body)) : new Set<string>();
  const labels = bootstrapLabels(label);
  const missing = SELF_TELEMETRY_BLOCKS.map((name) => `${name}.${labels[name]}`).filter((id) => !declared.has(id));
  return { marker, label, exporterId: linkmeshExporterId(label), missing, drifted: !marker || missing.length > 0 };
}

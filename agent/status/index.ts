// The daemon's status file under stateDir and what `linkmesh-agent status` makes of it: the daemon writes,
// the CLI reads. Rendering and exit codes are pure functions of the file's content.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../files/index.js";
import type { HostPaths } from "../paths/index.js";

export const STATUS_FILE = "status.json";
/** The daemon rewrites the file at least this often; an older file means the daemon is not running. */
export const STATUS_REFRESH_MS = 10_000;

export interface JournalLineSeen {
  kind: string;
  component: string | null;
  /** When journald received the line. */
  timeMs: number;
  /** When the agent classified it. */
  classifiedAtMs: number;
  message: string;
}

export interface AgentStatus {
  pid: number;
  startedAtMs: number;
  updatedAtMs: number;
  running: boolean;
  collectorId: string;
  collectorType: string;
  relayUrl: string;
  link: { state: string; sinceMs: number; lastError: string | null };
  config: {
    path: string;
    sha256: string | null;
    components: number;
    error: string | null;
    bootstrap: { drifted: boolean; missing: string[]; exporterId: string | null } | null;
  };
  scrape: {
    lastAtMs: number | null;
    ok: boolean;
    error: string | null;
    exportActivity: string;
    exporterSent: number | null;
  };
  journal: {
    state: string;
    pid: number | null;
    restarts: number;
    lastEntryAtMs: number | null;
    recent: JournalLineSeen[];
  };
  mismatches: { reason: string; component: string; message: string }[];
  outbox: { depth: number; ackedSeq: number; dropped: Record<string, number> };
}

export function statusPath(paths: HostPaths): string {
  return join(paths.stateDir, STATUS_FILE);
}

export async function writeStatus(paths: HostPaths, status: AgentStatus): Promise<void> {
  await writeFileAtomic(statusPath(paths), `${JSON.stringify(status, null, 2)}\n`, { mode: 0o644 });
}

export type StatusReading =
  | { kind: "status"; status: AgentStatus }
  | { kind: "missing" }
  | { kind: "unreadable"; error: string };

export async function readStatus(paths: HostPaths): Promise<StatusReading> {
  let text: string;
  try {
    text = await readFile(statusPath(paths), "utf8");
  } catch {
    return { kind: "missing" };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || !("link" in value) || !("outbox" in value)) {
      return { kind: "unreadable", error: "not an agent status file" };
    }
    return { kind: "status", status: value as AgentStatus };
  } catch (error) {
    return { kind: "unreadable", error: (error as Error).message };
  }
}

/** Exit codes of `status`: 0 live, 1 daemon not running or link not live, 2 not enrolled / no status. */
export type StatusVerdict = { code: 0 | 1 | 2; summary: string };

export function statusVerdict(
  reading: StatusReading,
  nowMs: number,
  pidAlive: (pid: number) => boolean,
): StatusVerdict {
  if (reading.kind === "missing") {
    return { code: 1, summary: "the agent daemon has not run here yet: start it with `linkmesh-agent run`" };
  }
  if (reading.kind === "unreadable") return { code: 2, summary: `cannot read the status file (${reading.error})` };
  const s = reading.status;
  const stale = nowMs - s.updatedAtMs > STATUS_REFRESH_MS * 3;
  if (!s.running || stale || !pidAlive(s.pid)) {
    return {
      code: 1,
      summary:
        "the agent daemon is not running: start it with `linkmesh-agent run` (or systemctl start linkmesh-agent)",
    };
  }
  if (s.link.state !== "live") {
    return {
      code: 1,
      summary: `the link to ${s.relayUrl} is ${s.link.state}${s.link.lastError ? ` (${s.link.lastError})` : ""}`,
    };
  }
  return { code: 0, summary: `live: reporting to ${s.relayUrl}` };
}

const time = (ms: number | null) => (ms === null ? "never" : new Date(ms).toISOString());

export function renderStatus(s: AgentStatus, verdict: StatusVerdict): string {
  const lines = [
    `status:     ${verdict.summary}`,
    `collector:  ${s.collectorId} (${s.collectorType})`,
    `link:       ${s.link.state} since ${time(s.link.sinceMs)}${s.link.lastError ? `, last error: ${s.link.lastError}` : ""}`,
    `config:     ${s.config.path}${s.config.error ? `: ${s.config.error}` : ` (${s.config.components} components)`}`,
  ];
  if (s.config.bootstrap) {
    lines.push(
      `bootstrap:  ${s.config.bootstrap.drifted ? `DRIFTED, missing ${s.config.bootstrap.missing.join(", ") || "the marker line"}` : "in place"}`,
    );
  }
  lines.push(
    `scrape:     last ${time(s.scrape.lastAtMs)}${s.scrape.error ? `, error: ${s.scrape.error}` : ""}; exports ${s.scrape.exportActivity}`,
    `journal:    ${s.journal.state}, ${s.journal.restarts} restarts, last entry ${time(s.journal.lastEntryAtMs)}`,
    `mismatches: ${s.mismatches.length === 0 ? "none" : ""}`,
    ...s.mismatches.map((m) => `  - ${m.message}`),
    `outbox:     ${s.outbox.depth} waiting, acked seq ${s.outbox.ackedSeq}, dropped ${Object.values(s.outbox.dropped).reduce((a, b) => a + b, 0)}`,
  );
  return `${lines.join("\n")}\n`;
}

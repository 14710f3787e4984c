// Collects a support snapshot on this host: effective config, the collector's journal, the agent's own log, the
// doctor verdict, ids, versions and host facts, every artefact scrubbed, each step under a timeout, size capped.

import { createHash, randomBytes } from "node:crypto";
import { open, readFile, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import type { CollectorType } from "../../common/model/index.js";
import type { DoctorVerdict, SnapshotReply } from "../../common/protocol/index.js";
import {
  collectorVersionOf,
  configFileOf,
  type DoctorOptions,
  defaultCollectorHttp,
  defaultUnit,
  type Probe,
  readJournal,
  renderVerdict,
  runDoctor,
  timed,
} from "../doctor/index.js";
import { readSettings } from "../enroll/index.js";
import { hostFacts } from "../health/index.js";
import { type ScrubKind, scrubText, scrubVerdict } from "./scrub.js";
import { type TarEntry, tarArchive } from "./tar.js";

export interface SnapshotOptions extends DoctorOptions {
  /** The window of journal lines: `15m` by default. */
  sinceMs?: number;
  /** Cap of the compressed archive (default 8 MiB, below the agent link's 16 MiB frames once base64'd). */
  maxBytes?: number;
  /** The agent's own systemd unit, read when no agent log file exists. */
  agentUnit?: string;
  agentVersion: string;
  /** Overrides the doctor run (tests; the daemon passes its own). */
  doctor?: () => Promise<DoctorVerdict>;
}

export interface Snapshot {
  markerId: string;
  fileName: string;
  archive: Buffer;
  sha256: string;
  truncated: boolean;
  /** Human notes: steps that failed or timed out, sections cut at the cap. */
  notes: string[];
}

export class SnapshotError extends Error {
  constructor(
    readonly reason: "too_large",
    message: string,
  ) {
    super(message);
    this.name = "SnapshotError";
  }
}

export const DEFAULT_SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;
const DEFAULT_SINCE_MS = 15 * 60_000;
const DOCTOR_TIMEOUT_MS = 45_000;
const AGENT_LOG_READ_MAX = 16 * 1024 * 1024;

/** `15m`, `2h`, `90s` -> milliseconds; null when malformed. */
export function parseSince(text: string): number | null {
  const m = /^(\d{1,5})([smh])$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n * (m[2] === "s" ? 1_000 : m[2] === "m" ? 60_000 : 3_600_000);
}

function newMarkerId(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `lms-${stamp}-${randomBytes(4).toString("hex")}`;
}

interface Section {
  name: string;
  kind: ScrubKind;
  text: string;
  /** Logs may be cut from the front (oldest lines) to fit the cap; other sections are small and kept whole. */
  cuttable: boolean;
}

/** Keeps the newest `budget` bytes of a log, from a line start, saying how much was dropped. */
function keepTail(text: string, budget: number): { text: string; cut: number } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= budget) return { text, cut: 0 };
  const buf = Buffer.from(text);
  let start = bytes - budget;
  const newline = buf.indexOf(10, start);
  if (newline !== -1) start = newline + 1;
  return {
    text: `[cut: the oldest ${start} bytes were dropped to keep the snapshot under its size cap]\n${buf.subarray(start).toString()}`,
    cut: start,
  };
}

async function readTail(file: string, maxBytes: number): Promise<string> {
  const size = (await stat(file)).size;
  if (size <= maxBytes) return readFile(file, "utf8");
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(maxBytes);
    await handle.read(buf, 0, maxBytes, size - maxBytes);
    return buf.toString("utf8");
  } finally {
    await handle.close();
  }
}

function stepText<T>(probe: Probe<T>, render: (value: T) => string, what: string, notes: string[]): string {
  if (probe.ok) return render(probe.value);
  notes.push(`${what}: ${probe.error}`);
  return `[not collected: ${probe.error}]\n`;
}

/** Builds the archive. Works with the relay or the collector down: a missing part says why inside the archive. */
export async function buildSnapshot(options: SnapshotOptions): Promise<Snapshot> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const stepMs = options.stepTimeoutMs ?? 10_000;
  const sinceMs = options.sinceMs ?? DEFAULT_SINCE_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
  const { paths } = options;
  const settings = await readSettings(paths);
  const type: CollectorType = options.collectorType ?? settings?.collectorType ?? "alloy";
  const markerId = newMarkerId(startedAt);
  const dir = `linkmesh-snapshot-${markerId}`;
  const from = startedAt - sinceMs;
  const notes: string[] = [];
  const configPath = configFileOf(paths, type);
  const journalDir = options.journalDir !== undefined ? { directory: options.journalDir } : {};
  const journalctl = options.journalctl !== undefined ? { journalctl: options.journalctl } : {};

  const [config, journal, agentLog, metrics, doctor] = await Promise.all([
    timed(stepMs, `reading ${configPath}`, () => readFile(configPath, "utf8")),
    timed(stepMs, "reading the collector's journal", (signal) =>
      readJournal({ unit: options.unit ?? defaultUnit(type), sinceMs: from, signal, ...journalDir, ...journalctl }),
    ),
    timed(stepMs, "reading the agent's log", async (signal) => {
      try {
        return await readTail(paths.agentLogFile, AGENT_LOG_READ_MAX);
      } catch {
        // No log file: under systemd the agent logs to its unit's journal.
        const entries = await readJournal({
          unit: options.agentUnit ?? "linkmesh-agent.service",
          sinceMs: from,
          signal,
          ...journalDir,
          ...journalctl,
        });
        return entries.map((e) => `${new Date(e.time).toISOString()} ${e.message}\n`).join("");
      }
    }),
    timed(stepMs, "reading the collector's /metrics", async (signal) => {
      const url = `${(options.collectorHttp ?? defaultCollectorHttp(type)).replace(/\/+$/, "")}/metrics`;
      const response = await fetch(url, { signal });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
      return text;
    }),
    timed(DOCTOR_TIMEOUT_MS, "running doctor", () =>
      options.doctor ? options.doctor() : runDoctor({ ...options, collectorType: type }),
    ),
  ]);

  const collectorVersion = metrics.ok ? collectorVersionOf(metrics.value) : null;
  if (!metrics.ok) notes.push(`collector version unknown: ${metrics.error}`);
  const doctorVerdict = doctor.ok ? doctor.value : null;
  const info = {
    markerId,
    createdAt: new Date(startedAt).toISOString(),
    timeRange: { from: new Date(from).toISOString(), to: new Date(startedAt).toISOString() },
    collectorId: settings?.collectorId ?? null,
    collectorType: type,
    collectorVersion,
    agentVersion: options.agentVersion,
    relayUrl: settings?.relayUrl ?? null,
    hostname: settings?.hostname ?? null,
    host: hostFacts(settings?.hostname),
    nodeVersion: process.version,
    doctorStuckAt: doctorVerdict?.stuckAt ?? null,
    configFile: configPath,
  };

  const sections: Section[] = [
    { name: "info.json", kind: "json", text: `${JSON.stringify(info, null, 2)}\n`, cuttable: false },
    {
      name: type === "alloy" ? "effective-config.alloy" : "effective-config.yaml",
      kind: type === "alloy" ? "alloy" : "yaml",
      text: stepText(config, (t) => t, "effective config", notes),
      cuttable: false,
    },
    {
      name: "collector-journal.log",
      kind: "log",
      text: stepText(
        journal,
        (entries) =>
          entries.map((e) => `${new Date(e.time).toISOString()} ${e.unit ?? ""}: ${journalMessage(e)}\n`).join(""),
        "collector journal",
        notes,
      ),
      cuttable: true,
    },
    { name: "agent.log", kind: "log", text: stepText(agentLog, (t) => t, "agent log", notes), cuttable: true },
    {
      name: "doctor.json",
      kind: "json",
      text: stepText(doctor, (v) => `${JSON.stringify(scrubVerdict(v), null, 2)}\n`, "doctor", notes),
      cuttable: false,
    },
    {
      name: "doctor.txt",
      kind: "text",
      text: doctorVerdict ? renderVerdict(scrubVerdict(doctorVerdict)) : "",
      cuttable: false,
    },
  ];
  const scrubbed = sections.map((s) => ({ ...s, text: scrubText(s.text, s.kind) }));

  // Fit under the cap: logs keep their newest lines; the budget halves until the gzip fits.
  let budget = maxBytes;
  for (let attempt = 0; attempt < 6; attempt++) {
    const cutNotes: string[] = [];
    const fitted = scrubbed.map((s) => {
      if (!s.cuttable) return s;
      const { text, cut } = keepTail(s.text, budget);
      if (cut > 0) cutNotes.push(`${s.name}: the oldest ${cut} bytes were cut to fit the ${maxBytes}-byte cap`);
      return { ...s, text };
    });
    const archive = pack(dir, fitted, [...notes, ...cutNotes], info, startedAt);
    if (archive.length <= maxBytes) {
      return {
        markerId,
        fileName: `${dir}.tar.gz`,
        archive,
        sha256: createHash("sha256").update(archive).digest("hex"),
        truncated: cutNotes.length > 0,
        notes: [...notes, ...cutNotes],
      };
    }
    budget = Math.floor(budget / 2);
  }
  throw new SnapshotError(
    "too_large",
    `the snapshot does not fit in ${maxBytes} bytes even with its logs cut; raise --max-bytes`,
  );
}

/** The journal line as the collector wrote it. */
function journalMessage(e: { message: string; fields: Record<string, string>; level: string; format: string }): string {
  if (e.format === "plain") return e.message;
  const quote = (v: string) => (/[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v);
  return [["level", e.level], ["msg", e.message], ...Object.entries(e.fields)]
    .map(([k, v]) => `${k}=${quote(v ?? "")}`)
    .join(" ");
}

function pack(dir: string, sections: readonly Section[], notes: string[], info: object, at: number): Buffer {
  const entries: TarEntry[] = sections.map((s) => ({
    name: `${dir}/${s.name}`,
    data: Buffer.from(s.text),
    mtimeMs: at,
  }));
  const manifest = {
    ...info,
    notes,
    files: entries.map((e) => ({
      name: e.name.slice(dir.length + 1),
      sizeBytes: e.data.length,
      sha256: createHash("sha256").update(e.data).digest("hex"),
    })),
  };
  const manifestText = scrubText(`${JSON.stringify(manifest, null, 2)}\n`, "json");
  entries.unshift({ name: `${dir}/manifest.json`, data: Buffer.from(manifestText), mtimeMs: at });
  return gzipSync(tarArchive(entries));
}

/** The reply to the relay's `snapshot` request: the archive base64 in the body. */
export async function snapshotReply(options: SnapshotOptions, params: Record<string, unknown>): Promise<SnapshotReply> {
  const since = typeof params.since === "string" ? parseSince(params.since) : null;
  const snapshot = await buildSnapshot({ ...options, ...(since !== null ? { sinceMs: since } : {}) });
  return {
    markerId: snapshot.markerId,
    fileName: snapshot.fileName,
    sizeBytes: snapshot.archive.length,
    sha256: snapshot.sha256,
    truncated: snapshot.truncated,
    archiveBase64: snapshot.archive.toString("base64"),
  };
}

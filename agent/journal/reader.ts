// Follows the collector's journal with `journalctl -o json -f` (a child process, argument array, no shell),
// classifies each entry, restarts journalctl with backoff when it dies, and resumes after the saved cursor.

import { type ChildProcessByStdio, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { writeFileAtomic } from "../files/index.js";
import { type ClassifiedJournalEntry, classifyJournalEntry } from "./classify.js";

export type JournalReaderState = "stopped" | "starting" | "following" | "restarting";

export interface JournalReaderOptions {
  /** systemd unit, e.g. `alloy.service`. */
  unit: string;
  /** Read journal files from this directory (`--journal-dir`) instead of the system journal. */
  directory?: string;
  /** Where the last delivered entry's cursor is kept between runs. */
  cursorFile: string;
  onEntry: (entry: ClassifiedJournalEntry) => void;
  /** Problems worth a log line: journalctl exiting, unreadable entries. */
  onProblem?: (message: string) => void;
  onState?: (state: JournalReaderState) => void;
  journalctl?: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const MAX_LINE_BYTES = 1 << 20;
const CURSOR_SAVE_INTERVAL_MS = 1_000;
/** journalctl that ran this long is considered healthy again: the next failure starts from the initial backoff. */
const HEALTHY_AFTER_MS = 10_000;

/**
 * The journalctl arguments. `--merge` because `--follow` otherwise implies `--boot`, which hides entries without
 * a boot id (journal-remote files); with no cursor yet, start at `since` rather than replaying history.
 */
export function journalctlArgs(options: {
  unit: string;
  directory?: string;
  cursor: string | null;
  sinceMs: number;
}): string[] {
  const args = ["--output=json", "--follow", "--merge", "--no-pager", `--unit=${options.unit}`];
  if (options.directory !== undefined) args.push(`--directory=${options.directory}`);
  if (options.cursor !== null) args.push(`--after-cursor=${options.cursor}`);
  else args.push(`--since=@${Math.floor(options.sinceMs / 1000)}`);
  return args;
}

/** Full-jitter exponential backoff: a random delay in [0, min(max, initial * 2^attempt)]. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30)));
}

export class JournalReader {
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private stateValue: JournalReaderState = "stopped";
  private cursor: string | null = null;
  private savedCursor: string | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private restartsValue = 0;
  private readonly startedAtMs = Date.now();

  constructor(private readonly options: JournalReaderOptions) {}

  get state(): JournalReaderState {
    return this.stateValue;
  }
  /** How many times journalctl had to be started again. */
  get restarts(): number {
    return this.restartsValue;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.stateValue !== "stopped") return;
    this.cursor = await readCursor(this.options.cursorFile);
    this.savedCursor = this.cursor;
    this.spawnJournalctl();
  }

  async stop(): Promise<void> {
    this.setState("stopped");
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    }
    await this.saveCursor();
  }

  private setState(state: JournalReaderState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.options.onState?.(state);
  }

  private spawnJournalctl(): void {
    this.setState("starting");
    const args = journalctlArgs({
      unit: this.options.unit,
      ...(this.options.directory !== undefined ? { directory: this.options.directory } : {}),
      cursor: this.cursor,
      sinceMs: this.startedAtMs,
    });
    const child = spawn(this.options.journalctl ?? "journalctl", args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const spawnedAt = Date.now();
    let pending = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (this.child !== child) return;
      this.setState("following");
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        this.handleLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
      if (pending.length > MAX_LINE_BYTES) {
        this.options.onProblem?.(`journal: skipped an entry longer than ${MAX_LINE_BYTES} bytes`);
        pending = "";
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on("spawn", () => {
      if (this.child === child) this.setState("following");
    });
    child.on("error", (error) => {
      this.options.onProblem?.(`journal: cannot run journalctl (${error.message}); is systemd installed?`);
    });
    child.on("close", (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stateValue === "stopped") return;
      if (Date.now() - spawnedAt > HEALTHY_AFTER_MS) this.failures = 0;
      const delay = backoffDelay(
        this.failures,
        this.options.initialBackoffMs ?? 500,
        this.options.maxBackoffMs ?? 30_000,
      );
      this.failures++;
      const why = signal ? `killed by ${signal}` : `exited with ${code}`;
      const detail = stderr.trim().split("\n").pop() ?? "";
      this.options.onProblem?.(`journal: journalctl ${why}${detail ? ` (${detail})` : ""}; restarting in ${delay} ms`);
      this.setState("restarting");
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stateValue !== "restarting") return;
        this.restartsValue++;
        this.spawnJournalctl();
      }, delay);
    });
  }

  private handleLine(line: string): void {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.options.onProblem?.("journal: journalctl printed a line that is not JSON; skipped");
      return;
    }
    const result = classifyJournalEntry(parsed);
    if (!result.ok) {
      this.options.onProblem?.(`journal: skipped an entry (${result.error.reason}): ${result.error.message}`);
      return;
    }
    this.cursor = result.line.cursor;
    this.scheduleCursorSave();
    this.options.onEntry(result.line);
  }

  private scheduleCursorSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.saveCursor().catch((error: Error) =>
        this.options.onProblem?.(`journal: cannot save cursor (${error.message})`),
      );
    }, CURSOR_SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  private async saveCursor(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (this.cursor === null || this.cursor === this.savedCursor) return;
    const cursor = this.cursor;
    await writeFileAtomic(this.options.cursorFile, cursor, { mode: 0o600 });
    this.savedCursor = cursor;
  }
}

async function readCursor(file: string): Promise<string | null> {
  try {
    const text = (await readFile(file, "utf8")).trim();
    return text === "" ? null : text;
  } catch {
    return null;
  }
}

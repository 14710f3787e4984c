// Real journald files for tests: entries go through Debian's systemd-journal-remote (export format on stdin,
// `--output=FILE.journal`), and the agent reads them back with the real `journalctl --directory`.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

const JOURNAL_REMOTE = ["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"].find((p) =>
  existsSync(p),
);

export interface JournalEntry {
  message: string;
  unit?: string;
  identifier?: string;
  priority?: number;
  timeMs?: number;
  fields?: Record<string, string>;
}

function exportFormat(entries: JournalEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const field = (name: string, value: string) => {
    if (!value.includes("\n")) {
      chunks.push(Buffer.from(`${name}=${value}\n`));
      return;
    }
    // Binary-safe form for values with newlines: NAME\n<le64 length><bytes>\n
    const bytes = Buffer.from(value);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(bytes.length));
    chunks.push(Buffer.from(`${name}\n`), length, bytes, Buffer.from("\n"));
  };
  for (const entry of entries) {
    const unit = entry.unit ?? "alloy.service";
    field("__REALTIME_TIMESTAMP", String(Math.round((entry.timeMs ?? Date.now()) * 1000)));
    field("_SYSTEMD_UNIT", unit);
    field("SYSLOG_IDENTIFIER", entry.identifier ?? unit.replace(/\.service$/, ""));
    field("PRIORITY", String(entry.priority ?? 6));
    for (const [name, value] of Object.entries(entry.fields ?? {})) field(name, value);
    field("MESSAGE", entry.message);
    chunks.push(Buffer.from("\n"));
  }
  return Buffer.concat(chunks);
}

/** Appends entries to `<dir>/remote.journal`, readable with `journalctl --directory <dir>`. */
export class JournalWriter {
  readonly file: string;

  constructor(readonly dir: string) {
    if (!JOURNAL_REMOTE) {
      throw new Error("systemd-journal-remote is not installed: apt-get install systemd-journal-remote");
    }
    this.file = join(dir, "remote.journal");
  }

  async write(entries: JournalEntry[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const child = spawn(JOURNAL_REMOTE as string, [`--output=${this.file}`, "-"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(exportFormat(entries));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`systemd-journal-remote failed (${code}): ${stderr}`);
  }
}

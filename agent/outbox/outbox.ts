// The durable outbox: reports wait on disk until the relay acks their seq. An append-only JSON-lines file
// (fsync per append) plus a small state file; survives relay outages and agent restarts; bounded.

import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type AgentReport, type OutboxItem, OutboxItemSchema } from "../../common/protocol/index.js";
import { writeFileAtomic } from "../files/index.js";
import { type ReportKind, victimIndex } from "./policy.js";

const ITEMS_FILE = "items.jsonl";
const STATE_FILE = "state.json";
/** Rewrite the items file once this many acked lines sit in it. */
const COMPACT_AFTER = 256;
const checkItem = TypeCompiler.Compile(OutboxItemSchema);

export interface OutboxOptions {
  /** Most items kept; beyond it the lowest-value oldest item is dropped (see policy.ts). */
  maxItems?: number;
  now?: () => number;
}

interface PersistedState {
  ackedSeq: number;
  nextSeq: number;
  dropped: Record<ReportKind, number>;
}

const noDrops = (): Record<ReportKind, number> => ({ telemetry: 0, health: 0, graph: 0, event: 0 });

export class Outbox {
  private handle: FileHandle | null = null;
  private items: OutboxItem[] = [];
  private state: PersistedState = { ackedSeq: 0, nextSeq: 1, dropped: noDrops() };
  private staleLines = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly maxItems: number;
  private readonly now: () => number;

  private constructor(
    private readonly dir: string,
    options: OutboxOptions,
  ) {
    this.maxItems = options.maxItems ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  static async open(dir: string, options: OutboxOptions = {}): Promise<Outbox> {
    const outbox = new Outbox(dir, options);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await outbox.load();
    return outbox;
  }

  /** Items waiting for the relay's ack. */
  get depth(): number {
    return this.items.length;
  }
  get ackedSeq(): number {
    return this.state.ackedSeq;
  }
  get dropped(): Readonly<Record<ReportKind, number>> {
    return this.state.dropped;
  }

  /** Items with seq > `afterSeq`, oldest first. */
  pending(afterSeq: number, limit = Number.POSITIVE_INFINITY): OutboxItem[] {
    const out: OutboxItem[] = [];
    for (const item of this.items) {
      if (item.seq <= afterSeq) continue;
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Stores a report durably (fsync) and gives it the next seq; its id is the relay's dedup key. */
  append(report: AgentReport, id: string = randomUUID()): Promise<OutboxItem> {
    return this.serialized(async () => {
      const item: OutboxItem = { seq: this.state.nextSeq, id, timeMs: this.now(), report };
      this.state.nextSeq++;
      let rewrite = false;
      while (this.items.length >= this.maxItems) {
        const victim = victimIndex(this.items);
        const [gone] = this.items.splice(victim, 1);
        if (gone) this.state.dropped[gone.report.kind]++;
        rewrite = true;
      }
      this.items.push(item);
      if (rewrite) {
        await this.rewrite();
        await this.saveState();
      } else {
        const handle = await this.appendHandle();
        await handle.write(`${JSON.stringify(item)}\n`);
        await handle.datasync();
      }
      return item;
    });
  }

  /** The relay stored everything up to `seq`. */
  ack(seq: number): Promise<void> {
    return this.serialized(async () => {
      if (seq <= this.state.ackedSeq) return;
      this.state.ackedSeq = Math.min(seq, this.state.nextSeq - 1);
      const before = this.items.length;
      this.items = this.items.filter((item) => item.seq > this.state.ackedSeq);
      this.staleLines += before - this.items.length;
      if (this.items.length === 0 || this.staleLines >= COMPACT_AFTER) await this.rewrite();
      await this.saveState();
    });
  }

  /**
   * Aligns with the relay's acked seq on welcome. Normally that acks what the relay already has. If the relay
   * has seen seqs this outbox never issued (its state was lost), waiting items are renumbered after the relay's
   * seq so they are not mistaken for redeliveries.
   */
  rebase(relayAckedSeq: number): Promise<void> {
    return this.serialized(async () => {
      if (relayAckedSeq < this.state.nextSeq) return;
      let seq = relayAckedSeq + 1;
      for (const item of this.items) item.seq = seq++;
      this.state.nextSeq = seq;
      this.state.ackedSeq = relayAckedSeq;
      await this.rewrite();
      await this.saveState();
    }).then(() => (relayAckedSeq > this.state.ackedSeq ? this.ack(relayAckedSeq) : undefined));
  }

  async close(): Promise<void> {
    await this.serialized(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(join(this.dir, STATE_FILE), "utf8")) as Partial<PersistedState>;
      if (typeof raw.ackedSeq === "number") this.state.ackedSeq = raw.ackedSeq;
      if (typeof raw.nextSeq === "number") this.state.nextSeq = raw.nextSeq;
      if (raw.dropped) this.state.dropped = { ...noDrops(), ...raw.dropped };
    } catch {
      // first start, or a state file lost: the items file alone still gives order and seqs
    }
    let text = "";
    try {
      text = await readFile(join(this.dir, ITEMS_FILE), "utf8");
    } catch {
      text = "";
    }
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue; // a torn last line from a crash mid-append: that item was never acknowledged to anyone
      }
      if (!checkItem.Check(value)) continue;
      this.state.nextSeq = Math.max(this.state.nextSeq, value.seq + 1);
      if (value.seq > this.state.ackedSeq) this.items.push(value);
      else this.staleLines++;
    }
    this.items.sort((a, b) => a.seq - b.seq);
  }

  private async appendHandle(): Promise<FileHandle> {
    if (this.handle === null) this.handle = await open(join(this.dir, ITEMS_FILE), "a", 0o600);
    return this.handle;
  }

  private async rewrite(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    await writeFileAtomic(join(this.dir, ITEMS_FILE), this.items.map((i) => `${JSON.stringify(i)}\n`).join(""), {
      mode: 0o600,
    });
    this.staleLines = 0;
  }

  private async saveState(): Promise<void> {
    await writeFileAtomic(join(this.dir, STATE_FILE), `${JSON.stringify(this.state)}\n`, { mode: 0o600 });
  }
}

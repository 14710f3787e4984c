import type { Signal } from "./signals.js";

/** How replicas talk: batched signals, where each agent link lives, and replies too large for a signal. */
export interface Bus {
  readonly replicaId: string;
  /** Queues a signal for every other replica (sent batched, within ~50 ms). */
  publish(signal: Signal): void;
  /** Signals from other replicas; `{ kind: "resync" }` after missed signals (the listener reconnected). */
  subscribe(handler: (signal: Signal | { kind: "resync" }, from: string) => void): void;
  /** Collectors whose agent link is held by another live replica. */
  remoteAgents(): ReadonlySet<string>;
  claimAgent(collectorId: string): Promise<void>;
  releaseAgent(collectorId: string): Promise<void>;
  putReply(requestId: string, body: string): Promise<void>;
  takeReply(requestId: string): Promise<string | null>;
  close(): Promise<void>;
}

const NONE: ReadonlySet<string> = new Set();

/** One replica (SQLite): nobody to tell, nothing held elsewhere. */
export class LocalBus implements Bus {
  readonly replicaId = "local";
  publish(): void {}
  subscribe(): void {}
  remoteAgents(): ReadonlySet<string> {
    return NONE;
  }
  async claimAgent(): Promise<void> {}
  async releaseAgent(): Promise<void> {}
  async putReply(): Promise<void> {}
  async takeReply(): Promise<string | null> {
    return null;
  }
  async close(): Promise<void> {}
}

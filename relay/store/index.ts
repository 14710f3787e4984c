// Persistence for the relay: one `Store` interface; SQLite (embedded default) or PostgreSQL (replicas) behind it.
// Callers never see SQL; both implementations pass the same contract suite (relay/store/contract.test.ts).

import { PostgresStore } from "./postgres.js";
import { SqliteStore } from "./sqlite.js";
import type { Store } from "./store.js";

export { PostgresStore, type PostgresStoreOptions } from "./postgres.js";
export { SqliteStore } from "./sqlite.js";
export type { Store } from "./store.js";
export type * from "./types.js";

export class StoreConfigError extends Error {
  readonly reason = "unsupported_database_url";
}

/** Opens the store named by `--db`: `sqlite:PATH` (default) or `postgres://...`. */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith("sqlite:")) return new SqliteStore(url.slice("sqlite:".length));
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return PostgresStore.open(url);
  }
  throw new StoreConfigError(`--db must be sqlite:PATH or postgres://...; got "${url.split(":")[0]}:..."`);
}

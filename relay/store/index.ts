// Persistence for the relay: one `Store` interface, SQLite (embedded default) behind it.
// Callers never see SQL; a PostgreSQL implementation can follow without touching them.

import { SqliteStore } from "./sqlite.js";
import type { Store } from "./store.js";

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
    throw new StoreConfigError("PostgreSQL support is not built yet; use --db sqlite:PATH");
  }
  throw new StoreConfigError(`--db must be sqlite:PATH or postgres://...; got "${url.split(":")[0]}:..."`);
}

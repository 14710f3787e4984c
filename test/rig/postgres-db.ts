// Per-test-file databases in the suite's PostgreSQL cluster (started once by the global setup).
// In CI a missing PostgreSQL is an error; elsewhere the PostgreSQL cases are skipped with the reason printed.

import { inject } from "vitest";
import { EXTERNAL_PG_ENV } from "./postgres.js";

export function postgresAvailable(): boolean {
  const url = inject("postgresUrl") || process.env[EXTERNAL_PG_ENV] || "";
  if (url === "" && process.env.CI) throw new Error(`PostgreSQL is required in CI: ${inject("postgresError")}`);
  if (url === "") console.warn(`PostgreSQL cases skipped: ${inject("postgresError")}`);
  return url !== "";
}

let n = 0;

/** A new empty database in the suite's cluster; returns its URL. */
export async function createTestDatabase(prefix = "linkmesh"): Promise<string> {
  const { default: pg } = await import("pg");
  const base = inject("postgresUrl") || process.env[EXTERNAL_PG_ENV] || "";
  if (base === "") throw new Error(`no PostgreSQL for this test: ${inject("postgresError")}`);
  const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(base);
  target.pathname = `/${name}`;
  return target.toString();
}

// Builds dist/ once before the suite: end-to-end tests run the real `linkmesh-relay` and `linkmesh-agent`.
// Also starts one throwaway PostgreSQL cluster (while the build runs) for the store contract and replica tests.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { type PostgresCluster, startPostgres } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the suite's PostgreSQL cluster; "" when PostgreSQL is not installed (outside CI). */
    postgresUrl: string;
    postgresError: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const cluster: Promise<PostgresCluster | Error> = startPostgres().catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  const build = promisify(execFile)(process.execPath, ["scripts/build.mjs"], { cwd: root });
  const [started] = await Promise.all([cluster, build.then(({ stdout }) => process.stdout.write(stdout))]);
  project.provide("postgresUrl", started instanceof Error ? "" : started.url);
  project.provide("postgresError", started instanceof Error ? started.message : "");
  return async () => {
    if (!(started instanceof Error)) await started.stop();
  };
}

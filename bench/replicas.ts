// "P1b OTLP ingest on replicas": the P1 push load against 2 relay replicas on one throwaway PostgreSQL (each
// replica driven by half the connections, each collector's pushes on one replica) vs 1 relay on SQLite.
// The rate state is read and written per push in PostgreSQL; the ratio says what that sharing costs.

import type { ChildProcess } from "node:child_process";
import { startPostgres } from "../test/rig/postgres.js";
import { buildBodies, drive, type Served, startServer } from "./otlp-ingest.js";
import { registerBench } from "./registry.js";

async function twoReplicas(db: string): Promise<{ children: ChildProcess[]; halves: [Served, Served] }> {
  const first = await startServer("relay", { LINKMESH_BENCH_DB: db });
  const second = await startServer("relay", { LINKMESH_BENCH_DB: db, LINKMESH_BENCH_ENROLL: "0" });
  const tokens = first.served.tokens;
  const half = Math.ceil(tokens.length / 2);
  return {
    children: [first.child, second.child],
    halves: [
      { url: first.served.url, tokens: tokens.slice(0, half) },
      { url: second.served.url, tokens: tokens.slice(half) },
    ],
  };
}

registerBench({
  name: "P1b OTLP ingest on replicas",
  async run() {
    const { bodies } = buildBodies();
    const sqlite = await startServer("relay");
    let single: Awaited<ReturnType<typeof drive>>;
    try {
      single = await drive(sqlite.served, bodies, 16);
    } finally {
      sqlite.child.kill("SIGTERM");
    }
    const pg = await startPostgres();
    let pair: Awaited<ReturnType<typeof drive>>[];
    try {
      const { children, halves } = await twoReplicas(await pg.createDatabase("bench"));
      try {
        pair = await Promise.all(halves.map((served) => drive(served, bodies, 8)));
      } finally {
        for (const child of children) child.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await pg.stop();
    }
    const [one, two] = pair as [Awaited<ReturnType<typeof drive>>, Awaited<ReturnType<typeof drive>>];
    const replicas = one.rps + two.rps;
    const failures = one.non2xx + one.errors + two.non2xx + two.errors;
    const ratio = replicas / Math.max(1, single.rps);
    return {
      numbers: {
        "1 replica on SQLite pushes/s": single.rps,
        "1 replica on SQLite p99 ms": single.p99,
        "2 replicas on PostgreSQL pushes/s": replicas,
        "2 replicas on PostgreSQL p99 ms": Math.max(one.p99, two.p99),
        "2 replicas non-2xx": failures,
        "PostgreSQL x2 / SQLite x1": Number(ratio.toFixed(2)),
      },
      target: "PostgreSQL x2 / SQLite x1 >= 0.5, no failed pushes",
      pass: ratio >= 0.5 && failures === 0 && single.non2xx + single.errors === 0,
      notes:
        "one machine runs both replicas, PostgreSQL (fsync off) and the load generator, so this bounds the cost of " +
        "sharing rate state per push rather than showing scale-out; LINKMESH_BENCH_SECONDS sets the duration",
    };
  },
});

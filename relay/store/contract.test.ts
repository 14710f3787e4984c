// The Store contract: the same cases against SQLite and PostgreSQL, so either engine behaves the same to callers.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable } from "../../test/rig/postgres-db.js";
import {
  type CredentialRecord,
  type EnrollmentTokenRecord,
  openStore,
  PostgresStore,
  SqliteStore,
  type Store,
  type ThroughputRecord,
} from "./index.js";

const T0 = Date.UTC(2026, 0, 1);
/** Real series keys separate attributes with NUL and SOH (relay/ingest). */
const K1 = "otelcol_receiver_accepted\u0000receiver\u0001otlp\u0000job\u0001alloy";

const engines: { name: string; open: () => Promise<Store> }[] = [
  { name: "SQLite", open: async () => new SqliteStore(":memory:") },
  { name: "PostgreSQL", open: async () => openStore(await createTestDatabase("contract")) },
];
const withPostgres = postgresAvailable();

function token(id: string, patch: Partial<EnrollmentTokenRecord> = {}): EnrollmentTokenRecord {
  return {
    id,
    secretHash: `hash-${id}`,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    maxUses: 2,
    uses: 0,
    labels: { env: "prod" },
    revokedAt: null,
    ...patch,
  };
}

function credential(id: string, kind: CredentialRecord["kind"], collectorId = ""): CredentialRecord {
  return { id, kind, collectorId, secretHash: `h-${id}`, createdAt: T0, expiresAt: T0 + 86_400_000, revokedAt: null };
}

function row(collectorId: string, seriesKey: string, patch: Partial<ThroughputRecord> = {}): ThroughputRecord {
  return {
    collectorId,
    via: "otlp",
    seriesKey,
    componentId: "otelcol.receiver.otlp.default",
    componentPath: "/",
    signal: "metrics",
    direction: "in",
    rawValue: 100.5,
    ratePerSecond: null,
    timeMs: T0,
    updatedAt: T0,
    ...patch,
  };
}

describe.each(engines)("Store contract on $name", ({ name, open }) => {
  const skip = name === "PostgreSQL" && !withPostgres;
  let store: Store;
  const opened: Store[] = [];

  beforeEach(async () => {
    if (skip) return;
    store = await open();
    opened.push(store);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
  });

  const enroll = (hostname: string, newId: string, creds: string[] = [`${newId}-c`, `${newId}-a`]) =>
    store.enrollCollector({
      newId,
      hostname,
      type: "alloy",
      version: "v1.9.0",
      labels: { team: "obs" },
      now: T0,
      credentials: [credential(creds[0] ?? "c", "collector"), credential(creds[1] ?? "a", "agent")],
    });

  it.skipIf(skip)("settings: the first writer wins, later writers are told no", async () => {
    expect(await store.getSetting("k")).toBeNull();
    expect(await store.setSettingIfAbsent("k", "one")).toBe(true);
    expect(await store.setSettingIfAbsent("k", "two")).toBe(false);
    expect(await store.getSetting("k")).toBe("one");
  });

  it.skipIf(skip)("enrollment tokens: listed newest first, read back field for field", async () => {
    await store.createEnrollmentToken(token("old"));
    await store.createEnrollmentToken(token("new", { createdAt: T0 + 5, labels: { a: "b" } }));
    expect((await store.listEnrollmentTokens()).map((t) => t.id)).toEqual(["new", "old"]);
    expect(await store.getEnrollmentToken("old")).toEqual(token("old"));
    expect(await store.getEnrollmentToken("missing")).toBeNull();
  });

  it.skipIf(skip)("enrollment tokens: consumed up to maxUses, then used_up; expired and revoked refuse", async () => {
    await store.createEnrollmentToken(token("t"));
    const first = await store.consumeEnrollmentToken("t", T0 + 1);
    expect(first).toEqual({ ok: true, token: token("t") });
    expect((await store.consumeEnrollmentToken("t", T0 + 2)).ok).toBe(true);
    expect(await store.consumeEnrollmentToken("t", T0 + 3)).toEqual({ ok: false, reason: "used_up" });
    expect((await store.getEnrollmentToken("t"))?.uses).toBe(2);
    expect(await store.consumeEnrollmentToken("nope", T0)).toEqual({ ok: false, reason: "unknown" });

    await store.createEnrollmentToken(token("e"));
    expect(await store.consumeEnrollmentToken("e", T0 + 60_000)).toEqual({ ok: false, reason: "expired" });

    await store.createEnrollmentToken(token("r"));
    expect(await store.revokeEnrollmentToken("r", T0 + 7)).toBe(true);
    expect(await store.revokeEnrollmentToken("r", T0 + 8)).toBe(false);
    expect((await store.getEnrollmentToken("r"))?.revokedAt).toBe(T0 + 7);
    expect(await store.consumeEnrollmentToken("r", T0 + 9)).toEqual({ ok: false, reason: "revoked" });
    expect(await store.revokeEnrollmentToken("missing", T0)).toBe(false);
  });

  it.skipIf(skip)("enrollment tokens: concurrent consumers never exceed maxUses", async () => {
    await store.createEnrollmentToken(token("race", { maxUses: 3 }));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.consumeEnrollmentToken("race", T0 + i)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect((await store.getEnrollmentToken("race"))?.uses).toBe(3);
  });

  it.skipIf(skip)("enroll: creates the collector with its credentials", async () => {
    const { collector, replaced } = await enroll("web-1", "col-1");
    expect(replaced).toBe(false);
    expect(collector).toEqual({
      id: "col-1",
      hostname: "web-1",
      type: "alloy",
      version: "v1.9.0",
      labels: { team: "obs" },
      enrolledAt: T0,
      lastPushAt: null,
      lastRejection: null,
      graph: null,
      hostMetrics: {},
      hostMetricsAt: null,
    });
    expect(await store.getCredential("col-1-c")).toEqual(credential("col-1-c", "collector", "col-1"));
    expect((await store.getCredential("col-1-a"))?.kind).toBe("agent");
    expect(await store.getCredential("nope")).toBeNull();
  });

  it.skipIf(skip)(
    "enroll again for the same host and type: same id, old credentials revoked, new ones live",
    async () => {
      await enroll("web-1", "col-1");
      const again = await store.enrollCollector({
        newId: "col-2",
        hostname: "web-1",
        type: "alloy",
        version: "v1.10.0",
        labels: { team: "net" },
        now: T0 + 1000,
        credentials: [credential("new-c", "collector")],
      });
      expect(again.replaced).toBe(true);
      expect(again.collector.id).toBe("col-1");
      expect(again.collector.version).toBe("v1.10.0");
      expect(again.collector.labels).toEqual({ team: "net" });
      expect((await store.getCredential("col-1-c"))?.revokedAt).toBe(T0 + 1000);
      expect((await store.getCredential("new-c"))?.revokedAt).toBeNull();
      expect((await store.getCredential("new-c"))?.collectorId).toBe("col-1");
      expect(await store.listCollectors()).toHaveLength(1);
    },
  );

  it.skipIf(skip)("collectors: listed by hostname (byte order) then type; patched field by field", async () => {
    await enroll("b-host", "id-b");
    await enroll("B-host", "id-B");
    await enroll("a-host", "id-a");
    expect((await store.listCollectors()).map((c) => c.hostname)).toEqual(["B-host", "a-host", "b-host"]);
    const graph = { components: [], edges: [] } as unknown as NonNullable<
      Parameters<Store["updateCollector"]>[1]["graph"]
    >;
    await store.updateCollector("id-a", {
      lastPushAt: T0 + 5,
      lastRejection: { reason: "token_expired", at: T0 + 6 },
      graph,
      hostMetrics: { cpu: 0.25 },
      hostMetricsAt: T0 + 7,
      version: null,
    });
    const a = await store.getCollector("id-a");
    expect(a).toMatchObject({
      lastPushAt: T0 + 5,
      lastRejection: { reason: "token_expired", at: T0 + 6 },
      graph,
      hostMetrics: { cpu: 0.25 },
      hostMetricsAt: T0 + 7,
      version: null,
      labels: { team: "obs" },
    });
    await store.updateCollector("id-a", { lastRejection: null, graph: null });
    expect(await store.getCollector("id-a")).toMatchObject({ lastRejection: null, graph: null, lastPushAt: T0 + 5 });
    expect(await store.getCollector("missing")).toBeNull();
  });

  it.skipIf(skip)("deregister: record, rows and rate state gone, credentials revoked, events kept", async () => {
    await enroll("web-1", "col-1");
    await store.addEvent({
      collectorId: "col-1",
      type: "registered",
      severity: "info",
      message: "hi",
      detail: {},
      time: T0,
    });
    await store.writeIngestBatch({
      throughput: [row("col-1", "s1")],
      rateStates: [{ collectorId: "col-1", via: "otlp", state: "{}" }],
    });
    expect(await store.deregisterCollector("col-1", T0 + 50)).toBe(true);
    expect(await store.deregisterCollector("col-1", T0 + 60)).toBe(false);
    expect(await store.getCollector("col-1")).toBeNull();
    expect((await store.getCredential("col-1-c"))?.revokedAt).toBe(T0 + 50);
    expect((await store.getCredential("col-1-a"))?.revokedAt).toBe(T0 + 50);
    expect(await store.listThroughput()).toEqual([]);
    expect(await store.listRateStates()).toEqual([]);
    expect(await store.listEvents("col-1")).toHaveLength(1);
  });

  it.skipIf(skip)("events: deduplicated by id, newest first, paged with before and limit", async () => {
    const nul = await store.addEvent({
      collectorId: "n",
      type: "config_changed",
      severity: "info",
      message: "a\u0000b",
      detail: { k: "x\u0000y" },
      time: T0,
    });
    expect((await store.listEvents("n"))[0]?.detail).toEqual({ k: "x\u0000y" });
    expect(nul.id).toBeTruthy();
    const base = { collectorId: "c", type: "config_changed" as const, severity: "info" as const, detail: { n: 1 } };
    const first = await store.addEvent({ ...base, id: "e1", message: "one", time: T0 });
    expect(first.id).toBe("e1");
    await store.addEvent({ ...base, id: "e1", message: "one again", time: T0 + 99 });
    const generated = await store.addEvent({ ...base, message: "two", time: T0 + 1 });
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    await store.addEvent({ ...base, id: "e3", message: "three", time: T0 + 1 });
    await store.addEvent({ ...base, collectorId: "other", id: "x", message: "elsewhere", time: T0 });
    const all = await store.listEvents("c");
    // Same time: the later insert first.
    expect(all.map((e) => e.message)).toEqual(["three", "two", "one"]);
    expect(all[2]).toEqual({ ...base, id: "e1", message: "one", time: T0 });
    expect((await store.listEvents("c", { limit: 1 })).map((e) => e.message)).toEqual(["three"]);
    expect((await store.listEvents("c", { before: T0 + 1 })).map((e) => e.message)).toEqual(["one"]);
  });

  it.skipIf(skip)("agent links: saved, replaced, listed", async () => {
    expect(await store.getAgentLink("c")).toBeNull();
    await store.saveAgentLink({ collectorId: "c", ackedSeq: 3, connectedAt: T0, disconnectedAt: null });
    await store.saveAgentLink({ collectorId: "c", ackedSeq: 7, connectedAt: T0, disconnectedAt: T0 + 1 });
    await store.saveAgentLink({ collectorId: "d", ackedSeq: 0, connectedAt: null, disconnectedAt: null });
    expect(await store.getAgentLink("c")).toEqual({
      collectorId: "c",
      ackedSeq: 7,
      connectedAt: T0,
      disconnectedAt: T0 + 1,
    });
    expect((await store.listAgentLinks()).map((l) => l.collectorId).sort()).toEqual(["c", "d"]);
  });

  it.skipIf(skip)("sessions: created, read, deleted, expired ones swept", async () => {
    await store.createSession({ idHash: "s1", createdAt: T0, expiresAt: T0 + 10 });
    await store.createSession({ idHash: "s2", createdAt: T0, expiresAt: T0 + 1000 });
    expect(await store.getSession("s1")).toEqual({ idHash: "s1", createdAt: T0, expiresAt: T0 + 10 });
    expect(await store.deleteExpiredSessions(T0 + 10)).toBe(1);
    expect(await store.getSession("s1")).toBeNull();
    await store.deleteSession("s2");
    expect(await store.getSession("s2")).toBeNull();
  });

  it.skipIf(skip)(
    "ingest batch: rows upserted and removed, rate state kept, collector patched, events added",
    async () => {
      await enroll("web-1", "col-1");
      await store.writeIngestBatch({
        throughput: [row("col-1", K1), row("col-1", "s2", { via: "agent" }), row("ghost", K1)],
        rateStates: [
          { collectorId: "col-1", via: "otlp", state: '{"v":1}' },
          { collectorId: "ghost", via: "otlp", state: "{}" },
        ],
        collectors: [{ id: "col-1", patch: { lastPushAt: T0 + 3 } }],
        events: [{ collectorId: "col-1", type: "counter_reset", severity: "info", message: "r", detail: {}, time: T0 }],
      });
      await store.writeIngestBatch({
        throughput: [
          // Data-point times are fractional milliseconds (OTLP nanoseconds / 1e6).
          row("col-1", K1, { rawValue: 200.25, ratePerSecond: 3.5, timeMs: T0 + 30_000.5, updatedAt: T0 + 1 }),
        ],
        removeThroughput: [{ collectorId: "col-1", via: "agent", seriesKey: "s2" }],
        rateStates: [{ collectorId: "col-1", via: "otlp", state: '{"v":2}' }],
      });
      expect(await store.listThroughput()).toEqual([
        row("col-1", K1, { rawValue: 200.25, ratePerSecond: 3.5, timeMs: T0 + 30_000.5, updatedAt: T0 + 1 }),
      ]);
      expect(await store.listThroughput("col-1")).toHaveLength(1);
      expect(await store.listThroughput("other")).toEqual([]);
      expect(await store.listRateStates()).toEqual([{ collectorId: "col-1", via: "otlp", state: '{"v":2}' }]);
      expect((await store.getCollector("col-1"))?.lastPushAt).toBe(T0 + 3);
      expect((await store.listEvents("col-1")).map((e) => e.type)).toEqual(["counter_reset"]);
    },
  );

  it.skipIf(skip)(
    "rate state: read-modify-write sees the previous write; concurrent steps never lose one",
    async () => {
      await enroll("web-1", "col-1");
      const bump = (state: string | null) => {
        const n = state === null ? 0 : (JSON.parse(state) as { n: number }).n;
        return { state: JSON.stringify({ n: n + 1 }), result: n };
      };
      expect(await store.updateRateState("col-1", "otlp", bump)).toBe(0);
      await Promise.all(Array.from({ length: 20 }, () => store.updateRateState("col-1", "otlp", bump)));
      expect(await store.updateRateState("col-1", "otlp", bump)).toBe(21);
      expect(await store.listRateStates()).toEqual([{ collectorId: "col-1", via: "otlp", state: '{"n":22}' }]);
      expect(await store.updateRateState("ghost", "otlp", bump)).toBeNull();
    },
  );

  it.skipIf(skip)("snapshots: archives round-trip byte for byte, newest first, only the newest N kept", async () => {
    const snap = (id: string, createdAt: number) => ({
      id,
      collectorId: "c",
      markerId: `m-${id}`,
      fileName: `${id}.tar.gz`,
      sizeBytes: 4,
      sha256: "ab".repeat(32),
      truncated: id === "s2",
      createdAt,
    });
    const bytes = Buffer.from([0, 1, 254, 255]);
    await store.saveSnapshot(snap("s1", T0), bytes, 2);
    await store.saveSnapshot(snap("s2", T0 + 1), bytes, 2);
    await store.saveSnapshot(snap("s3", T0 + 2), bytes, 2);
    expect((await store.listSnapshots("c")).map((s) => s.id)).toEqual(["s3", "s2"]);
    expect(await store.getSnapshot("c", "s2")).toEqual({ record: snap("s2", T0 + 1), archive: bytes });
    expect(await store.getSnapshot("c", "s1")).toBeNull();
    expect(await store.getSnapshot("other", "s2")).toBeNull();
  });

  it.skipIf(skip)("doctor verdict: the last one per collector", async () => {
    const verdict = (ok: boolean) => ({ ok, stuckAt: ok ? null : "otlp_push", timeMs: 12, checks: [] });
    expect(await store.getDoctorVerdict("c")).toBeNull();
    await store.saveDoctorVerdict({ collectorId: "c", verdict: verdict(false), at: T0 });
    await store.saveDoctorVerdict({ collectorId: "c", verdict: verdict(true), at: T0 + 1 });
    expect(await store.getDoctorVerdict("c")).toEqual({ collectorId: "c", verdict: verdict(true), at: T0 + 1 });
  });
});

describe.skipIf(!withPostgres)("PostgreSQL store start-up", () => {
  it("replicas starting together apply the migrations once (advisory lock) and see one schema", async () => {
    const url = await createTestDatabase("migrate");
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      const [a, b] = stores;
      expect(await a.setSettingIfAbsent("k", "v")).toBe(true);
      expect(await b.getSetting("k")).toBe("v");
      const versions = await a.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(versions.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it("an unreachable database fails start-up with the connection error", async () => {
    await expect(openStore("postgres://nobody@127.0.0.1:1/none")).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

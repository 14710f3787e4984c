// Support snapshots end to end: the operator asks the relay, the relay asks the agent over its link, the agent
// uploads a scrubbed archive, the relay stores and offers it. Secrets are planted in every artefact first.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTar } from "../../agent/snapshot/index.js";
import type { DoctorVerdict } from "../../common/protocol/index.js";
import { type RelayProcess, runAgent, startRelay, tempDir } from "../rig/index.js";
import {
  agentToken,
  collectorToken,
  type DiagHost,
  diagHost,
  EXPORTER,
  pipeline,
  pushAsAlloy,
  startAgent,
  stopAgent,
  until,
} from "./diagnostics-host.js";

/** Planted secrets: each must vanish from the archive while its last 4 characters stay for correlation. */
const PLANTED = {
  alloyPassword: "PLANTED-alloy-password-Zq81",
  urlPassword: "PLANTED-url-password-Xy12",
  headerBearer: "PLANTED-header-bearer-Kk55",
  journalBearer: "PLANTED-journal-bearer-Aa11",
  journalPassword: "PLANTED-journal-pass-Bb22",
  agentLogApiKey: "PLANTED-agentlog-apikey-Cc33",
  agentLogSecret: "PLANTED-agentlog-secret-Dd44",
};

const OPERATOR_CONFIG = `prometheus.remote_write "cloud" {
  endpoint {
    url     = "https://12345:${PLANTED.urlPassword}@prometheus.example.net/api/prom/push"
    headers = { "Authorization" = "Bearer ${PLANTED.headerBearer}" }

    basic_auth {
      username = "12345"
      password = "${PLANTED.alloyPassword}"
    }
  }
}
`;

const SECTIONS = [
  "manifest.json",
  "info.json",
  "effective-config.alloy",
  "collector-journal.log",
  "agent.log",
  "doctor.json",
  "doctor.txt",
];

function unpack(archive: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  for (const member of readTar(gunzipSync(archive)))
    files.set(member.name.replace(/^[^/]+\//, ""), member.data.toString());
  return files;
}

describe("support snapshots", () => {
  let relay: RelayProcess;
  let host: DiagHost;
  let secrets: string[];
  beforeAll(async () => {
    relay = await startRelay();
    host = await diagHost(relay, { hostname: "support-01", components: pipeline(50), operatorConfig: OPERATOR_CONFIG });
    const ctoken = await collectorToken(host);
    const atoken = await agentToken(host);
    secrets = [...Object.values(PLANTED), ctoken, atoken];
    await host.alloy.log("error", "Exporting failed. Will retry the request after interval.", {
      component_path: "/",
      component_id: EXPORTER,
      error: `request failed: Authorization: Bearer ${PLANTED.journalBearer}`,
      password: PLANTED.journalPassword,
    });
    await host.alloy.log("debug", `loaded token ${ctoken} from /etc/alloy/linkmesh.token`);
    await mkdir(join(host.root, "var/log/linkmesh"), { recursive: true });
    await writeFile(
      join(host.root, "var/log/linkmesh/agent.log"),
      [
        `2026-01-01T00:00:00Z link: connecting with Authorization: Bearer ${atoken}`,
        `2026-01-01T00:00:01Z settings api_key: ${PLANTED.agentLogApiKey}`,
        `2026-01-01T00:00:02Z {"client_secret":"${PLANTED.agentLogSecret}","collector":"${host.collectorId}"}`,
        "",
      ].join("\n"),
    );
    expect(await pushAsAlloy(relay, host)).toEqual({ ok: true });
    startAgent(host);
    await until(
      "agent connected",
      async () => {
        const r = await relay.api(`/api/v1/collectors/${host.collectorId}/events?limit=50`);
        return (r.body as { events: { type: string }[] }).events.find((e) => e.type === "agent_connected");
      },
      15_000,
    );
  });
  afterAll(async () => {
    await stopAgent(host);
    await host.alloy.close();
    await relay.stop();
  });

  it("pulls a snapshot through the API: every section, a matching manifest, no planted secret", async () => {
    const requested = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`, { body: { since: "15m" } });
    expect(requested.status).toBe(201);
    const meta = requested.body as {
      id: string;
      markerId: string;
      sizeBytes: number;
      sha256: string;
      download: string;
    };
    expect(meta.markerId).toMatch(/^lms-/);

    const listed = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`);
    expect((listed.body as { snapshots: { id: string }[] }).snapshots.map((s) => s.id)).toEqual([meta.id]);

    const download = await fetch(`${relay.url}${meta.download}`, {
      headers: { authorization: `Bearer ${relay.adminToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/gzip");
    const archive = Buffer.from(await download.arrayBuffer());
    expect(archive.length).toBe(meta.sizeBytes);
    expect(createHash("sha256").update(archive).digest("hex")).toBe(meta.sha256);

    const files = unpack(archive);
    expect([...files.keys()].sort()).toEqual([...SECTIONS].sort());
    const manifest = JSON.parse(files.get("manifest.json") ?? "{}") as {
      markerId: string;
      files: { name: string; sizeBytes: number; sha256: string }[];
    };
    expect(manifest.markerId).toBe(meta.markerId);
    for (const f of manifest.files) {
      const content = Buffer.from(files.get(f.name) ?? "");
      expect(content.length, f.name).toBe(f.sizeBytes);
      expect(createHash("sha256").update(content).digest("hex"), f.name).toBe(f.sha256);
    }
    const info = JSON.parse(files.get("info.json") ?? "{}") as Record<string, unknown>;
    expect(info).toMatchObject({
      markerId: meta.markerId,
      collectorId: host.collectorId,
      collectorType: "alloy",
      collectorVersion: host.alloy.version,
    });
    const range = info.timeRange as { from: string; to: string };
    expect(Date.parse(range.to) - Date.parse(range.from)).toBe(15 * 60_000);
    expect((info.host as { hostname: string }).hostname).toBe("support-01");
    const verdict = JSON.parse(files.get("doctor.json") ?? "{}") as DoctorVerdict;
    expect(verdict.checks.map((c) => c.id)[0]).toBe("own_metrics");
    expect(files.get("doctor.txt")).toMatch(/\[(ok {2}|FAIL)\] The collector is set up to report its own metrics/);

    // The artefacts are there (scrubbed), not merely missing.
    expect(files.get("effective-config.alloy")).toContain('password = "****Zq81"');
    expect(files.get("effective-config.alloy")).toContain("https://12345:****Xy12@prometheus.example.net");
    expect(files.get("collector-journal.log")).toContain("Exporting failed. Will retry");
    expect(files.get("collector-journal.log")).toContain("****Bb22");
    expect(files.get("agent.log")).toContain("****Dd44");
    const everything = [...files.values()].join("\n");
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).toContain(secret.slice(-4));
    }

    const events = await relay.api(`/api/v1/collectors/${host.collectorId}/events?limit=50`);
    const stored = (events.body as { events: { type: string; detail: Record<string, unknown> }[] }).events.find(
      (e) => e.type === "snapshot_stored",
    );
    expect(stored?.detail.markerId).toBe(meta.markerId);
  });

  it("offers snapshots to operators only", async () => {
    const listed = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`);
    const first = (listed.body as { snapshots: { download: string }[] }).snapshots[0];
    expect(first).toBeDefined();
    const anonymous = await fetch(`${relay.url}${first?.download}`);
    expect(anonymous.status).toBe(401);
    const asAgent = await fetch(`${relay.url}${first?.download}`, {
      headers: { authorization: `Bearer ${await agentToken(host)}` },
    });
    expect(asAgent.status).toBe(401);
  });

  it("runs doctor remotely and keeps the last verdict with its age", async () => {
    const ran = await relay.api(`/api/v1/collectors/${host.collectorId}/doctor`, { method: "POST" });
    expect(ran.status).toBe(200);
    const body = ran.body as { verdict: DoctorVerdict; at: string };
    expect(body.verdict.checks).toHaveLength(6);
    expect(body.verdict.checks[0]).toMatchObject({ id: "own_metrics", status: "ok" });
    const last = await relay.api(`/api/v1/collectors/${host.collectorId}/doctor`);
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ verdict: body.verdict, at: body.at });
    expect((last.body as { ageSeconds: number }).ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it("says at once that an offline agent cannot send a snapshot", async () => {
    await stopAgent(host);
    await until(
      "agent offline",
      async () => {
        const started = Date.now();
        const r = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`, { body: {} });
        if (r.status !== 409) return undefined;
        expect(Date.now() - started).toBeLessThan(2_000);
        return r;
      },
      10_000,
    ).then((r) => {
      expect(r.body).toMatchObject({ error: "agent_offline" });
      expect((r.body as { message: string }).message).toContain("linkmesh-agent snapshot");
    });
    const doctorOffline = await relay.api(`/api/v1/collectors/${host.collectorId}/doctor`, { method: "POST" });
    expect(doctorOffline.status).toBe(409);
  });

  it("writes a local snapshot with the relay and the collector down, and cuts it at the size cap", async () => {
    await host.alloy.close();
    await relay.stop();
    await writeFile(
      join(host.root, "var/log/linkmesh/agent.log"),
      Array.from({ length: 4000 }, (_, i) => `line ${i} ${randomBytes(24).toString("hex")}\n`).join(""),
    );
    const out = join(await tempDir("snap"), "support.tar.gz");
    const run = await runAgent(
      host.root,
      ["snapshot", "--out", out, "--since", "5m", "--max-bytes", "65536", "--sample-interval", "0.2"],
      { journalDir: host.journalDir },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`snapshot written: ${out}`);
    expect(run.stdout).toMatch(/note: collector version unknown: .*ECONNREFUSED/);
    expect(run.stdout).toContain("the archive was cut at its size cap");
    const archive = await readFile(out);
    expect(archive.length).toBeLessThanOrEqual(65536);
    const files = unpack(archive);
    expect([...files.keys()].sort()).toEqual([...SECTIONS].sort());
    expect(files.get("agent.log")).toMatch(/^\[cut: the oldest \d+ bytes were dropped/);
    expect(files.get("agent.log")).toContain("line 3999 ");
    const verdict = JSON.parse(files.get("doctor.json") ?? "{}") as DoctorVerdict;
    expect(verdict.stuckAt).toBe("otlp_push");
  });
});

// The collector page's Diagnostics tab in real Chromium against a real relay and a real `linkmesh-agent run` daemon:
// run doctor and read its verdict, pull a support snapshot and download it, then see the offline agent said plainly.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTar } from "../../agent/snapshot/index.js";
import type { DoctorVerdict } from "../../common/protocol/index.js";
import { REPO_ROOT, type RelayProcess, startRelay } from "../rig/index.js";
import { launchBrowser, type UiBrowser } from "../ui/index.js";
import { type DiagHost, diagHost, pipeline, pushAsAlloy, startAgent, stopAgent, until } from "./diagnostics-host.js";

const OUTPUT = join(REPO_ROOT, "test-output");

describe("the collector page runs doctor and pulls support snapshots in a real browser", () => {
  let relay: RelayProcess;
  let host: DiagHost;
  let ui: UiBrowser;

  const page = () => ui.page;
  const doctorSection = () => page().getByRole("region", { name: "Doctor", exact: true });
  const snapshotSection = () => page().getByRole("region", { name: "Support snapshots", exact: true });

  beforeAll(async () => {
    relay = await startRelay();
    host = await diagHost(relay, { hostname: "web-01", components: pipeline(50) });
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
    ui = await launchBrowser([relay.url], { width: 1280, height: 900 });
    await page().goto(relay.url);
    await page().getByLabel("Operator secret").fill(relay.adminToken);
    await page().getByRole("button", { name: "Sign in" }).click();
    await page().getByRole("navigation", { name: "Main" }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
    if (host) {
      await stopAgent(host);
      await host.alloy.close();
    }
    await relay?.stop();
  });

  it("opens the Diagnostics tab from the collector page; doctor has not run yet", async () => {
    await page().goto(`${relay.url}/#/collectors/${host.collectorId}`);
    await page().getByRole("tab", { name: "Diagnostics" }).click();
    expect(page().url()).toContain(`#/collectors/${host.collectorId}/diagnostics`);
    await expect.poll(() => doctorSection().textContent()).toContain("Doctor has not run for web-01 yet");
    await expect.poll(() => snapshotSection().textContent()).toContain("No snapshot stored for web-01 yet");
  });

  it("runs doctor on the host and shows every check's status, evidence and fix, the first failure highlighted", async () => {
    const run = doctorSection().getByRole("button", { name: "Run doctor" });
    await run.focus();
    await page().keyboard.press("Enter");
    // Progress while the agent samples its collector.
    await expect.poll(() => doctorSection().getByRole("status").textContent()).toContain("Running doctor on web-01");
    expect(await doctorSection().getByRole("button", { name: "Running doctor…" }).isDisabled()).toBe(true);

    const checks = doctorSection().locator("li.check");
    await expect.poll(() => checks.count(), { timeout: 45_000 }).toBeGreaterThan(0);
    // The UI shows what the relay kept: same checks, same statuses, in the same order.
    const kept = await relay.api(`/api/v1/collectors/${host.collectorId}/doctor`);
    expect(kept.status).toBe(200);
    const verdict = (kept.body as { verdict: DoctorVerdict }).verdict;
    const shown = await checks.evaluateAll((els) => els.map((e) => [e.dataset.check, e.dataset.status]));
    expect(shown).toEqual(verdict.checks.map((c) => [c.id, c.status]));
    const text = (await doctorSection().textContent()) ?? "";
    expect(text).toMatch(/Last run (just now|\d+ s ago)/);
    for (const c of verdict.checks) {
      expect(text).toContain(c.title);
      for (const line of c.evidence) expect(text).toContain(line);
    }

    const stuck = doctorSection().locator("li.check[aria-current=step]");
    if (verdict.stuckAt === null) {
      expect(text).toContain(`All ${verdict.checks.length} checks passed`);
      expect(await stuck.count()).toBe(0);
    } else {
      const failing = verdict.checks.find((c) => c.id === verdict.stuckAt);
      expect(failing?.status).toBe("fail");
      expect(await stuck.count()).toBe(1);
      expect(await stuck.getAttribute("data-check")).toBe(verdict.stuckAt);
      const stuckText = (await stuck.textContent()) ?? "";
      expect(stuckText).toContain("first failing check");
      expect(stuckText).toContain(`Fix: ${failing?.fix}`);
      expect(text).toMatch(new RegExp(`Stuck at check \\d+ of ${verdict.checks.length}: `));
      expect(text).toContain(failing?.title ?? "?");
    }
  }, 60_000);

  it("requests a snapshot, lists it with time, size and marker id, and downloads a gzip tarball", async () => {
    await snapshotSection().getByRole("button", { name: "Request snapshot" }).click();
    await expect
      .poll(() => snapshotSection().getByRole("status").textContent())
      .toContain("Collecting a snapshot on web-01");
    const rows = snapshotSection().locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(1);

    const listed = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`);
    const [meta] = (listed.body as { snapshots: { id: string; markerId: string; sizeBytes: number }[] }).snapshots;
    expect(meta?.markerId).toMatch(/^lms-/);
    const row = (await rows.first().textContent()) ?? "";
    expect(row).toContain(meta?.markerId ?? "?");
    expect(row).toMatch(/\d+(\.\d)? (B|KiB|MiB)/);
    expect(await rows.first().locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The browser's own session cookie authorises the download.
    const [download] = await Promise.all([
      page().waitForEvent("download"),
      snapshotSection()
        .getByRole("link", { name: `Download snapshot ${meta?.markerId}` })
        .click(),
    ]);
    const archive = await readFile(await download.path());
    expect(archive.length).toBe(meta?.sizeBytes);
    expect([...archive.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const names = readTar(gunzipSync(archive)).map((m) => m.name.replace(/^[^/]+\//, ""));
    expect(names).toEqual(expect.arrayContaining(["manifest.json", "doctor.json", "collector-journal.log"]));
  }, 90_000);

  it("says plainly that a stopped agent is offline and keeps showing the last verdict with its age", async () => {
    await stopAgent(host);
    // Wait until the relay itself has noticed the link is gone.
    await until(
      "relay sees the agent offline",
      async () => {
        const r = await relay.api(`/api/v1/collectors/${host.collectorId}/snapshots`, { body: {} });
        return r.status === 409 ? r : undefined;
      },
      15_000,
    );

    await doctorSection().getByRole("button", { name: "Run doctor" }).click();
    const doctorAlert = doctorSection().getByRole("alert");
    await expect.poll(() => doctorAlert.textContent(), { timeout: 10_000 }).toContain("the agent is offline");
    const doctorProblem = (await doctorAlert.textContent()) ?? "";
    expect(doctorProblem).toContain("Doctor could not run");
    expect(doctorProblem).toContain("systemctl status linkmesh-agent");
    expect(doctorProblem).toContain("Run `linkmesh-agent doctor` on the host"); // named by hostname, not by id
    expect(doctorProblem).toMatch(/last one the relay kept, from (just now|\d+ (s|m) ago)/);
    expect(await doctorSection().locator("li.check").count()).toBeGreaterThan(0);

    await snapshotSection().getByRole("button", { name: "Request snapshot" }).click();
    const snapshotAlert = snapshotSection().getByRole("alert");
    await expect.poll(() => snapshotAlert.textContent(), { timeout: 10_000 }).toContain("the agent is offline");
    expect(await snapshotAlert.textContent()).toContain("linkmesh-agent snapshot");
    // The stored snapshot stays listed and downloadable.
    expect(await snapshotSection().locator("tbody tr").count()).toBe(1);
    // The page header agrees with the message.
    await expect
      .poll(() => page().locator("lm-collector .head .status").textContent(), { timeout: 10_000 })
      .toContain("agent offline");

    await page().screenshot({ path: join(OUTPUT, "collector-diagnostics.png"), fullPage: true });
  }, 60_000);

  it("made no request outside the relay", () => {
    expect(ui.external).toEqual([]);
  });
});

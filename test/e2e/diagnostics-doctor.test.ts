// `linkmesh-agent doctor` against a real relay, the Alloy stand-in and a real journal: each failure mode of the
// troubleshooting page is staged and doctor must name that check and its fix (and exit non-zero).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayProcess, startRelay } from "../rig/index.js";
import {
  type DiagHost,
  diagHost,
  doctor,
  EXPORTER,
  pipeline,
  pushAsAlloy,
  startAgent,
  stopAgent,
  until,
} from "./diagnostics-host.js";

function failedCheck(verdict: {
  stuckAt: string | null;
  checks: { id: string; status: string; fix: string; evidence: string[] }[];
}) {
  const check = verdict.checks.find((c) => c.id === verdict.stuckAt);
  expect(check?.status).toBe("fail");
  return check as { id: string; fix: string; evidence: string[] };
}

describe("linkmesh-agent doctor names the broken link and its fix", () => {
  let relay: RelayProcess;
  const hosts: DiagHost[] = [];
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    for (const h of hosts) {
      await stopAgent(h);
      await h.alloy.close();
    }
    await relay.stop();
  });

  it("no bootstrap marker: own_metrics fails, fix re-enrols / restores the LinkMesh section", async () => {
    const host = await diagHost(relay, {
      hostname: "no-marker",
      components: pipeline(50),
      operatorConfig: 'logging {\n  level = "info"\n}\n',
      bootstrap: false,
    });
    hosts.push(host);
    const { code, verdict, text } = await doctor(host);
    expect(code).toBe(1);
    expect(verdict.stuckAt).toBe("own_metrics");
    const check = failedCheck(verdict);
    expect(check.evidence.join("\n")).toContain('the first line should start with "// linkmesh-bootstrap"');
    expect(check.fix).toContain(`linkmesh-agent enroll --server ${relay.url}`);
    expect(verdict.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
    expect(text).toContain("Broken link: The collector is set up to report its own metrics (own_metrics)");
  });

  it("no OTLP activity: the exporter's sent counter stands still and the journal is silent", async () => {
    const host = await diagHost(relay, { hostname: "no-otlp", components: pipeline(0) });
    hosts.push(host);
    const { code, verdict, text } = await doctor(host);
    expect(code).toBe(1);
    expect(verdict.stuckAt).toBe("otlp_push");
    const check = failedCheck(verdict);
    expect(check.evidence.join("\n")).toMatch(new RegExp(`sent counter of ${EXPORTER.replace(/\./g, "\\.")}: 0 -> 0`));
    expect(check.fix).toContain("no OTLP activity: the bootstrap config did not land");
    expect(text).toContain("Broken link: The collector is pushing OTLP (otlp_push)");
  });

  it("bad token: the 401s are quoted, and the relay's reason names the token file to fix", async () => {
    const host = await diagHost(relay, { hostname: "bad-token", components: pipeline(0) });
    hosts.push(host);
    await writeFile(join(host.root, "etc/alloy/linkmesh.token"), "lmc_garbled-token");
    const pushed = await pushAsAlloy(relay, host);
    expect(pushed.ok).toBe(false);
    await host.alloy.log("error", "Exporting failed. Dropping data.", {
      component_path: "/",
      component_id: EXPORTER,
      error: `Permanent error: error exporting items, request to ${relay.url}/v1/metrics responded with HTTP Status Code 401`,
      dropped_items: "42",
    });
    const { code, verdict } = await doctor(host);
    expect(code).toBe(1);
    expect(verdict.checks.find((c) => c.id === "otlp_push")?.evidence.join("\n")).toContain("HTTP Status Code 401");
    expect(verdict.stuckAt).toBe("relay_reach");
    const check = failedCheck(verdict);
    expect(check.evidence.join("\n")).toContain("reason=missing_or_malformed_bearer");
    expect(check.fix).toContain(`${join(host.root, "etc/alloy/linkmesh.token")} must hold this collector's lmc_ token`);
  });

  it("deregistered collector: the relay no longer knows it; fix is to re-enrol", async () => {
    const host = await diagHost(relay, { hostname: "deregistered", components: pipeline(50) });
    hosts.push(host);
    expect(await pushAsAlloy(relay, host)).toEqual({ ok: true });
    const removed = await relay.api(`/api/v1/collectors/${host.collectorId}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    const { code, verdict } = await doctor(host);
    expect(code).toBe(1);
    expect(verdict.stuckAt).toBe("relay_reach");
    const check = failedCheck(verdict);
    expect(check.evidence.join("\n")).toContain("reason=unknown_collector");
    expect(check.evidence.join("\n")).toContain("reason=token_unknown_or_revoked_or_expired");
    expect(check.fix).toContain("CollectorID was deregistered from the fleet: re-enrol");
  });

  it("unknown component: attribution fails with 'restart the collector' while everything before it holds", async () => {
    const ghost = "otelcol.exporter.otlphttp.ghost";
    const host = await diagHost(relay, {
      hostname: "unknown-component",
      components: pipeline(50, [{ id: ghost, ratePerSecond: 5 }]),
    });
    hosts.push(host);
    startAgent(host); // reports the graph the relay attributes against
    await until(
      "unknown component at the relay",
      async () => {
        await pushAsAlloy(relay, host);
        const r = await relay.api(`/api/v1/collectors/${host.collectorId}/events?limit=200`);
        const events = (r.body as { events: { type: string; detail: Record<string, unknown> }[] }).events;
        return events.find((e) => e.type === "component_naming_mismatch" && e.detail.component === ghost);
      },
      20_000,
    );
    const { code, verdict } = await doctor(host);
    expect(verdict.checks.slice(0, 3).map((c) => [c.id, c.status])).toEqual([
      ["own_metrics", "ok"],
      ["otlp_push", "ok"],
      ["relay_reach", "ok"],
    ]);
    expect(code).toBe(1);
    expect(verdict.stuckAt).toBe("edge_attribution");
    const check = failedCheck(verdict);
    expect(check.evidence.join("\n")).toContain(`"unknown component": ${ghost}`);
    expect(check.fix).toContain("restart the collector");
  });
});

import { describe, expect, it } from "vitest";
import type { AgentSelfView } from "../../common/protocol/index.js";
import { renderManagedSection } from "../bootstrap/index.js";
import { type CheckId, type DoctorInput, type JournalLine, runChecks } from "./checks.js";
import { renderVerdict } from "./render.js";

const NOW = 1_750_000_000_000;
const EXPORTER = "otelcol.exporter.otlphttp.linkmesh";
const BOOTSTRAPPED = `${renderManagedSection(
  { otlpEndpoint: "http://relay:8080/v1/metrics", tokenFile: "/etc/alloy/linkmesh.token", withLogging: true },
  "linkmesh",
)}\n// operator config\n`;

const healthyView: AgentSelfView = {
  collectorId: "c1",
  hostname: "web-01",
  collectorType: "alloy",
  relayTimeMs: NOW,
  lastPushAt: NOW - 20_000,
  lastRejection: null,
  ownMetricsOffered: false,
  hostMetricsAt: NOW - 20_000,
  throughput: { rows: 4, withRate: 4, nonZero: 3 },
  mismatches: [],
};

function healthy(): DoctorInput {
  return {
    nowMs: NOW,
    collectorType: "alloy",
    collectorId: "c1",
    relayUrl: "http://relay:8080",
    config: { ok: true, value: { path: "/etc/alloy/config.alloy", text: BOOTSTRAPPED } },
    tokenFile: "/etc/alloy/linkmesh.token",
    metrics: {
      url: "http://127.0.0.1:12345/metrics",
      first: { ok: true, value: { timeMs: NOW - 5_000, exporterSent: 100 } },
      second: { ok: true, value: { timeMs: NOW, exporterSent: 180 } },
    },
    journal: { ok: true, value: [] },
    reach: { ok: true, value: { status: 401 } },
    collectorToken: { ok: true, value: { status: 415, reason: null } },
    relayView: { ok: true, value: healthyView },
  };
}

const line = (kind: JournalLine["kind"], text: string, extra: Partial<JournalLine> = {}): JournalLine => ({
  timeMs: NOW - 1_000,
  kind,
  component: EXPORTER,
  text,
  ...extra,
});

interface Case {
  name: string;
  change: (input: DoctorInput) => DoctorInput;
  stuckAt: CheckId;
  evidence: RegExp;
  fix: RegExp;
}

const view =
  (patch: Partial<AgentSelfView>) =>
  (i: DoctorInput): DoctorInput => ({
    ...i,
    relayView: { ok: true, value: { ...healthyView, ...patch } },
  });

const cases: Case[] = [
  {
    name: "not enrolled",
    change: (i) => ({ ...i, collectorId: null }),
    stuckAt: "own_metrics",
    evidence: /not enrolled/,
    fix: /linkmesh-agent enroll --server http:\/\/relay:8080/,
  },
  {
    name: "no bootstrap marker (operator config only)",
    change: (i) => ({
      ...i,
      config: { ok: true, value: { path: "/etc/alloy/config.alloy", text: 'logging {\n  level = "info"\n}\n' } },
    }),
    stuckAt: "own_metrics",
    evidence: /first line should start with "\/\/ linkmesh-bootstrap"/,
    fix: /put the LinkMesh section back/,
  },
  {
    name: "bootstrap marker but the exporter.self block was deleted",
    change: (i) => ({
      ...i,
      config: {
        ok: true,
        value: {
          path: "/etc/alloy/config.alloy",
          text: BOOTSTRAPPED.replace(/prometheus\.exporter\.self "linkmesh" \{\s*\}\n/, ""),
        },
      },
    }),
    stuckAt: "own_metrics",
    evidence: /missing blocks: prometheus\.exporter\.self\.linkmesh/,
    fix: /linkmesh-agent enroll/,
  },
  {
    name: "config unreadable",
    change: (i) => ({ ...i, config: { ok: false, error: "ENOENT: no such file" } }),
    stuckAt: "own_metrics",
    evidence: /cannot read the Alloy config: ENOENT/,
    fix: /restore the Alloy config/,
  },
  {
    name: "otelcol enrolled before own_metrics offers",
    change: (i) =>
      view({ collectorType: "otelcol-contrib", ownMetricsOffered: false })({ ...i, collectorType: "otelcol-contrib" }),
    stuckAt: "own_metrics",
    evidence: /no own_metrics_offered event/,
    fix: /Deregister/,
  },
  {
    name: "no OTLP activity: counter flat, journal silent",
    change: (i) => ({
      ...i,
      metrics: { ...i.metrics, second: { ok: true, value: { timeMs: NOW, exporterSent: 100 } } },
    }),
    stuckAt: "otlp_push",
    evidence: /sent counter of otelcol\.exporter\.otlphttp\.linkmesh: 100 -> 100 in 5 s/,
    fix: /no OTLP activity: the bootstrap config did not land/,
  },
  {
    name: "exporter absent from /metrics (config not loaded)",
    change: (i) => ({
      ...i,
      metrics: {
        ...i.metrics,
        first: { ok: true, value: { timeMs: NOW - 5_000, exporterSent: null } },
        second: { ok: true, value: { timeMs: NOW, exporterSent: null } },
      },
    }),
    stuckAt: "otlp_push",
    evidence: /no sent counter for otelcol\.exporter\.otlphttp\.linkmesh/,
    fix: /systemctl reload alloy/,
  },
  {
    name: "collector down (/metrics unreachable)",
    change: (i) => ({ ...i, metrics: { ...i.metrics, first: { ok: false, error: "connect ECONNREFUSED" } } }),
    stuckAt: "otlp_push",
    evidence: /cannot scrape http:\/\/127\.0\.0\.1:12345\/metrics: connect ECONNREFUSED/,
    fix: /systemctl status alloy/,
  },
  {
    name: "exports fail for a transport reason (quoted)",
    change: (i) => ({
      ...i,
      journal: {
        ok: true,
        value: [
          line(
            "export_retry",
            'level=info msg="Exporting failed. Will retry the request after interval." error="dial tcp: connection refused"',
          ),
        ],
      },
    }),
    stuckAt: "otlp_push",
    evidence: /journal: level=info msg="Exporting failed\. Will retry/,
    fix: /firewall, DNS, TLS/,
  },
  {
    name: "relay unreachable",
    change: (i) => ({ ...i, reach: { ok: false, error: "getaddrinfo ENOTFOUND relay" } }),
    stuckAt: "relay_reach",
    evidence: /ENOTFOUND/,
    fix: /firewall, DNS, TLS.*curl -v -X POST/,
  },
  {
    name: "something else answers the OTLP URL",
    change: (i) => ({ ...i, reach: { ok: true, value: { status: 404 } } }),
    stuckAt: "relay_reach",
    evidence: /answered HTTP 404, expected 401/,
    fix: /proxy, wrong URL/,
  },
  {
    name: "bad token file: missing_or_malformed_bearer (pushes logged as 401)",
    change: (i) => ({
      ...i,
      metrics: { ...i.metrics, second: { ok: true, value: { timeMs: NOW, exporterSent: 100 } } },
      journal: {
        ok: true,
        value: [
          line("auth_rejected", 'msg="Exporting failed. Will retry" error="HTTP Status Code 401"', { statusCode: 401 }),
        ],
      },
      collectorToken: { ok: true, value: { status: 401, reason: "missing_or_malformed_bearer" } },
    }),
    stuckAt: "relay_reach",
    evidence: /reason=missing_or_malformed_bearer/,
    fix: /\/etc\/alloy\/linkmesh\.token must hold this collector's lmc_ token/,
  },
  {
    name: "revoked token seen by the relay",
    change: view({
      lastRejection: { reason: "token_unknown_or_revoked_or_expired", at: NOW - 10_000 },
      lastPushAt: NOW - 600_000,
    }),
    stuckAt: "relay_reach",
    evidence: /last answer to this collector was a rejection 10 s ago: reason=token_unknown_or_revoked_or_expired/,
    fix: /re-enrol to mint a fresh token/,
  },
  {
    name: "deregistered collector",
    change: (i) => ({
      ...i,
      collectorToken: { ok: true, value: { status: 401, reason: "token_unknown_or_revoked_or_expired" } },
      relayView: { ok: false, error: "this collector was deregistered", reason: "unknown_collector" },
    }),
    stuckAt: "relay_reach",
    evidence:
      /collector token is refused too: reason=token_unknown_or_revoked_or_expired[\s\S]*no longer knows this collector/,
    fix: /CollectorID was deregistered from the fleet: re-enrol/,
  },
  {
    name: "deregistered collector, seen through the agent token only",
    change: (i) => ({
      ...i,
      collectorToken: null,
      relayView: { ok: false, error: "this collector was deregistered", reason: "unknown_collector" },
    }),
    stuckAt: "relay_reach",
    evidence: /reason=unknown_collector/,
    fix: /CollectorID was deregistered from the fleet: re-enrol/,
  },
  {
    name: "pushes go elsewhere (no push for 10 min)",
    change: view({ lastPushAt: NOW - 600_000 }),
    stuckAt: "relay_reach",
    evidence: /last accepted push from this collector: 10 min ago/,
    fix: /its OTLP endpoint must be http:\/\/relay:8080\/v1\/metrics/,
  },
  {
    name: "unknown component",
    change: view({
      mismatches: [{ reason: "unknown component", component: "otelcol.receiver.otlp.renamed", at: NOW - 30_000 }],
    }),
    stuckAt: "edge_attribution",
    evidence: /"unknown component": otelcol\.receiver\.otlp\.renamed/,
    fix: /restart the collector/,
  },
  {
    name: "host metrics but no throughput series",
    change: view({ throughput: { rows: 0, withRate: 0, nonZero: 0 } }),
    stuckAt: "edges_flowing",
    evidence: /host metrics arrived 20 s ago/,
    fix: /push some test data through the collector's pipeline and wait 60 s/,
  },
  {
    name: "fewer than two samples",
    change: view({ throughput: { rows: 4, withRate: 0, nonZero: 0 } }),
    stuckAt: "edges_flowing",
    evidence: /none with a rate yet/,
    fix: /wait 60 s/,
  },
  {
    name: "numbers are zero (Alloy)",
    change: view({ throughput: { rows: 4, withRate: 4, nonZero: 0 } }),
    stuckAt: "numbers_nonzero",
    evidence: /all 4 rates are zero/,
    fix: /prometheus\.exporter\.self is disabled/,
  },
  {
    name: "numbers are zero (otelcol)",
    change: (i) =>
      view({
        collectorType: "otelcol-contrib",
        ownMetricsOffered: true,
        throughput: { rows: 2, withRate: 2, nonZero: 0 },
      })({
        ...i,
        collectorType: "otelcol-contrib",
        collectorToken: null,
      }),
    stuckAt: "numbers_nonzero",
    evidence: /rates are zero/,
    fix: /service\.telemetry\.metrics sends elsewhere/,
  },
];

describe("doctor names the first broken link and its fix", () => {
  it("passes every check on a healthy host", () => {
    const verdict = runChecks(healthy());
    expect(verdict.checks.map((c) => c.status)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(verdict).toMatchObject({ ok: true, stuckAt: null });
    expect(renderVerdict(verdict)).toContain("All checks passed");
  });

  it.each(cases)("$name -> $stuckAt", ({ change, stuckAt, evidence, fix }) => {
    const verdict = runChecks(change(healthy()));
    expect(verdict.ok).toBe(false);
    expect(verdict.stuckAt).toBe(stuckAt);
    const index = verdict.checks.findIndex((c) => c.id === stuckAt);
    const failed = verdict.checks[index];
    expect(failed?.status).toBe("fail");
    expect(failed?.evidence.join("\n")).toMatch(evidence);
    expect(failed?.fix).toMatch(fix);
    // Earlier links held (or could not be judged); later ones are not explained.
    for (const before of verdict.checks.slice(0, index)) expect(before.status).not.toBe("fail");
    for (const after of verdict.checks.slice(index + 1)) {
      expect(after.status).toBe("skipped");
      expect(after.evidence[0]).toContain("failed first");
    }
    const text = renderVerdict(verdict);
    expect(text).toContain(`Broken link: ${failed?.title} (${stuckAt})`);
    expect(text).toContain(`Fix: ${failed?.fix}`);
  });

  it("orphan throughput alone is reported but does not fail (it clears within 24 h)", () => {
    const verdict = runChecks(
      view({
        mismatches: [{ reason: "orphan throughput", component: "otelcol.exporter.otlphttp.old", at: NOW - 60_000 }],
      })(healthy()),
    );
    expect(verdict.ok).toBe(true);
    const check = verdict.checks.find((c) => c.id === "edge_attribution");
    expect(check?.evidence.join("\n")).toMatch(/orphan throughput.*clears by itself within 24 h/);
  });

  it("a 401 from the relay does not count as 'not pushing': the rejection is named at the relay check", () => {
    const input = healthy();
    input.journal = {
      ok: true,
      value: [line("auth_rejected", "Exporting failed. HTTP Status Code 401", { statusCode: 401 })],
    };
    input.relayView = {
      ok: true,
      value: { ...healthyView, lastRejection: { reason: "missing_or_malformed_bearer", at: NOW - 5_000 } },
    };
    const verdict = runChecks(input);
    expect(verdict.checks[1]?.status).toBe("ok");
    expect(verdict.stuckAt).toBe("relay_reach");
  });

  it("a relay that cannot be asked leaves otelcol's own_metrics unjudged, then fails at reaching the relay", () => {
    const input: DoctorInput = {
      ...healthy(),
      collectorType: "otelcol-contrib",
      collectorToken: null,
      reach: { ok: false, error: "connect ECONNREFUSED 10.0.0.1:443" },
      relayView: { ok: false, error: "connect ECONNREFUSED 10.0.0.1:443" },
    };
    const verdict = runChecks(input);
    expect(verdict.checks[0]?.status).toBe("skipped");
    expect(verdict.stuckAt).toBe("relay_reach");
  });
});

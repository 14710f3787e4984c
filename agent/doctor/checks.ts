// The doctor's verdicts: the troubleshooting page's checks, top-down, over plain gathered facts. Pure.
// The first failing check is the broken link; every later check is `skipped` with that reason.

import type { CollectorType } from "../../common/model/index.js";
import type { AgentSelfView, CheckResult, DoctorVerdict, MismatchFinding } from "../../common/protocol/index.js";
import { BOOTSTRAP_MARKER, inspectBootstrap } from "../bootstrap/index.js";
import type { JournalLineKind } from "../journal/index.js";

/** A gathered fact, or why it could not be gathered. `reason` is the relay's machine reason when it gave one. */
export type Probe<T> = { ok: true; value: T } | { ok: false; error: string; reason?: string };

export interface JournalLine {
  timeMs: number;
  kind: JournalLineKind;
  component?: string;
  statusCode?: number;
  /** The line as logged (quoted as evidence). */
  text: string;
}

export interface DoctorInput {
  nowMs: number;
  collectorType: CollectorType;
  /** Null when this host is not enrolled. */
  collectorId: string | null;
  relayUrl: string | null;
  /** Alloy's config file, or otelcol's effective config. */
  config: Probe<{ path: string; text: string }>;
  /** Alloy: the collector token file the bootstrap reads (named in fixes). */
  tokenFile: string | null;
  /** Two scrapes of the collector's local /metrics, a few seconds apart: the LinkMesh exporter's sent counter. */
  metrics: { url: string; first: Probe<ScrapePoint>; second: Probe<ScrapePoint> };
  /** The collector's recent journal, classified. */
  journal: Probe<JournalLine[]>;
  /** `POST <relay>/v1/metrics` without credentials: must answer 401. */
  reach: Probe<{ status: number }>;
  /** The same POST with the collector's own token (Alloy; null when the agent does not hold it). */
  collectorToken: Probe<{ status: number; reason: string | null }> | null;
  /** The relay's view of this collector, asked with the agent token. */
  relayView: Probe<AgentSelfView>;
}

export interface ScrapePoint {
  timeMs: number;
  /** The LinkMesh exporter's sent counter, null when /metrics has no such series. */
  exporterSent: number | null;
}

export const CHECK_IDS = [
  "own_metrics",
  "otlp_push",
  "relay_reach",
  "edge_attribution",
  "edges_flowing",
  "numbers_nonzero",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_TITLES: Record<CheckId, string> = {
  own_metrics: "The collector is set up to report its own metrics",
  otlp_push: "The collector is pushing OTLP",
  relay_reach: "Pushes reach the relay and are accepted",
  edge_attribution: "Throughput is attributed to the right components",
  edges_flowing: "Edges have throughput (pipeline has data, two samples)",
  numbers_nonzero: "Throughput numbers are not all zero",
};

/** A push newer than this counts as "the relay hears from this collector" (the collector pushes every 30 s). */
export const RECENT_PUSH_MS = 2 * 60_000;
const MAX_QUOTED_LINES = 5;
const EXPORT_FAILURE_KINDS = new Set<JournalLineKind>([
  "export_retry",
  "export_dropped",
  "export_rejected",
  "partial_success",
  "auth_rejected",
]);
const EXPORT_ACTIVITY_KINDS = new Set<JournalLineKind>([...EXPORT_FAILURE_KINDS, "export_attempt"]);

type Outcome = Omit<CheckResult, "id" | "title">;
const ok = (...evidence: string[]): Outcome => ({ status: "ok", evidence, fix: "" });
const fail = (evidence: string[], fix: string): Outcome => ({ status: "fail", evidence, fix });
const unknown = (...evidence: string[]): Outcome => ({ status: "skipped", evidence, fix: "" });

function ago(nowMs: number, atMs: number): string {
  const s = Math.max(0, Math.round((nowMs - atMs) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

const enrollFix = (input: DoctorInput) =>
  `mint a new enrollment token in the LinkMesh UI and run \`linkmesh-agent enroll --server ${input.relayUrl ?? "<relay URL>"} ` +
  "--token <lme_...>` on this host (your collector config below the LinkMesh section is kept)";

/** The LinkMesh exporter's id in the config (Alloy), which its self-telemetry and log lines carry. */
function exporterIdOf(input: DoctorInput): string | null {
  if (input.collectorType !== "alloy" || !input.config.ok) return null;
  return inspectBootstrap(input.config.value.text).exporterId;
}

/** Check 1: Alloy: the bootstrap marker and self-telemetry blocks; otelcol: the relay offered own_metrics. */
function ownMetrics(input: DoctorInput): Outcome {
  if (input.collectorId === null) {
    return fail(["this host is not enrolled (no collector id in the agent settings)"], enrollFix(input));
  }
  if (input.collectorType === "otelcol-contrib") {
    if (!input.relayView.ok)
      return unknown(`cannot ask the relay whether it offered own_metrics: ${input.relayView.error}`);
    if (input.relayView.value.ownMetricsOffered) return ok("the relay recorded an own_metrics_offered event");
    return fail(
      ["no own_metrics_offered event for this collector: it enrolled before the relay offered own_metrics"],
      "re-enrol to trigger a fresh offer: stop the collector and agent, deregister the collector in the LinkMesh UI " +
        "(Collectors → … → Deregister), mint a fresh token and re-run the install one-liner",
    );
  }
  if (!input.config.ok) {
    return fail(
      [`cannot read the Alloy config: ${input.config.error}`],
      `restore the Alloy config file, then ${enrollFix(input)}`,
    );
  }
  const { path, text } = input.config.value;
  const inspection = inspectBootstrap(text);
  const firstLine = text.split("\n", 1)[0] ?? "";
  const evidence = [`${path} line 1: ${JSON.stringify(firstLine.slice(0, 120))}`];
  if (!inspection.marker) {
    evidence.push(
      `the first line should start with ${JSON.stringify(BOOTSTRAP_MARKER)}: the bootstrap config did not land`,
    );
  }
  if (inspection.missing.length > 0) evidence.push(`missing blocks: ${inspection.missing.join(", ")}`);
  if (!inspection.drifted) {
    return ok(`${path} starts with the LinkMesh bootstrap and declares ${inspection.exporterId}`);
  }
  return fail(
    evidence,
    `put the LinkMesh section back at the top of ${path}: ${enrollFix(input)}; ` +
      "or restart `linkmesh-agent run`, which repairs a drifted bootstrap",
  );
}

/** Check 2: the LinkMesh exporter's sent counter increases and the journal shows no export failures. */
function otlpPush(input: DoctorInput): Outcome {
  const journal = input.journal.ok ? input.journal.value : [];
  const exporterId = exporterIdOf(input);
  const ours = (l: JournalLine) =>
    input.collectorType === "alloy"
      ? l.component === exporterId
      : l.component === undefined || l.kind === "auth_rejected";
  const failures = journal.filter((l) => EXPORT_FAILURE_KINDS.has(l.kind) && ours(l));
  const activity = journal.filter((l) => EXPORT_ACTIVITY_KINDS.has(l.kind) && ours(l));
  const quoted = failures.slice(-MAX_QUOTED_LINES).map((l) => `journal: ${l.text}`);
  const evidence: string[] = [];
  if (!input.journal.ok) evidence.push(`journal not read: ${input.journal.error}`);

  if (input.collectorType === "otelcol-contrib") {
    // otelcol pushes its own metrics from the telemetry SDK: no local sent counter; the relay's last push tells.
    if (failures.length > 0 && failures.every((l) => l.kind === "auth_rejected")) {
      return ok("the collector pushes; the relay refuses its bearer (see the next check)", ...quoted);
    }
    if (failures.length > 0) {
      return fail(
        [...evidence, ...quoted],
        "otelcol cannot deliver its own metrics: check service.telemetry.metrics in the effective config points " +
          `at ${input.relayUrl ?? "the relay"}/v1/metrics and that this host reaches it (firewall, DNS, TLS)`,
      );
    }
    return ok(...evidence, "no export failures in the journal; the relay's view decides in the next check");
  }

  const { first, second, url } = input.metrics;
  if (!first.ok || !second.ok) {
    const error = !first.ok ? first.error : !second.ok ? second.error : "";
    return fail(
      [...evidence, `cannot scrape ${url}: ${error}`, ...quoted],
      "the collector is not running or its HTTP server is elsewhere: `sudo systemctl status alloy`; " +
        "start it (`sudo systemctl start alloy`) and check `--server.http.listen-addr`",
    );
  }
  if (first.value.exporterSent === null || second.value.exporterSent === null) {
    return fail(
      [
        ...evidence,
        `${url} has no sent counter for ${exporterId ?? "the LinkMesh exporter"}: the exporter is not running`,
      ],
      "the running config is not the bootstrap config (reload did not fire?): `sudo systemctl reload alloy` " +
        "(or restart it) and check `sudo journalctl -u alloy` for config errors",
    );
  }
  const delta = second.value.exporterSent - first.value.exporterSent;
  const seconds = Math.round((second.value.timeMs - first.value.timeMs) / 1000);
  const counter = `sent counter of ${exporterId}: ${first.value.exporterSent} -> ${second.value.exporterSent} in ${seconds} s`;
  if (failures.length > 0 && failures.every((l) => l.kind === "auth_rejected" || l.statusCode === 401)) {
    // The collector does push: the relay answers 401. That is the next link's failure, named there.
    return ok(counter, "the collector pushes; the relay refuses its bearer (see the next check)", ...quoted);
  }
  if (failures.length > 0) {
    return fail(
      [counter, ...quoted],
      `the exporter ${exporterId} fails to deliver: check its endpoint is ${input.relayUrl ?? "the relay"}/v1/metrics ` +
        "and that this host reaches it (firewall, DNS, TLS); the quoted lines say which",
    );
  }
  if (delta > 0) return ok(counter, ...evidence);
  if (activity.length > 0) {
    return ok(counter, `journal shows export activity: ${activity.at(-1)?.text ?? ""}`);
  }
  return fail(
    [counter, ...evidence, "no OTLP export activity in the journal either"],
    "no OTLP activity: the bootstrap config did not land or was not loaded. Check " +
      `\`sudo head -5 ${input.config.ok ? input.config.value.path : "/etc/alloy/config.alloy"}\` starts with ` +
      `${JSON.stringify(BOOTSTRAP_MARKER)}, then \`sudo systemctl restart alloy\`` +
      (seconds < 30 ? "; the exporter pushes every ~30 s, so re-run doctor with a longer --sample-interval" : ""),
  );
}

const REJECTION_FIXES: Record<string, (input: DoctorInput) => string> = {
  missing_or_malformed_bearer: (input) =>
    "the collector reaches the relay without a valid Authorization header: " +
    (input.tokenFile
      ? `${input.tokenFile} must hold this collector's lmc_ token (no newline); restore it or ${enrollFix(input)}`
      : `the own_metrics offer or config lacks the bearer; ${enrollFix(input)}`),
  token_unknown_or_revoked_or_expired: (input) =>
    "the bearer no longer verifies (most often: the collector was deregistered and came back, or the token was " +
    `revoked or expired): re-enrol to mint a fresh token: ${enrollFix(input)}`,
  unknown_collector: (input) =>
    `the token verifies but its CollectorID was deregistered from the fleet: re-enrol to recreate the collector: ${enrollFix(input)}`,
};

function rejectionFix(reason: string, input: DoctorInput): string {
  return (REJECTION_FIXES[reason] ?? REJECTION_FIXES.token_unknown_or_revoked_or_expired ?? (() => ""))(input);
}

/** Check 3: reachability (401 to an anonymous push), then the relay's last push and rejection for this collector. */
function relayReach(input: DoctorInput): Outcome {
  const target = `${input.relayUrl ?? "<relay>"}/v1/metrics`;
  const curl = `curl -v -X POST -H 'Authorization: Bearer test' -H 'Content-Type: application/x-protobuf' ${target}`;
  if (!input.reach.ok) {
    return fail(
      [`POST ${target} without credentials failed: ${input.reach.error}`],
      `this host cannot reach the LinkMesh OTLP endpoint (firewall, DNS, TLS). Test with \`${curl}\`; expect HTTP 401`,
    );
  }
  if (input.reach.value.status !== 401) {
    return fail(
      [`POST ${target} without credentials answered HTTP ${input.reach.value.status}, expected 401`],
      `something other than the LinkMesh relay answers at ${target} (proxy, wrong URL): fix the relay URL or proxy; \`${curl}\` must answer 401`,
    );
  }
  const evidence = [`POST ${target} without credentials answered 401 (reachable, auth wired)`];
  const token = input.collectorToken;
  if (!input.relayView.ok && input.relayView.reason === "unknown_collector") {
    // Deregistered: every token of the collector is revoked too; name the cause, not the symptom.
    if (token?.ok && token.value.reason !== null)
      evidence.push(`the collector token is refused too: reason=${token.value.reason}`);
    return fail(
      [...evidence, `the relay no longer knows this collector: ${input.relayView.error} (reason=unknown_collector)`],
      rejectionFix("unknown_collector", input),
    );
  }
  if (token?.ok && token.value.reason !== null) {
    const reason = token.value.reason;
    return fail(
      [...evidence, `the relay refuses the collector token in ${input.tokenFile ?? "the config"}: reason=${reason}`],
      rejectionFix(reason, input),
    );
  }
  if (token?.ok) evidence.push("the relay accepts the collector token the config uses");
  if (!input.relayView.ok) {
    const reason = input.relayView.reason;
    if (reason === "unknown_collector" || reason === "token_unknown_or_revoked_or_expired") {
      return fail(
        [...evidence, `the relay refuses this agent: ${input.relayView.error} (reason=${reason})`],
        rejectionFix(reason, input),
      );
    }
    return fail(
      [...evidence, `cannot ask the relay about this collector: ${input.relayView.error}`],
      "check the agent token (/etc/linkmesh/agent.token) and the relay URL in /etc/linkmesh/agent.json; " +
        `if the token was revoked, ${enrollFix(input)}`,
    );
  }
  const view = input.relayView.value;
  const now = view.relayTimeMs;
  const rejection = view.lastRejection;
  if (rejection !== null && (view.lastPushAt === null || rejection.at > view.lastPushAt)) {
    return fail(
      [
        ...evidence,
        `the relay's last answer to this collector was a rejection ${ago(now, rejection.at)}: reason=${rejection.reason}`,
      ],
      rejectionFix(rejection.reason, input),
    );
  }
  if (view.lastPushAt === null || now - view.lastPushAt > RECENT_PUSH_MS) {
    const when = view.lastPushAt === null ? "never" : ago(now, view.lastPushAt);
    return fail(
      [...evidence, `the relay's last accepted push from this collector: ${when}`],
      `the collector pushes somewhere else or not at all: its OTLP endpoint must be ${target}; ` +
        `check the exporter endpoint in the config, and that the collector host reaches it (\`${curl}\`)`,
    );
  }
  evidence.push(`the relay's last accepted push: ${ago(now, view.lastPushAt)}`);
  if (rejection !== null)
    evidence.push(`older rejection (since resolved): reason=${rejection.reason} ${ago(now, rejection.at)}`);
  return ok(...evidence);
}

function describeFinding(f: MismatchFinding, now: number): string {
  return `component_naming_mismatch "${f.reason}": ${f.component} (${ago(now, f.at)})`;
}

/** Check 4: current component_naming_mismatch findings. */
function edgeAttribution(input: DoctorInput): Outcome {
  if (!input.relayView.ok) return unknown(`cannot ask the relay for mismatches: ${input.relayView.error}`);
  const view = input.relayView.value;
  const unknownComponents = view.mismatches.filter((m) => m.reason === "unknown component");
  const orphans = view.mismatches.filter((m) => m.reason === "orphan throughput");
  const orphanNotes = orphans.map(
    (m) => `${describeFinding(m, view.relayTimeMs)}: a deleted component; clears by itself within 24 h, nothing to do`,
  );
  if (unknownComponents.length > 0) {
    return fail(
      [...unknownComponents.map((m) => describeFinding(m, view.relayTimeMs)), ...orphanNotes],
      "the collector runs a config LinkMesh does not know (manual edit, or an older config still active because the " +
        `reload did not fire): restart the collector (\`sudo systemctl restart ${input.collectorType === "alloy" ? "alloy" : "otelcol-contrib"}\`)`,
    );
  }
  return ok(...(orphanNotes.length > 0 ? orphanNotes : ["no component_naming_mismatch findings"]));
}

/** Check 5: host metrics arrive but edges are empty -> no data yet or fewer than two samples. */
function edgesFlowing(input: DoctorInput): Outcome {
  if (!input.relayView.ok) return unknown(`cannot ask the relay for throughput: ${input.relayView.error}`);
  const view = input.relayView.value;
  const { rows, withRate } = view.throughput;
  const host =
    view.hostMetricsAt === null
      ? "no host metrics yet"
      : `host metrics arrived ${ago(view.relayTimeMs, view.hostMetricsAt)}`;
  if (rows > 0 && withRate > 0) return ok(`${withRate} of ${rows} throughput series have a rate`, host);
  return fail(
    [
      host,
      rows === 0
        ? "no per-component throughput series yet"
        : `${rows} throughput series, none with a rate yet (a rate needs two samples 30 s apart)`,
    ],
    "the pipeline has no data yet or fewer than two samples: push some test data through the collector's pipeline and wait 60 s",
  );
}

/** Check 6: every rate is zero -> self-telemetry is not what LinkMesh reads. */
function numbersNonzero(input: DoctorInput): Outcome {
  if (!input.relayView.ok) return unknown(`cannot ask the relay for throughput: ${input.relayView.error}`);
  const { withRate, nonZero } = input.relayView.value.throughput;
  if (nonZero > 0) return ok(`${nonZero} of ${withRate} rates are above zero`);
  return fail(
    [`all ${withRate} rates are zero`],
    input.collectorType === "alloy"
      ? "Alloy's prometheus.exporter.self is disabled or returns nothing: check the bootstrap's prometheus.exporter.self " +
          "and prometheus.scrape blocks are intact"
      : "otelcol's service.telemetry.metrics sends elsewhere (often a customer Prometheus): also push to LinkMesh, " +
          "or accept that LinkMesh shows no per-edge numbers for this collector",
  );
}

const CHECKS: Record<CheckId, (input: DoctorInput) => Outcome> = {
  own_metrics: ownMetrics,
  otlp_push: otlpPush,
  relay_reach: relayReach,
  edge_attribution: edgeAttribution,
  edges_flowing: edgesFlowing,
  numbers_nonzero: numbersNonzero,
};

/** Runs the checks in order; after the first failure the rest are skipped, naming the check that failed. */
export function runChecks(input: DoctorInput): DoctorVerdict {
  const checks: CheckResult[] = [];
  let stuckAt: CheckId | null = null;
  for (const id of CHECK_IDS) {
    const title = CHECK_TITLES[id];
    if (stuckAt !== null) {
      checks.push({
        id,
        title,
        status: "skipped",
        evidence: [`not checked: "${CHECK_TITLES[stuckAt]}" failed first`],
        fix: "",
      });
      continue;
    }
    const outcome = CHECKS[id](input);
    checks.push({ id, title, ...outcome });
    if (outcome.status === "fail") stuckAt = id;
  }
  return { ok: stuckAt === null, stuckAt, timeMs: input.nowMs, checks };
}

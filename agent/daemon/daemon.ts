// `linkmesh-agent run`: wires the watchers, the scraper, the outbox and the link, and keeps the status file.
// All decisions live in the pure modules it calls; this file only moves data between them on timers and events.

import { readFile } from "node:fs/promises";
import type { ComponentGraph } from "../../common/model/index.js";
import type { AgentEvent, AgentReport } from "../../common/protocol/index.js";
import { applyBootstrap, inspectBootstrap } from "../bootstrap/index.js";
import { ConfigWatcher, describeDiff, diffGraphs, isEmptyDiff, readCollectorConfig } from "../config-watch/index.js";
import { runDoctor } from "../doctor/index.js";
import { type AgentSettings, readSettings } from "../enroll/index.js";
import { HostHealthSampler, hostFacts } from "../health/index.js";
import { type ClassifiedJournalEntry, JournalReader } from "../journal/index.js";
import { DEFAULT_BACKOFF, LinkClient, type RequestAction, type RequestHandler } from "../link/index.js";
import { describeMismatch, findNamingMismatches, mismatchKey } from "../mismatch/index.js";
import { Outbox } from "../outbox/index.js";
import type { HostPaths } from "../paths/index.js";
import { exportActivity, Scraper, type ScrapeSummary } from "../scrape/index.js";
import { scrubVerdict, snapshotReply } from "../snapshot/index.js";
import { type AgentStatus, STATUS_REFRESH_MS, writeStatus } from "../status/index.js";
import { EventThrottle, eventForJournalLine } from "./events.js";

export const AGENT_VERSION = "0.1.0";

export class DaemonError extends Error {
  constructor(
    readonly reason: "not_enrolled" | "no_agent_token",
    message: string,
  ) {
    super(message);
    this.name = "DaemonError";
  }
}

export interface DaemonOptions {
  paths: HostPaths;
  journalDir?: string;
  /** The collector's HTTP server; default from the collector type. */
  collectorHttp?: string;
  /** systemd unit of the collector; default from the collector type. */
  unit?: string;
  scrapeIntervalMs?: number;
  healthIntervalMs?: number;
  heartbeatMs?: number;
  /** Longest wait between reconnect attempts (full jitter below it). */
  reconnectMaxMs?: number;
  /** Scrapes without any series before a configured component counts as silent. */
  silentAfter?: number;
  /** Put the LinkMesh blocks back when they vanish from the config. */
  enforce?: boolean;
  /** One event per (kind, component) per window for journal lines. */
  eventWindowMs?: number;
  log: (line: string) => void;
}

const RECENT_JOURNAL_LINES = 20;

export interface RunningDaemon {
  /** Answers a relay request (doctor, snapshot) on the link; without a handler the agent replies "cannot run". */
  onRequest(action: RequestAction, handler: RequestHandler): void;
  stop(): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { paths } = options;
  const settings = await readSettings(paths);
  if (!settings) {
    throw new DaemonError(
      "not_enrolled",
      `not enrolled (no ${paths.agentConfigFile}): run linkmesh-agent enroll first`,
    );
  }
  let agentToken: string;
  try {
    agentToken = (await readFile(paths.agentTokenFile, "utf8")).trim();
  } catch {
    throw new DaemonError(
      "no_agent_token",
      `no agent token at ${paths.agentTokenFile}: run linkmesh-agent enroll again`,
    );
  }
  const daemon = new Daemon(options, settings, agentToken, await Outbox.open(paths.outboxDir));
  await daemon.start();
  return daemon;
}

class Daemon implements RunningDaemon {
  private readonly isAlloy: boolean;
  private readonly configFile: string;
  private readonly link: LinkClient;
  private readonly journal: JournalReader;
  private readonly watcher: ConfigWatcher;
  private readonly scraper: Scraper;
  private readonly health: HostHealthSampler;
  private readonly throttle: EventThrottle;
  private readonly status: AgentStatus;
  private graph: ComponentGraph | null = null;
  private exporterId: string | null = null;
  private drifted = false;
  private previousScrape: ScrapeSummary | null = null;
  private recentSeen: string[][] = [];
  private openMismatches = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private statusDirty = true;
  private stopping = false;

  constructor(
    private readonly options: DaemonOptions,
    private readonly settings: AgentSettings,
    agentToken: string,
    private readonly outbox: Outbox,
  ) {
    this.isAlloy = settings.collectorType === "alloy";
    const { paths, log } = options;
    this.configFile = this.isAlloy ? paths.alloyConfigFile : paths.otelcolConfigFile;
    const collectorHttp = options.collectorHttp ?? (this.isAlloy ? "http://127.0.0.1:12345" : "http://127.0.0.1:8888");
    const now = Date.now();
    this.status = {
      pid: process.pid,
      startedAtMs: now,
      updatedAtMs: now,
      running: true,
      collectorId: settings.collectorId,
      collectorType: settings.collectorType,
      relayUrl: settings.relayUrl,
      link: { state: "stopped", sinceMs: now, lastError: null },
      config: { path: this.configFile, sha256: null, components: 0, error: null, bootstrap: null },
      scrape: { lastAtMs: null, ok: false, error: null, exportActivity: "unknown", exporterSent: null },
      journal: { state: "stopped", pid: null, restarts: 0, lastEntryAtMs: null, recent: [] },
      mismatches: [],
      outbox: { depth: outbox.depth, ackedSeq: outbox.ackedSeq, dropped: { ...outbox.dropped } },
    };
    this.throttle = new EventThrottle(options.eventWindowMs ?? 60_000);
    this.health = new HostHealthSampler(paths.root);
    this.link = new LinkClient({
      relayUrl: settings.relayUrl,
      agentToken,
      outbox,
      hello: { agentVersion: AGENT_VERSION, collectorType: settings.collectorType, host: hostFacts(settings.hostname) },
      log,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      backoff: { initialMs: DEFAULT_BACKOFF.initialMs, maxMs: options.reconnectMaxMs ?? DEFAULT_BACKOFF.maxMs },
      onState: (state) => {
        this.status.link = { state, sinceMs: Date.now(), lastError: this.link.lastError };
        this.touch();
      },
    });
    // Support asks through the relay: doctor's verdict, and the scrubbed snapshot (base64 in the reply).
    const diagnostics = {
      paths,
      collectorType: settings.collectorType,
      collectorHttp,
      ...(options.unit !== undefined ? { unit: options.unit } : {}),
      ...(options.journalDir !== undefined ? { journalDir: options.journalDir } : {}),
    };
    this.link.onRequest("doctor", async () => scrubVerdict(await runDoctor(diagnostics)));
    this.link.onRequest("snapshot", (params) => snapshotReply({ ...diagnostics, agentVersion: AGENT_VERSION }, params));
    this.journal = new JournalReader({
      unit: options.unit ?? (this.isAlloy ? "alloy.service" : "otelcol-contrib.service"),
      ...(options.journalDir !== undefined ? { directory: options.journalDir } : {}),
      cursorFile: paths.journalCursorFile,
      onEntry: (entry) => this.onJournalEntry(entry),
      onProblem: (message) => log(message),
      onState: (state) => {
        this.status.journal.state = state;
        this.status.journal.pid = this.journal.pid ?? null;
        this.status.journal.restarts = this.journal.restarts;
        this.touch();
      },
    });
    this.watcher = new ConfigWatcher({
      file: this.configFile,
      onChange: (text) => this.onConfig(text),
      onProblem: (message) => log(message),
    });
    this.scraper = new Scraper({
      baseUrl: collectorHttp,
      collectorType: settings.collectorType,
      intervalMs: options.scrapeIntervalMs ?? 30_000,
      exporterId: () => this.exporterId,
      onScrape: (summary) => void this.onScrape(summary),
      onError: (message) => {
        if (this.status.scrape.error !== message) log(`scrape: ${message}`);
        this.status.scrape = { ...this.status.scrape, ok: false, error: message, lastAtMs: Date.now() };
        this.touch();
      },
    });
  }

  async start(): Promise<void> {
    const { log } = this.options;
    log(
      `linkmesh-agent ${AGENT_VERSION}: collector ${this.settings.collectorId} (${this.settings.collectorType}), relay ${this.settings.relayUrl}`,
    );
    this.link.start();
    await this.onConfig(await readFile(this.configFile, "utf8").catch(() => null));
    await this.watcher.start();
    await this.journal.start();
    this.scraper.start();
    const healthEvery = this.options.healthIntervalMs ?? 30_000;
    this.timers.push(setInterval(() => void this.reportHealth(), healthEvery));
    void this.reportHealth();
    this.timers.push(setInterval(() => void this.flushStatus(false), 500));
    this.timers.push(setInterval(() => this.touch(), STATUS_REFRESH_MS));
    await this.flushStatus(true);
  }

  onRequest(action: RequestAction, handler: RequestHandler): void {
    this.link.onRequest(action, handler);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.scraper.stop();
    await this.watcher.stop();
    await this.journal.stop();
    await this.link.stop();
    await this.outbox.close();
    this.status.running = false;
    await this.flushStatus(true);
    this.options.log("linkmesh-agent stopped");
  }

  private touch(): void {
    this.statusDirty = true;
  }

  private async flushStatus(force: boolean): Promise<void> {
    if (!force && !this.statusDirty) return;
    this.statusDirty = false;
    this.status.updatedAtMs = Date.now();
    this.status.link.lastError = this.link.lastError;
    this.status.outbox = {
      depth: this.outbox.depth,
      ackedSeq: this.outbox.ackedSeq,
      dropped: { ...this.outbox.dropped },
    };
    try {
      await writeStatus(this.options.paths, this.status);
    } catch (error) {
      this.options.log(`status: cannot write the status file (${(error as Error).message})`);
    }
  }

  private async report(report: AgentReport): Promise<void> {
    try {
      await this.outbox.append(report);
    } catch (error) {
      this.options.log(`outbox: cannot store a ${report.kind} report (${(error as Error).message})`);
      return;
    }
    this.touch();
    this.link.notify();
  }

  private raise(event: AgentEvent): Promise<void> {
    this.options.log(`event ${event.type} (${event.severity}): ${event.message}`);
    return this.report({ kind: "event", event });
  }

  private async onConfig(text: string | null): Promise<void> {
    if (text === null) {
      this.status.config = { ...this.status.config, sha256: null, error: "the config file is missing" };
      this.touch();
      if (this.isAlloy) await this.checkDrift(null);
      return;
    }
    const reading = readCollectorConfig(this.settings.collectorType, text, this.configFile);
    if (reading.sha256 === this.status.config.sha256) return;
    this.status.config.sha256 = reading.sha256;
    if (!reading.ok) {
      this.status.config.error = reading.error;
      this.touch();
      await this.raise({
        type: "config_changed",
        severity: "warning",
        message: `the collector config changed and does not parse: ${reading.error}`,
        detail: { sha256: reading.sha256, error: reading.error },
      });
      return;
    }
    const previous = this.graph;
    this.graph = reading.graph;
    this.status.config = { ...this.status.config, error: null, components: reading.graph.components.length };
    this.touch();
    if (previous !== null) {
      const diff = diffGraphs(previous, reading.graph);
      if (!isEmptyDiff(diff)) {
        await this.raise({
          type: "config_changed",
          severity: "info",
          message: `the collector config changed: ${describeDiff(diff)}`,
          detail: { sha256: reading.sha256, ...diff },
        });
      }
    }
    await this.report({
      kind: "graph",
      graph: reading.graph,
      configPath: this.configFile,
      configSha256: reading.sha256,
    });
    if (this.isAlloy) await this.checkDrift(text);
  }

  private async checkDrift(text: string | null): Promise<void> {
    const inspection = inspectBootstrap(text ?? "");
    this.exporterId = inspection.exporterId;
    this.status.config.bootstrap = {
      drifted: inspection.drifted,
      missing: inspection.missing,
      exporterId: inspection.exporterId,
    };
    this.touch();
    const wasDrifted = this.drifted;
    this.drifted = inspection.drifted;
    if (!inspection.drifted || wasDrifted) return;
    const what = inspection.marker
      ? `missing ${inspection.missing.join(", ")}`
      : "the linkmesh-bootstrap marker line is gone";
    await this.raise({
      type: "bootstrap_drift",
      severity: "warning",
      message: `the LinkMesh blocks were changed in ${this.configFile} (${what}); ${
        this.options.enforce ? "restoring them" : "re-run linkmesh-agent enroll or start the agent with --enforce"
      }`,
      detail: { marker: inspection.marker, missing: inspection.missing, enforce: this.options.enforce === true },
    });
    if (!this.options.enforce) return;
    try {
      const outcome = await applyBootstrap({
        paths: this.options.paths,
        otlpEndpoint: this.settings.otlpEndpoint,
        collectorHttp: this.options.collectorHttp ?? "http://127.0.0.1:12345",
        log: this.options.log,
      });
      await this.raise({
        type: "bootstrap_written",
        severity: "info",
        message: `restored the LinkMesh blocks in ${this.configFile} (reload: ${outcome.reload})`,
        detail: { label: outcome.label, reload: outcome.reload, backupFile: outcome.backupFile },
      });
    } catch (error) {
      await this.raise({
        type: "bootstrap_drift",
        severity: "error",
        message: `could not restore the LinkMesh blocks: ${(error as Error).message}`,
        detail: { reason: (error as { reason?: string }).reason ?? "unknown" },
      });
    }
  }

  private onJournalEntry(entry: ClassifiedJournalEntry): void {
    const classifiedAtMs = Date.now();
    this.status.journal.lastEntryAtMs = entry.time;
    if (entry.kind !== "other" && entry.kind !== "export_attempt") {
      this.status.journal.recent = [
        ...this.status.journal.recent,
        {
          kind: entry.kind,
          component: entry.component ?? null,
          timeMs: entry.time,
          classifiedAtMs,
          message: entry.message,
        },
      ].slice(-RECENT_JOURNAL_LINES);
    }
    this.touch();
    const event = eventForJournalLine(entry);
    if (event === null) return;
    const admitted = this.throttle.admit(`${entry.kind}:${entry.component ?? ""}`, classifiedAtMs);
    if (!admitted.pass) return;
    if (admitted.suppressed > 0) {
      event.message += ` (${admitted.suppressed} similar lines since the last event)`;
      event.detail.suppressed = admitted.suppressed;
    }
    void this.raise(event);
  }

  private async onScrape(summary: ScrapeSummary): Promise<void> {
    const activity = exportActivity(this.previousScrape, summary);
    this.previousScrape = summary;
    this.status.scrape = {
      lastAtMs: summary.timeMs,
      ok: true,
      error: null,
      exportActivity: activity,
      exporterSent: summary.exporterSent,
    };
    const silentAfter = this.options.silentAfter ?? 3;
    this.recentSeen = [...this.recentSeen, summary.seen].slice(-Math.max(1, silentAfter));
    this.touch();
    if (summary.samples.length > 0) await this.report({ kind: "telemetry", samples: summary.samples });
    if (this.graph === null) return;
    const mismatches = findNamingMismatches(this.settings.collectorType, this.graph, this.recentSeen, silentAfter);
    this.status.mismatches = mismatches.map((m) => ({
      reason: m.reason,
      component: m.component,
      message: describeMismatch(m),
    }));
    const open = new Set(mismatches.map(mismatchKey));
    for (const m of mismatches) {
      if (this.openMismatches.has(mismatchKey(m))) continue;
      await this.raise({
        type: "component_naming_mismatch",
        severity: "warning",
        message: describeMismatch(m),
        detail: { ...m },
      });
    }
    this.openMismatches = open;
  }

  private async reportHealth(): Promise<void> {
    try {
      await this.report({ kind: "health", health: await this.health.sample() });
    } catch (error) {
      this.options.log(`health: ${(error as Error).message}`);
    }
  }
}

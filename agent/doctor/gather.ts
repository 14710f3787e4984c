// Gathers the doctor's facts on this host, each step under its own timeout: the config, two /metrics scrapes, the
// collector's recent journal, an anonymous and a token probe of the relay's OTLP endpoint, the relay's view.

import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { CollectorType } from "../../common/model/index.js";
import { parsePrometheusText } from "../../common/prom-text/index.js";
import {
  AGENT_SELF_PATH,
  type AgentSelfView,
  AgentSelfViewSchema,
  type DoctorVerdict,
  jsonDecoder,
  OTLP_METRICS_PATH,
} from "../../common/protocol/index.js";
import { inspectBootstrap } from "../bootstrap/index.js";
import { type AgentSettings, readSettings } from "../enroll/index.js";
import { type ClassifiedJournalEntry, classifyJournalEntry } from "../journal/index.js";
import type { HostPaths } from "../paths/index.js";
import { summarizeScrape } from "../scrape/index.js";
import { type DoctorInput, type JournalLine, type Probe, runChecks, type ScrapePoint } from "./checks.js";

export interface DoctorOptions {
  paths: HostPaths;
  /** Default: from the agent settings, else Alloy. */
  collectorType?: CollectorType;
  /** The collector's HTTP server; default Alloy 127.0.0.1:12345, otelcol 127.0.0.1:8888. */
  collectorHttp?: string;
  /** systemd unit of the collector; default alloy.service / otelcol-contrib.service. */
  unit?: string;
  journalDir?: string;
  /** Time between the two /metrics scrapes (default 5 s). */
  sampleIntervalMs?: number;
  /** How far back the journal is read for export failures (default 5 min: older ones may be fixed already). */
  journalWindowMs?: number;
  /** Limit for each network or process step (default 10 s). */
  stepTimeoutMs?: number;
  journalctl?: string;
  now?: () => number;
}

const DEFAULT_STEP_TIMEOUT_MS = 10_000;
const decodeSelfView = jsonDecoder(AgentSelfViewSchema);

/** Runs `step` with an abort signal that fires after `ms`; failures become a Probe with the error message. */
export async function timed<T>(ms: number, what: string, step: (signal: AbortSignal) => Promise<T>): Promise<Probe<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return { ok: true, value: await Promise.race([step(controller.signal), timeout]) };
  } catch (error) {
    const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    const detail = e.cause?.code ?? e.code;
    return { ok: false, error: detail && !e.message.includes(detail) ? `${e.message} (${detail})` : e.message };
  } finally {
    clearTimeout(timer);
  }
}

export function defaultCollectorHttp(type: CollectorType): string {
  return type === "alloy" ? "http://127.0.0.1:12345" : "http://127.0.0.1:8888";
}

export function defaultUnit(type: CollectorType): string {
  return type === "alloy" ? "alloy.service" : "otelcol-contrib.service";
}

export function configFileOf(paths: HostPaths, type: CollectorType): string {
  return type === "alloy" ? paths.alloyConfigFile : paths.otelcolConfigFile;
}

/** `journalctl -o json` for one unit since `sinceMs`, read to the end (not followed), classified. */
export async function readJournal(options: {
  unit: string;
  directory?: string;
  sinceMs: number;
  journalctl?: string;
  signal: AbortSignal;
  maxEntries?: number;
}): Promise<ClassifiedJournalEntry[]> {
  const args = [
    "--output=json",
    "--merge",
    "--no-pager",
    `--unit=${options.unit}`,
    `--since=@${Math.floor(options.sinceMs / 1000)}`,
  ];
  if (options.directory !== undefined) args.push(`--directory=${options.directory}`);
  const child = spawn(options.journalctl ?? "journalctl", args, {
    stdio: ["ignore", "pipe", "pipe"],
    signal: options.signal,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`journalctl exited ${code}: ${stderr.trim().slice(0, 300)}`);
  const entries: ClassifiedJournalEntry[] = [];
  for (const text of stdout.split("\n")) {
    if (text.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const result = classifyJournalEntry(parsed);
    if (result.ok) entries.push(result.line);
  }
  const max = options.maxEntries ?? 50_000;
  return entries.length > max ? entries.slice(-max) : entries;
}

async function getText(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  return text;
}

/** The collector's version from its `*_build_info` series, when /metrics has one. */
export function collectorVersionOf(metricsText: string): string | null {
  const info = parsePrometheusText(metricsText).samples.find((s) => s.name.endsWith("_build_info"));
  return info?.labels.version ?? null;
}

async function scrapePoint(
  url: string,
  type: CollectorType,
  exporterId: string | null,
  timeoutMs: number,
  now: () => number,
): Promise<Probe<ScrapePoint>> {
  return timed(timeoutMs, `GET ${url}`, async (signal) => {
    const text = await getText(url, signal);
    const summary = summarizeScrape(text, { collectorType: type, exporterId, timeMs: now() });
    return { timeMs: summary.timeMs, exporterSent: summary.exporterSent };
  });
}

async function relayAnswer(
  url: string,
  init: { method: "GET" | "POST"; bearer: string; contentType?: string },
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.bearer}` };
  if (init.contentType) headers["content-type"] = init.contentType;
  const response = await fetch(url, {
    method: init.method,
    headers,
    signal,
    ...(init.method === "POST" ? { body: "" } : {}),
  });
  return { status: response.status, body: await response.text() };
}

function errorReason(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    return typeof parsed.error === "string" ? parsed.error : null;
  } catch {
    return null;
  }
}

function errorMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") return `HTTP ${status}: ${parsed.message}`;
  } catch {
    // not JSON
  }
  return `HTTP ${status}`;
}

async function readToken(file: string): Promise<string> {
  return (await readFile(file, "utf8")).trim();
}

/** Collects every fact the checks need. Never throws: a fact that cannot be had says why. */
export async function gatherDoctorInput(options: DoctorOptions): Promise<DoctorInput> {
  const now = options.now ?? Date.now;
  const stepMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const { paths } = options;
  const settings: AgentSettings | null = await readSettings(paths);
  const type: CollectorType = options.collectorType ?? settings?.collectorType ?? "alloy";
  const relayUrl = settings?.relayUrl.replace(/\/+$/, "") ?? null;
  const configPath = configFileOf(paths, type);
  const metricsUrl = `${(options.collectorHttp ?? defaultCollectorHttp(type)).replace(/\/+$/, "")}/metrics`;

  const config = await timed(stepMs, `reading ${configPath}`, async () => ({
    path: configPath,
    text: await readFile(configPath, "utf8"),
  }));
  const exporterId = type === "alloy" && config.ok ? inspectBootstrap(config.value.text).exporterId : null;

  const notEnrolled = { ok: false as const, error: `not enrolled (no ${paths.agentConfigFile})` };
  const journalSince = now() - (options.journalWindowMs ?? 5 * 60_000);
  const [metrics, journal, reach, collectorToken, relayView] = await Promise.all([
    (async () => {
      const first = await scrapePoint(metricsUrl, type, exporterId, stepMs, now);
      if (!first.ok) return { url: metricsUrl, first, second: first };
      await new Promise((resolve) => setTimeout(resolve, options.sampleIntervalMs ?? 5_000));
      return { url: metricsUrl, first, second: await scrapePoint(metricsUrl, type, exporterId, stepMs, now) };
    })(),
    timed(stepMs, "reading the journal", async (signal): Promise<JournalLine[]> => {
      const entries = await readJournal({
        unit: options.unit ?? defaultUnit(type),
        ...(options.journalDir !== undefined ? { directory: options.journalDir } : {}),
        sinceMs: journalSince,
        signal,
        ...(options.journalctl !== undefined ? { journalctl: options.journalctl } : {}),
      });
      return entries.map((e) => ({
        timeMs: e.time,
        kind: e.kind,
        text: quotedLine(e),
        ...(e.component !== undefined ? { component: e.component } : {}),
        ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
      }));
    }),
    relayUrl === null
      ? Promise.resolve<Probe<{ status: number }>>(notEnrolled)
      : timed(stepMs, `POST ${relayUrl}${OTLP_METRICS_PATH}`, async (signal) => {
          const answer = await relayAnswer(
            `${relayUrl}${OTLP_METRICS_PATH}`,
            { method: "POST", bearer: "test", contentType: "application/x-protobuf" },
            signal,
          );
          return { status: answer.status };
        }),
    relayUrl === null || type !== "alloy"
      ? Promise.resolve(null)
      : timed(stepMs, "probing the collector token", async (signal) => {
          const token = await readToken(paths.alloyTokenFile);
          // text/plain: the relay authenticates first, then refuses the media type (415) without ingesting anything.
          const answer = await relayAnswer(
            `${relayUrl}${OTLP_METRICS_PATH}`,
            { method: "POST", bearer: token, contentType: "text/plain" },
            signal,
          );
          return {
            status: answer.status,
            reason: answer.status === 401 ? (errorReason(answer.body) ?? "rejected") : null,
          };
        }),
    relayUrl === null ? Promise.resolve<Probe<AgentSelfView>>(notEnrolled) : askRelay(relayUrl, paths, stepMs),
  ]);

  return {
    nowMs: now(),
    collectorType: type,
    collectorId: settings?.collectorId ?? null,
    relayUrl,
    config,
    tokenFile: type === "alloy" ? paths.alloyTokenFile : null,
    metrics,
    journal,
    reach,
    collectorToken,
    relayView,
  };
}

/** The line rebuilt as logfmt (level, msg, then its fields): quoted in evidence. */
function quotedLine(e: ClassifiedJournalEntry): string {
  if (e.format === "plain") return e.message;
  const quote = (v: string) => (/[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v);
  const pairs: [string, string][] = [["level", e.level], ["msg", e.message], ...Object.entries(e.fields)];
  return pairs
    .filter(([k]) => k !== "ts")
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
}

async function askRelay(relayUrl: string, paths: HostPaths, stepMs: number): Promise<Probe<AgentSelfView>> {
  let token: string;
  try {
    token = await readToken(paths.agentTokenFile);
  } catch (error) {
    return { ok: false, error: `cannot read the agent token ${paths.agentTokenFile}: ${(error as Error).message}` };
  }
  const answer = await timed(stepMs, `GET ${relayUrl}${AGENT_SELF_PATH}`, (signal) =>
    relayAnswer(`${relayUrl}${AGENT_SELF_PATH}`, { method: "GET", bearer: token }, signal),
  );
  if (!answer.ok) return answer;
  const { status, body } = answer.value;
  if (status !== 200) {
    const reason = errorReason(body);
    return { ok: false, error: errorMessage(body, status), ...(reason !== null ? { reason } : {}) };
  }
  try {
    return { ok: true, value: decodeSelfView(body) };
  } catch (error) {
    return { ok: false, error: `the relay's answer is not a collector view: ${(error as Error).message}` };
  }
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorVerdict> {
  return runChecks(await gatherDoctorInput(options));
}

// A stand-in for a running Grafana Alloy (the one real part that cannot run here). It serves Alloy's /metrics,
// /-/ready and /-/reload on loopback, logs Alloy's logfmt lines to a real journal file, and pushes its
// self-telemetry the way `otelcol.receiver.prometheus` -> `otelcol.exporter.otlphttp` does: OTLP/HTTP protobuf,
// gzip, cumulative monotonic sums with `_total` names and no start times, sent by the real OpenTelemetry JS exporter.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { JournalWriter } from "../rig/journal.js";
import { exposition, processSeries, type SimComponent, type SimSeries, seriesForComponent } from "./alloy-series.js";
import { pushOtlp } from "./push.js";

export type { SimComponent } from "./alloy-series.js";

export interface AlloySimOptions {
  hostname: string;
  components: SimComponent[];
  version?: string;
  /** Process start, ms since epoch (defaults to now). Counters are rate x time since this instant. */
  startTimeMs?: number;
  journal?: JournalWriter;
  /** How `/-/reload` answers: 200 "config reloaded" or 400 with this error text. */
  reloadError?: string | null;
}

export interface PushTarget {
  /** e.g. http://127.0.0.1:PORT/v1/metrics */
  url: string;
  bearer: string | null;
}

const SCOPE = { name: "otelcol/prometheusreceiver", version: "v1.18.1" };

function hrTime(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

export class AlloySimulator {
  private server: Server | null = null;
  private series: SimSeries[] = [];
  private startTimeMs: number;
  readonly reloads: number[] = [];
  reloadError: string | null;

  constructor(private readonly options: AlloySimOptions) {
    this.startTimeMs = options.startTimeMs ?? Date.now();
    this.reloadError = options.reloadError ?? null;
    this.rebuild();
  }

  get version(): string {
    return this.options.version ?? "v1.18.1";
  }

  private rebuild(): void {
    this.series = [
      ...processSeries(this.version, this.startTimeMs / 1000),
      ...this.options.components.flatMap(seriesForComponent),
    ];
  }

  /** Changes the pipeline (e.g. a renamed component) from now on. */
  setComponents(components: SimComponent[]): void {
    this.options.components = components;
    this.rebuild();
  }

  /** Simulates a process restart: every counter starts again from 0 and the process start time changes. */
  restart(atMs: number): void {
    this.startTimeMs = atMs;
    this.rebuild();
  }

  /** Cumulative value a series has at `atMs` (the ground truth tests compare with). */
  valueAt(name: string, componentId: string, atMs: number): number {
    const s = this.series.find((x) => x.name === name && x.labels.component_id === componentId);
    return s ? s.valueAt(this.elapsed(atMs)) : Number.NaN;
  }

  private elapsed(atMs: number): number {
    return Math.max(0, (atMs - this.startTimeMs) / 1000);
  }

  metricsText(atMs = Date.now()): string {
    return exposition(this.series, this.elapsed(atMs));
  }

  /** Starts the local HTTP API on 127.0.0.1 (port 0 = ephemeral). Returns the base URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8; escaping=underscores" });
        res.end(this.metricsText());
      } else if (req.url === "/-/ready") {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.end("Alloy is ready.\n");
      } else if (req.url === "/-/reload") {
        this.reloads.push(Date.now());
        if (this.reloadError) {
          res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
          res.end(`${this.reloadError}\n`);
        } else {
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
          res.end("config reloaded\n");
        }
      } else {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("404 page not found\n");
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What otelcol.receiver.prometheus hands the exporter for one scrape at `atMs`. */
  resourceMetrics(atMs: number): ResourceMetrics {
    const elapsed = this.elapsed(atMs);
    const metrics: MetricData[] = [];
    const byName = new Map<string, SimSeries[]>();
    for (const s of this.series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    for (const [name, members] of byName) {
      const first = members[0];
      if (!first) continue;
      const dataPoints = members.map((s) => {
        const attributes: Record<string, string> = {};
        for (const [k, v] of Object.entries(s.labels)) if (!k.startsWith("otel_scope_")) attributes[k] = v;
        // startTime [0, 0]: Alloy >= 1.14 sends no start times.
        return { startTime: [0, 0] as [number, number], endTime: hrTime(atMs), attributes, value: s.valueAt(elapsed) };
      });
      const descriptor = { name, description: first.help, unit: "", valueType: 1 };
      if (first.type === "counter") {
        metrics.push({
          descriptor,
          dataPointType: DataPointType.SUM,
          isMonotonic: true,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPoints,
        } as MetricData);
      } else {
        metrics.push({
          descriptor,
          dataPointType: DataPointType.GAUGE,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPoints,
        } as MetricData);
      }
    }
    return {
      resource: resourceFromAttributes({
        "service.name": "integrations/self",
        "service.instance.id": this.options.hostname,
        "server.address": this.options.hostname,
        "server.port": "",
        "url.scheme": "http",
      }),
      scopeMetrics: [{ scope: SCOPE, metrics }],
    };
  }

  /** Pushes one sample set stamped `atMs` through the real OpenTelemetry OTLP/proto exporter (gzip). */
  push(target: PushTarget, atMs = Date.now()): Promise<{ ok: boolean; error?: string }> {
    const authorization = target.bearer === null ? null : `Bearer ${target.bearer}`;
    return pushOtlp(target.url, authorization, this.resourceMetrics(atMs));
  }

  /** Writes one Alloy logfmt line (as Alloy's slog handler prints it) to the journal. */
  async log(
    level: "debug" | "info" | "warn" | "error",
    msg: string,
    fields: Record<string, string> = {},
    atMs = Date.now(),
  ) {
    if (!this.options.journal) throw new Error("this simulator has no journal");
    const ts = new Date(atMs).toISOString().replace("Z", "000000Z");
    const quote = (v: string) => (/[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v);
    const rest = Object.entries(fields)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join(" ");
    const line = `ts=${ts} level=${level} msg=${JSON.stringify(msg)}${rest ? ` ${rest}` : ""}`;
    await this.options.journal.write([{ message: line, unit: "alloy.service", identifier: "alloy", timeMs: atMs }]);
    return line;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

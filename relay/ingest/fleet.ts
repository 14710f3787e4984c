// The live fleet state behind ingest and topology: rate engines per collector, the latest ComponentThroughput
// rows (raw value + rate), host metrics, mismatch and reset events. Written behind to the store once a second.

import type { ComponentGraph } from "../../common/model/index.js";
import type { HostHealth } from "../../common/protocol/index.js";
import type { AgentReportSink, TelemetrySamples } from "../agent-link/index.js";
import type { MetricPoint } from "../otlp/index.js";
import { RateEngine, type RateUpdate } from "../rates/index.js";
import type { CollectorRecord, IngestBatch, NewEvent, Store, ThroughputRecord, ThroughputVia } from "../store/index.js";
import {
  buildCollectorTopology,
  graphIdsOf,
  type RateWindow,
  type ThroughputView,
  type Topology,
  WINDOWS,
} from "../topology/index.js";
import { SeriesHistory } from "./history.js";
import {
  type ClassifiedPush,
  classifyPoints,
  type FlowSample,
  hostMetricsFromAgentHealth,
  type RawPoint,
  SeriesCache,
} from "./points.js";

/** Orphan throughput rows (their edge is gone from the graph) are dropped this long after their last update. */
export const ORPHAN_TTL_MS = 24 * 3_600_000;
const ROOT_PATH = "/";

interface Row extends ThroughputRecord {
  history: SeriesHistory;
}

interface CollectorLive {
  engines: Record<ThroughputVia, RateEngine>;
  rows: Map<string, Row>;
  /** `rowKey(via, seriesKey)` per via, built once: a fresh concatenation would be re-hashed on every lookup. */
  rowKeys: Record<ThroughputVia, Map<string, string>>;
  cache: SeriesCache;
  lastPushAt: number | null;
  hostMetrics: Record<string, number>;
  hostMetricsAt: number | null;
  /** The graph ids we last saw and their signature; `undefined` = not seen since start. */
  graphSig: string | undefined;
  graphIds: Set<string> | null;
  /** Mismatches already reported for the current graph: `unknown|id`, `orphan|id`. */
  reported: Set<string>;
  dirtyRows: Set<string>;
  dirtyEngines: Set<ThroughputVia>;
  removed: { via: ThroughputVia; seriesKey: string }[];
  dirtyCollector: boolean;
}

export interface AgentPresence {
  isConnected(collectorId: string): boolean;
}

export interface FleetOptions {
  store: Store;
  now: () => number;
  /** Flush interval for the write-behind of rows and rate state (default 1 s). */
  flushIntervalMs?: number;
  minRateIntervalMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Several replicas share one database: each push reads and writes the collector's rate state there under a
   * row lock (`Store.updateRateState`), so consecutive pushes may land on different replicas.
   */
  sharedRates?: boolean;
  /** Told which collectors' rows and records the write-behind just stored (other replicas reload them). */
  onFlushed?: (collectorIds: string[]) => void;
}

const rowKey = (via: ThroughputVia, seriesKey: string) => `${via}\u0000${seriesKey}`;
const MAX_ROW_KEYS = 50_000;

function rowKeyOf(live: CollectorLive, via: ThroughputVia, seriesKey: string): string {
  const memo = live.rowKeys[via];
  let key = memo.get(seriesKey);
  if (key === undefined) {
    if (memo.size >= MAX_ROW_KEYS) memo.clear();
    key = rowKey(via, seriesKey);
    memo.set(seriesKey, key);
  }
  return key;
}

export class Fleet implements AgentReportSink {
  private readonly live = new Map<string, CollectorLive>();
  private readonly listeners = new Set<(collectorId: string) => void>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(private readonly options: FleetOptions) {}

  /** Loads persisted rows and rate state, so a restart neither spikes nor forgets. */
  static async open(options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(options);
    for (const state of await options.store.listRateStates()) {
      const live = fleet.liveOf(state.collectorId);
      try {
        live.engines[state.via] = RateEngine.fromJSON(JSON.parse(state.state), fleet.rateOptions());
      } catch {
        // A damaged state only costs one interval without a rate.
      }
    }
    for (const row of await options.store.listThroughput()) {
      fleet.liveOf(row.collectorId).rows.set(rowKey(row.via, row.seriesKey), { ...row, history: new SeriesHistory() });
    }
    return fleet;
  }

  onChange(listener: (collectorId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- OTLP ---------------------------------------------------------------------------------------------------

  async ingest(collector: CollectorRecord, points: MetricPoint[], receivedAt: number): Promise<void> {
    const raw: RawPoint[] = new Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as MetricPoint;
      raw[i] = {
        name: p.name,
        attributes: p.attributes,
        value: p.value,
        timeMs: p.timeMs,
        startTimeMs: p.startTimeMs,
        temporality: p.temporality === "delta" ? "delta" : "cumulative",
        isCounter: p.kind === "sum" && p.monotonic,
        seriesIdentity: p.seriesIdentity,
      };
    }
    const live = this.liveOf(collector.id);
    const classified = classifyPoints(raw, collector.type, live.cache);
    live.lastPushAt = receivedAt;
    if (Object.keys(classified.host).length > 0) {
      live.hostMetrics = { ...live.hostMetrics, ...classified.host };
      live.hostMetricsAt = receivedAt;
    }
    live.dirtyCollector = true;
    const events = await this.step(collector, live, "otlp", classified, receivedAt);
    events.push(...this.checkGraph(collector, live, receivedAt));
    events.push(...this.unknownComponents(collector, live, classified, receivedAt));
    for (const event of events) await this.options.store.addEvent(event);
    this.changed(collector.id);
  }

  // --- agent reports ------------------------------------------------------------------------------------------

  async graph(collector: CollectorRecord, graph: ComponentGraph, at: number): Promise<void> {
    await this.options.store.updateCollector(collector.id, { graph });
    const live = this.liveOf(collector.id);
    for (const event of this.checkGraph({ ...collector, graph }, live, at)) await this.options.store.addEvent(event);
    this.changed(collector.id);
  }

  async health(collector: CollectorRecord, health: HostHealth, at: number): Promise<void> {
    const live = this.liveOf(collector.id);
    live.hostMetrics = { ...live.hostMetrics, ...hostMetricsFromAgentHealth(health) };
    live.hostMetricsAt = at;
    // Rare (every 30 s per host): written through, not behind.
    await this.options.store.updateCollector(collector.id, { hostMetrics: live.hostMetrics, hostMetricsAt: at });
    this.changed(collector.id);
  }

  async telemetry(collector: CollectorRecord, samples: TelemetrySamples, at: number): Promise<void> {
    const live = this.liveOf(collector.id);
    const raw: RawPoint[] = samples.map((s) => ({
      name: s.name,
      attributes: s.labels,
      value: s.value,
      timeMs: s.timeMs,
      startTimeMs: 0,
      temporality: "cumulative",
      isCounter: true,
    }));
    const classified = classifyPoints(raw, collector.type, live.cache);
    const events = await this.step(collector, live, "agent", classified, at);
    for (const event of events) await this.options.store.addEvent(event);
    this.changed(collector.id);
  }

  // --- topology -----------------------------------------------------------------------------------------------

  async topology(window: RateWindow, agents: AgentPresence): Promise<Topology> {
    const now = this.options.now();
    await this.sweep(now);
    const [collectors, links] = await Promise.all([
      this.options.store.listCollectors(),
      this.options.store.listAgentLinks(),
    ]);
    const linkOf = new Map(links.map((l) => [l.collectorId, l]));
    const windowMs = WINDOWS[window];
    return {
      collectors: collectors.map((record) => {
        const live = this.live.get(record.id);
        const rows: ThroughputView[] = [];
        if (live) {
          for (const row of live.rows.values()) {
            rows.push(windowMs === 0 ? row : { ...row, windowRatePerSecond: windowRate(row, windowMs) });
          }
        }
        const merged = this.withLiveState(record);
        const link = linkOf.get(record.id);
        return buildCollectorTopology(
          {
            record: merged,
            rows,
            agentConnected: agents.isConnected(record.id),
            agentKnown: link?.connectedAt != null,
            agentDisconnectedAt: link?.disconnectedAt ?? null,
          },
          now,
          window,
        );
      }),
      window,
      generatedAt: new Date(now).toISOString(),
    };
  }

  /** The record with what ingest knows but has not written yet (last push, host metrics). */
  withLiveState(record: CollectorRecord): CollectorRecord {
    const live = this.live.get(record.id);
    if (!live) return record;
    return {
      ...record,
      lastPushAt: Math.max(record.lastPushAt ?? 0, live.lastPushAt ?? 0) || null,
      hostMetrics: { ...record.hostMetrics, ...live.hostMetrics },
      hostMetricsAt: live.hostMetricsAt ?? record.hostMetricsAt,
    };
  }

  /** Throughput rows as stored (raw value and rate side by side). */
  rowsOf(collectorId: string): ThroughputRecord[] {
    return [...(this.live.get(collectorId)?.rows.values() ?? [])].map(({ history: _h, ...row }) => row);
  }

  /** Drops orphan rows past their TTL (and the state of collectors no longer in the fleet). */
  async sweep(now = this.options.now()): Promise<void> {
    const collectors = new Map((await this.options.store.listCollectors()).map((c) => [c.id, c]));
    for (const [id, live] of this.live) {
      const record = collectors.get(id);
      if (!record) {
        this.live.delete(id);
        continue;
      }
      const ids = graphIdSet(record.graph);
      if (ids === null) continue;
      for (const [key, row] of live.rows) {
        if (row.componentPath !== ROOT_PATH || ids.has(row.componentId)) continue;
        if (now - row.updatedAt < ORPHAN_TTL_MS) continue;
        live.rows.delete(key);
        live.dirtyRows.delete(key);
        live.removed.push({ via: row.via, seriesKey: row.seriesKey });
        this.scheduleFlush();
      }
    }
  }

  /**
   * Reloads collectors' rows written by another replica (their newer samples extend the window history here).
   * Does not notify `onChange` listeners: the change did not happen on this replica.
   */
  async refresh(collectorIds: Iterable<string>): Promise<void> {
    for (const id of collectorIds) {
      const stored = await this.options.store.listThroughput(id);
      const live = this.liveOf(id);
      for (const record of stored) {
        const key = rowKey(record.via, record.seriesKey);
        const row = live.rows.get(key);
        if (!row) {
          const history = new SeriesHistory();
          history.reset(record.timeMs, record.rawValue);
          live.rows.set(key, { ...record, history });
          continue;
        }
        if (row.updatedAt >= record.updatedAt || live.dirtyRows.has(key)) continue;
        if (record.rawValue < row.rawValue || record.ratePerSecond === null)
          row.history.reset(record.timeMs, record.rawValue);
        else if (record.timeMs > row.timeMs) row.history.add(record.timeMs, record.rawValue);
        Object.assign(row, record);
      }
      if (!live.dirtyCollector) {
        // The stored record is the fresher one now.
        live.lastPushAt = null;
        live.hostMetrics = {};
        live.hostMetricsAt = null;
      }
    }
  }

  forget(collectorId: string): void {
    this.live.delete(collectorId);
    this.changed(collectorId);
  }

  async flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flush();
  }

  // --- internals ----------------------------------------------------------------------------------------------

  /** `apply`, with the rate state read and written through the store when replicas share it. */
  private async step(
    collector: CollectorRecord,
    live: CollectorLive,
    via: ThroughputVia,
    classified: ClassifiedPush,
    at: number,
  ): Promise<NewEvent[]> {
    if (!this.options.sharedRates) return this.apply(collector, live, via, classified, at);
    if (classified.flows.length === 0) return [];
    const events = await this.options.store.updateRateState(collector.id, via, (json) => {
      let engine = new RateEngine(this.rateOptions());
      try {
        if (json !== null) engine = RateEngine.fromJSON(JSON.parse(json), this.rateOptions());
      } catch {
        // A damaged state only costs one interval without a rate.
      }
      live.engines[via] = engine;
      const result = this.apply(collector, live, via, classified, at);
      live.dirtyEngines.delete(via); // already stored, under the lock
      return { state: JSON.stringify(engine.toJSON()), result };
    });
    return events ?? [];
  }

  private rateOptions() {
    return this.options.minRateIntervalMs === undefined ? {} : { minIntervalMs: this.options.minRateIntervalMs };
  }

  private liveOf(collectorId: string): CollectorLive {
    let live = this.live.get(collectorId);
    if (!live) {
      live = {
        engines: { otlp: new RateEngine(this.rateOptions()), agent: new RateEngine(this.rateOptions()) },
        rows: new Map(),
        rowKeys: { otlp: new Map(), agent: new Map() },
        cache: new SeriesCache(),
        lastPushAt: null,
        hostMetrics: {},
        hostMetricsAt: null,
        graphSig: undefined,
        graphIds: null,
        reported: new Set(),
        dirtyRows: new Set(),
        dirtyEngines: new Set(),
        removed: [],
        dirtyCollector: false,
      };
      this.live.set(collectorId, live);
    }
    return live;
  }

  /** Runs the rate engine over one push and updates the rows; returns the (one, aggregated) reset event. */
  private apply(
    collector: CollectorRecord,
    live: CollectorLive,
    via: ThroughputVia,
    classified: ClassifiedPush,
    at: number,
  ): NewEvent[] {
    const { flows } = classified;
    if (flows.length === 0) return [];
    const update: RateUpdate = live.engines[via].update(
      flows.map((f) => f.input),
      at,
    );
    // Rates come one per accepted input, in input order: walk the flows alongside instead of indexing them.
    // (Equal series keys classify alike, so the first flow with the key serves as well as the last.)
    let flowAt = 0;
    for (const sample of update.rates) {
      while (flowAt < flows.length && (flows[flowAt] as FlowSample).input.seriesKey !== sample.seriesKey) flowAt++;
      const cls = flows[flowAt]?.cls;
      if (!cls) continue;
      const key = rowKeyOf(live, via, sample.seriesKey);
      let row = live.rows.get(key);
      if (!row) {
        row = {
          collectorId: collector.id,
          via,
          seriesKey: sample.seriesKey,
          componentId: cls.componentId,
          componentPath: cls.componentPath,
          signal: cls.signal,
          direction: cls.direction,
          rawValue: sample.rawValue,
          ratePerSecond: sample.ratePerSecond,
          timeMs: sample.timeMs,
          updatedAt: at,
          history: new SeriesHistory(),
        };
        live.rows.set(key, row);
      }
      row.rawValue = sample.rawValue;
      row.ratePerSecond = sample.ratePerSecond;
      row.timeMs = sample.timeMs;
      row.updatedAt = at;
      if (sample.temporality === "cumulative") {
        if (sample.status === "first" || sample.status === "reset") row.history.reset(sample.timeMs, sample.rawValue);
        else row.history.add(sample.timeMs, sample.rawValue);
      }
      live.dirtyRows.add(key);
    }
    live.dirtyEngines.add(via);
    this.scheduleFlush();
    if (update.resets.length === 0) return [];
    const reasons: Record<string, number> = {};
    for (const r of update.resets) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    const first = update.resets[0];
    return [
      {
        collectorId: collector.id,
        type: "counter_reset",
        severity: "info",
        message:
          `${update.resets.length} counter${update.resets.length === 1 ? "" : "s"} of ${collector.hostname} restarted ` +
          `(${Object.keys(reasons).join(", ")}); no rate until the next sample`,
        detail: { via, reasons, series: update.resets.slice(0, 10).map((r) => r.seriesKey), firstAt: first?.timeMs },
        time: at,
      },
    ];
  }

  /** Series naming a component the graph lacks (Alloy: only the root module path counts). Reported once. */
  private unknownComponents(
    collector: CollectorRecord,
    live: CollectorLive,
    classified: ClassifiedPush,
    at: number,
  ): NewEvent[] {
    const ids = live.graphIds;
    if (ids === null) return [];
    const events: NewEvent[] = [];
    for (const { cls } of classified.flows) {
      if (cls.componentPath !== ROOT_PATH || ids.has(cls.componentId)) continue;
      const key = `unknown|${cls.componentId}`;
      if (live.reported.has(key) || live.reported.has(`orphan|${cls.componentId}`)) continue;
      live.reported.add(key);
      events.push({
        collectorId: collector.id,
        type: "component_naming_mismatch",
        severity: "warning",
        message:
          `${collector.hostname} reports throughput for ${cls.componentId}, which its configuration does not have ` +
          "(renamed component, or self-telemetry from another config?)",
        detail: { reason: "unknown component", component: cls.componentId, componentPath: cls.componentPath },
        time: at,
      });
    }
    return events;
  }

  /**
   * Notices a changed graph (from the agent or OpAMP): rows of components that left it become orphan
   * throughput (reported once; dropped after the TTL) and earlier mismatch reports are reconsidered.
   */
  private checkGraph(collector: CollectorRecord, live: CollectorLive, at: number): NewEvent[] {
    const ids = graphIdSet(collector.graph);
    const sig = ids === null ? "" : [...ids].sort().join("\n");
    if (sig === live.graphSig) return [];
    const previous = live.graphIds;
    const firstSight = live.graphSig === undefined;
    live.graphSig = sig;
    live.graphIds = ids;
    live.reported.clear();
    if (firstSight || previous === null || ids === null) return [];
    const orphans = new Set<string>();
    for (const row of live.rows.values()) {
      if (row.componentPath === ROOT_PATH && previous.has(row.componentId) && !ids.has(row.componentId)) {
        orphans.add(row.componentId);
      }
    }
    return [...orphans].sort().map((component) => {
      live.reported.add(`orphan|${component}`);
      return {
        collectorId: collector.id,
        type: "component_naming_mismatch" as const,
        severity: "warning" as const,
        message:
          `Throughput recorded for ${component} no longer matches an edge of ${collector.hostname}'s configuration; ` +
          "the rows are kept for 24 h, then dropped",
        detail: { reason: "orphan throughput", component },
        time: at,
      };
    });
  }

  private changed(collectorId: string): void {
    for (const listener of this.listeners) listener(collectorId);
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.flushIntervalMs ?? 1_000);
    this.flushTimer.unref();
  }

  /**
   * Writes what changed since the last flush. Large fleets are written in chunks of whole collectors (rows and
   * rate state of one collector stay in one transaction), yielding to the event loop between chunks so that a
   * flush never holds pushes back for long.
   */
  private async writeBatch(): Promise<void> {
    let batch = emptyBatch();
    const flushed = new Set<string>();
    for (const [collectorId, live] of this.live) {
      if (!this.takeDirty(collectorId, live, batch)) continue;
      flushed.add(collectorId);
      if (batch.throughput.length + batch.rateStates.length >= FLUSH_CHUNK_ROWS) {
        await this.options.store.writeIngestBatch(batch);
        batch = emptyBatch();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (
      batch.throughput.length + batch.removeThroughput.length + batch.rateStates.length + batch.collectors.length >
      0
    ) {
      await this.options.store.writeIngestBatch(batch);
    }
    if (flushed.size > 0) this.options.onFlushed?.([...flushed]);
  }

  /** Moves one collector's unwritten changes into `batch`; false when it had none. */
  private takeDirty(collectorId: string, live: CollectorLive, batch: Required<IngestBatch>): boolean {
    const dirty =
      live.dirtyRows.size > 0 || live.removed.length > 0 || live.dirtyEngines.size > 0 || live.dirtyCollector;
    if (!dirty) return false;
    for (const key of live.dirtyRows) {
      const row = live.rows.get(key);
      if (row) {
        const { history: _h, ...record } = row;
        batch.throughput.push(record);
      }
    }
    live.dirtyRows.clear();
    for (const r of live.removed) batch.removeThroughput.push({ collectorId, ...r });
    live.removed = [];
    for (const via of live.dirtyEngines) {
      batch.rateStates.push({ collectorId, via, state: JSON.stringify(live.engines[via].toJSON()) });
    }
    live.dirtyEngines.clear();
    if (live.dirtyCollector) {
      const patch: IngestBatch["collectors"] extends (infer T)[] | undefined ? T : never = {
        id: collectorId,
        patch: {},
      };
      if (live.lastPushAt !== null) patch.patch.lastPushAt = live.lastPushAt;
      if (live.hostMetricsAt !== null) {
        patch.patch.hostMetrics = live.hostMetrics;
        patch.patch.hostMetricsAt = live.hostMetricsAt;
      }
      batch.collectors.push(patch);
      live.dirtyCollector = false;
    }
    return true;
  }
}

/** Rows (and rate states) per write-behind transaction before the flush yields to pending requests. */
const FLUSH_CHUNK_ROWS = 500;

function emptyBatch(): Required<IngestBatch> {
  return { throughput: [], removeThroughput: [], rateStates: [], collectors: [], events: [] };
}

function graphIdSet(graph: ComponentGraph | null): Set<string> | null {
  if (graph === null || graph.components.length === 0) return null;
  return new Set(graph.components.flatMap(graphIdsOf));
}

function windowRate(row: Row, windowMs: number): number | null {
  if (row.ratePerSecond === null) return null;
  return row.history.rate(windowMs) ?? row.ratePerSecond;
}

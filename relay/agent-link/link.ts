// One agent connection: its life cycle (awaiting_hello -> live -> closed) and the messages it may exchange.
// Outbox items are applied strictly in order, one message at a time; the acked seq only moves forward.

import type { ComponentGraph } from "../../common/model/index.js";
import {
  type AgentReport,
  type AgentToRelay,
  decodeAgentMessage,
  type HostHealth,
  type OutboxItem,
  PROTOCOL_VERSION,
  ProtocolError,
  type RelayToAgent,
} from "../../common/protocol/index.js";
import type { CollectorRecord, Store } from "../store/index.js";

export type TelemetrySamples = Extract<AgentReport, { kind: "telemetry" }>["samples"];

/** Where the non-event reports of an agent go (the ingest pipeline). */
export interface AgentReportSink {
  graph(collector: CollectorRecord, graph: ComponentGraph, at: number): Promise<void>;
  health(collector: CollectorRecord, health: HostHealth, at: number): Promise<void>;
  telemetry(collector: CollectorRecord, samples: TelemetrySamples, at: number): Promise<void>;
}

export type LinkState = "awaiting_hello" | "live" | "closed";

/** The socket surface a link needs (a `ws` WebSocket satisfies it). */
export interface LinkSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LinkLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface LinkDeps {
  store: Store;
  sink: AgentReportSink;
  now: () => number;
  log: LinkLog;
  onReply(requestId: string, ok: boolean, body: unknown, error: string | undefined): void;
  onHello(link: AgentLink): Promise<void>;
}

export class AgentLink {
  state: LinkState = "awaiting_hello";
  lastSeenMono = performance.now();
  ackedSeq = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly collectorId: string,
    readonly socket: LinkSocket,
    private readonly deps: LinkDeps,
  ) {}

  send(message: RelayToAgent): void {
    if (this.state === "closed") return;
    this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.socket.close(code, reason);
  }

  /** Queues one raw frame; frames are handled one after the other so outbox order is kept. */
  receive(text: string): Promise<void> {
    this.lastSeenMono = performance.now();
    this.queue = this.queue.then(() => this.handle(text));
    return this.queue;
  }

  private async handle(text: string): Promise<void> {
    if (this.state === "closed") return;
    let message: AgentToRelay;
    try {
      message = decodeAgentMessage(text);
    } catch (error) {
      const reason = error instanceof ProtocolError ? `${error.reason}: ${error.message}` : String(error);
      this.deps.log.warn(`agent.link: closing collector=${this.collectorId} invalid message (${reason})`);
      this.close(1008, "invalid message");
      return;
    }
    if (this.state === "awaiting_hello" && message.type !== "hello") {
      this.deps.log.warn(
        `agent.link: closing collector=${this.collectorId} first message was ${message.type}, not hello`,
      );
      this.close(1008, "hello expected first");
      return;
    }
    switch (message.type) {
      case "hello": {
        if (message.protocol !== PROTOCOL_VERSION) {
          this.send({ type: "goaway", reason: `unsupported protocol ${message.protocol}`, retryAfterMs: 3_600_000 });
          this.close(1002, "unsupported protocol");
          return;
        }
        const link = await this.deps.store.getAgentLink(this.collectorId);
        this.ackedSeq = link?.ackedSeq ?? 0;
        this.state = "live";
        await this.deps.onHello(this);
        const collector = await this.deps.store.getCollector(this.collectorId);
        if (collector && message.collectorVersion && collector.version !== message.collectorVersion) {
          await this.deps.store.updateCollector(this.collectorId, { version: message.collectorVersion });
        }
        this.send({
          type: "welcome",
          protocol: PROTOCOL_VERSION,
          collectorId: this.collectorId,
          ackedSeq: this.ackedSeq,
        });
        return;
      }
      case "heartbeat":
        return;
      case "outbox":
        await this.applyOutbox(message.items);
        return;
      case "reply":
        this.deps.onReply(message.requestId, message.ok, message.body, message.error);
        return;
    }
  }

  private async applyOutbox(items: OutboxItem[]): Promise<void> {
    const collector = await this.deps.store.getCollector(this.collectorId);
    if (!collector) {
      this.send({ type: "goaway", reason: "collector deregistered; re-enrol", retryAfterMs: 3_600_000 });
      this.close(1008, "collector deregistered");
      return;
    }
    const before = this.ackedSeq;
    const sorted = [...items].sort((a, b) => a.seq - b.seq);
    try {
      for (const item of sorted) {
        if (item.seq <= this.ackedSeq) continue; // already stored: a redelivery
        await this.apply(collector, item);
        this.ackedSeq = item.seq;
      }
    } catch (error) {
      this.deps.log.warn(
        `agent.link: collector=${this.collectorId} could not store outbox item after seq=${this.ackedSeq}: ${(error as Error).message}`,
      );
    }
    if (this.ackedSeq !== before) {
      const link = await this.deps.store.getAgentLink(this.collectorId);
      await this.deps.store.saveAgentLink({
        collectorId: this.collectorId,
        ackedSeq: this.ackedSeq,
        connectedAt: link?.connectedAt ?? null,
        disconnectedAt: link?.disconnectedAt ?? null,
      });
    }
    this.send({ type: "ack", seq: this.ackedSeq });
  }

  private async apply(collector: CollectorRecord, item: OutboxItem): Promise<void> {
    const report = item.report;
    const at = this.deps.now();
    switch (report.kind) {
      case "event":
        // The item id is the event id: a redelivered event is ignored by the store.
        await this.deps.store.addEvent({
          id: item.id,
          collectorId: collector.id,
          type: report.event.type,
          severity: report.event.severity,
          message: report.event.message,
          detail: { ...report.event.detail, via: "agent" },
          time: Number.isFinite(item.timeMs) ? item.timeMs : at,
        });
        return;
      case "graph":
        await this.deps.sink.graph(collector, report.graph, at);
        return;
      case "health":
        await this.deps.sink.health(collector, report.health, at);
        return;
      case "telemetry":
        await this.deps.sink.telemetry(collector, report.samples, at);
        return;
    }
  }
}

// The registry of live agent links: one per collector, request/reply correlation, heartbeat expiry, goaway.

import { randomUUID } from "node:crypto";
import type { Store } from "../store/index.js";
import { AgentRequestError, agentOffline } from "./errors.js";
import { AgentLink, type AgentReportSink, type LinkLog, type LinkSocket } from "./link.js";

export type AgentAction = "doctor" | "snapshot";

export interface AgentHubOptions {
  store: Store;
  sink: AgentReportSink;
  now: () => number;
  log: LinkLog;
  /** A link with no frame for this long is closed (the agent heartbeats every ~30 s). Default 90 s. */
  heartbeatTimeoutMs?: number;
  /** Told whenever a collector's agent comes or goes (the live stream listens). */
  onChange?: (collectorId: string) => void;
}

interface Pending {
  collectorId: string;
  resolve(body: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AgentHub {
  private readonly links = new Map<string, AgentLink>();
  private readonly pending = new Map<string, Pending>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly heartbeatTimeoutMs: number;

  constructor(private readonly options: AgentHubOptions) {
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 90_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(10_000, Math.max(50, this.heartbeatTimeoutMs / 3)));
    this.sweeper.unref();
  }

  isConnected(collectorId: string): boolean {
    return this.links.get(collectorId)?.state === "live";
  }

  connectedIds(): string[] {
    return [...this.links.values()].filter((l) => l.state === "live").map((l) => l.collectorId);
  }

  /** Adopts a freshly upgraded, authenticated socket. A second link for the same collector replaces the first. */
  attach(collectorId: string, socket: LinkSocket): AgentLink {
    const link: AgentLink = new AgentLink(collectorId, socket, {
      store: this.options.store,
      sink: this.options.sink,
      now: this.options.now,
      log: this.options.log,
      onReply: (requestId, ok, body, error) => this.settle(requestId, collectorId, ok, body, error),
      onHello: async (l) => {
        const previous = this.links.get(collectorId);
        if (previous && previous !== l) {
          previous.send({ type: "goaway", reason: "replaced by a newer connection", retryAfterMs: 60_000 });
          previous.close(4000, "replaced");
        }
        this.links.set(collectorId, l);
        await this.markConnected(collectorId, true);
      },
    });
    return link;
  }

  /** Called when the socket closes, whatever the cause. */
  async detach(link: AgentLink, why: string): Promise<void> {
    const wasLive = link.state !== "awaiting_hello";
    link.state = "closed";
    if (this.links.get(link.collectorId) !== link) return;
    this.links.delete(link.collectorId);
    for (const [id, p] of this.pending) {
      if (p.collectorId !== link.collectorId) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(agentOffline(link.collectorId, "the link closed before it replied"));
    }
    if (wasLive) await this.markConnected(link.collectorId, false, why);
  }

  /**
   * Closes this relay's link of the collector without recording a disconnect: its agent is live on another
   * replica now (relay/cluster), and the socket here is a stale one.
   */
  drop(collectorId: string, why: string): void {
    const link = this.links.get(collectorId);
    if (!link) return;
    this.links.delete(collectorId); // detach() then finds it unregistered and records nothing
    for (const [id, p] of this.pending) {
      if (p.collectorId !== collectorId) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(agentOffline(collectorId, why));
    }
    link.close(4000, why);
  }

  /** Sends a request down the collector's link and waits for its reply; typed errors when it cannot. */
  request(
    collectorId: string,
    action: AgentAction,
    params: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<unknown> {
    const link = this.links.get(collectorId);
    if (link?.state !== "live") return Promise.reject(agentOffline(collectorId));
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new AgentRequestError(
            "agent_request_timeout",
            `The agent of collector ${collectorId} did not answer the ${action} request within ${timeoutMs} ms; ` +
              "it may be busy or its link may be stalled. Retry, or check `linkmesh-agent status` on the host.",
          ),
        );
      }, timeoutMs);
      this.pending.set(requestId, { collectorId, resolve, reject, timer });
      link.send({ type: "request", requestId, action, params });
    });
  }

  /** Tells every agent to come back later and closes the links (relay shutdown). */
  async shutdown(retryAfterMs = 2_000): Promise<void> {
    clearInterval(this.sweeper);
    for (const link of [...this.links.values()]) {
      link.send({ type: "goaway", reason: "relay shutting down", retryAfterMs });
      link.close(1012, "relay restarting");
      await this.detach(link, "relay shutting down");
    }
  }

  private settle(requestId: string, collectorId: string, ok: boolean, body: unknown, error: string | undefined): void {
    const p = this.pending.get(requestId);
    if (!p || p.collectorId !== collectorId) return; // late or foreign reply
    clearTimeout(p.timer);
    this.pending.delete(requestId);
    if (ok) p.resolve(body);
    else
      p.reject(
        new AgentRequestError(
          "agent_request_failed",
          `The agent could not complete the request: ${error ?? "no detail"}`,
        ),
      );
  }

  private sweep(): void {
    const deadline = performance.now() - this.heartbeatTimeoutMs;
    for (const link of [...this.links.values()]) {
      if (link.lastSeenMono >= deadline) continue;
      this.options.log.warn(
        `agent.link: closing collector=${link.collectorId}: no heartbeat for ${this.heartbeatTimeoutMs} ms`,
      );
      link.close(4001, "heartbeat timeout");
      void this.detach(link, "heartbeat timeout");
    }
  }

  private async markConnected(collectorId: string, connected: boolean, why = ""): Promise<void> {
    const { store, now } = this.options;
    const at = now();
    const collector = await store.getCollector(collectorId);
    if (!collector) return;
    const link = await store.getAgentLink(collectorId);
    await store.saveAgentLink({
      collectorId,
      ackedSeq: link?.ackedSeq ?? 0,
      connectedAt: connected ? at : (link?.connectedAt ?? null),
      disconnectedAt: connected ? (link?.disconnectedAt ?? null) : at,
    });
    await store.addEvent({
      collectorId,
      type: connected ? "agent_connected" : "agent_disconnected",
      severity: connected ? "info" : "warning",
      message: connected
        ? `agent on ${collector.hostname} connected`
        : `agent on ${collector.hostname} disconnected (${why})`,
      detail: connected ? {} : { reason: why },
      time: at,
    });
    this.options.onChange?.(collectorId);
  }
}

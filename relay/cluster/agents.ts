import { randomUUID } from "node:crypto";
import { type AgentAction, AgentRequestError, type AgentRequestErrorReason } from "../agent-link/index.js";
import type { Bus } from "./bus.js";
import type { Signal } from "./signals.js";

/** The part of the agent hub this needs: its own links. */
export interface LocalAgents {
  isConnected(collectorId: string): boolean;
  request(
    collectorId: string,
    action: AgentAction,
    params?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<unknown>;
  /** Closes this replica's link of the collector (another replica took it over). */
  drop(collectorId: string, why: string): void;
}

type Reply = { ok: true; body: unknown } | { ok: false; reason: AgentRequestErrorReason; message: string };

interface Waiting {
  accepted: boolean;
  settle(reply: Reply): void;
}

export interface ClusterAgentsOptions {
  /** How long the asker waits for some replica to take a forwarded request before saying "offline" (1.5 s). */
  acceptTimeoutMs?: number;
}

const offline = (collectorId: string) =>
  new AgentRequestError(
    "agent_offline",
    `The agent of collector ${collectorId} is offline (no relay replica holds its link). Check that ` +
      "linkmesh-agent runs on the host (systemctl status linkmesh-agent) and can reach the relay, then retry.",
  );

/**
 * Agent links across replicas: a request for an agent whose link is on another replica goes there over the bus,
 * and the reply comes back through the database. With a LocalBus this is the hub itself.
 */
export class ClusterAgents {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly hub: LocalAgents,
    private readonly bus: Bus,
    private readonly options: ClusterAgentsOptions = {},
  ) {
    bus.subscribe((signal, from) => {
      switch (signal.kind) {
        case "agent_request":
          void this.serve(signal, from);
          return;
        case "agent_accepted": {
          const w = this.waiting.get(signal.requestId);
          if (w) w.accepted = true;
          return;
        }
        case "agent_reply":
          void this.collect(signal.requestId);
          return;
        case "agent_claimed":
          if (hub.isConnected(signal.collectorId)) hub.drop(signal.collectorId, "link taken over by another replica");
          return;
        default:
          return;
      }
    });
  }

  isConnected(collectorId: string): boolean {
    return this.hub.isConnected(collectorId) || this.bus.remoteAgents().has(collectorId);
  }

  /** Tells the other replicas where this collector's agent is now (or that it left). */
  async linkChanged(collectorId: string): Promise<void> {
    if (this.hub.isConnected(collectorId)) await this.bus.claimAgent(collectorId);
    else await this.bus.releaseAgent(collectorId);
  }

  request(
    collectorId: string,
    action: AgentAction,
    params: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<unknown> {
    // Held here, or nowhere we know of: the hub answers (or says "offline" at once, as a single relay does).
    if (this.hub.isConnected(collectorId) || !this.bus.remoteAgents().has(collectorId)) {
      return this.hub.request(collectorId, action, params, timeoutMs);
    }
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const acceptTimer = setTimeout(() => {
        if (this.waiting.get(requestId)?.accepted) return;
        this.waiting.delete(requestId);
        reject(offline(collectorId));
      }, this.options.acceptTimeoutMs ?? 1_500);
      // The link holder times out the agent itself; this only covers a holder that died mid-request.
      const deadline = setTimeout(() => {
        if (!this.waiting.delete(requestId)) return;
        reject(
          new AgentRequestError(
            "agent_request_timeout",
            `The agent of collector ${collectorId} did not answer the ${action} request within ${timeoutMs} ms ` +
              "(its relay replica may have stopped). Retry.",
          ),
        );
      }, timeoutMs + 2_000);
      this.waiting.set(requestId, {
        accepted: false,
        settle: (reply) => {
          clearTimeout(acceptTimer);
          clearTimeout(deadline);
          if (reply.ok) resolve(reply.body);
          else reject(new AgentRequestError(reply.reason, reply.message));
        },
      });
      this.bus.publish({ kind: "agent_request", requestId, collectorId, action, params, timeoutMs });
    });
  }

  /** On the replica holding the link: forward, then store the reply for the asker. */
  private async serve(request: Extract<Signal, { kind: "agent_request" }>, asker: string): Promise<void> {
    const { requestId, collectorId, action, params, timeoutMs } = request;
    if (!this.hub.isConnected(collectorId)) return;
    this.bus.publish({ kind: "agent_accepted", requestId, to: asker });
    let reply: Reply;
    try {
      reply = { ok: true, body: await this.hub.request(collectorId, action, params, timeoutMs) };
    } catch (error) {
      reply =
        error instanceof AgentRequestError
          ? { ok: false, reason: error.reason, message: error.message }
          : { ok: false, reason: "agent_request_failed", message: String(error) };
    }
    await this.bus.putReply(requestId, JSON.stringify(reply));
    this.bus.publish({ kind: "agent_reply", requestId, to: asker });
  }

  private async collect(requestId: string): Promise<void> {
    const w = this.waiting.get(requestId);
    if (!w) return;
    const body = await this.bus.takeReply(requestId);
    if (body === null || !this.waiting.delete(requestId)) return;
    w.settle(JSON.parse(body) as Reply);
  }
}

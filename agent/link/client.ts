// The agent end of the relay WebSocket: hello with host facts, outbox delivery acked by seq, heartbeats,
// reconnect with backoff, relay requests answered by registered handlers. Transitions are logged.

import WebSocket from "ws";
import type { CollectorType } from "../../common/model/index.js";
import {
  AGENT_LINK_PATH,
  type AgentToRelay,
  decodeRelayMessage,
  type HostFacts,
  PROTOCOL_VERSION,
  type RelayToAgent,
} from "../../common/protocol/index.js";
import type { Outbox } from "../outbox/index.js";
import {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  type LinkEvent,
  type LinkState,
  linkTransition,
  reconnectDelay,
} from "./state.js";

const HELLO_TIMEOUT_MS = 15_000;

export type RequestAction = Extract<RelayToAgent, { type: "request" }>["action"];
export type RequestHandler = (params: Record<string, unknown>) => Promise<unknown>;

export interface LinkClientOptions {
  relayUrl: string;
  agentToken: string;
  outbox: Outbox;
  hello: { agentVersion: string; collectorType: CollectorType; collectorVersion?: string; host: HostFacts };
  log: (line: string) => void;
  onState?: (state: LinkState, detail: string) => void;
  heartbeatMs?: number;
  backoff?: BackoffPolicy;
  /** Items per outbox message (the schema allows 500). */
  batchSize?: number;
}

/** ws:// or wss:// URL of the agent link for a relay base URL. */
export function agentLinkUrl(relayUrl: string): string {
  const url = new URL(AGENT_LINK_PATH, relayUrl.replace(/\/+$/, "/"));
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export class LinkClient {
  private stateValue: LinkState = "stopped";
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryAfterMs: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  /** Highest seq handed to the socket on this connection. */
  private sentSeq = 0;
  private flushing = false;
  private readonly handlers = new Map<RequestAction, RequestHandler>();
  lastError: string | null = null;
  stateSince = Date.now();

  constructor(private readonly options: LinkClientOptions) {}

  get state(): LinkState {
    return this.stateValue;
  }

  onRequest(action: RequestAction, handler: RequestHandler): void {
    this.handlers.set(action, handler);
  }

  start(): void {
    if (this.apply({ type: "start" })) this.connect();
  }

  async stop(): Promise<void> {
    this.apply({ type: "stop" });
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.close(1000, "agent stopping");
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 2_000).unref();
      });
    }
  }

  /** New outbox items are waiting: send them if the link is live. */
  notify(): void {
    void this.flush();
  }

  private apply(event: LinkEvent, detail = ""): boolean {
    const next = linkTransition(this.stateValue, event);
    if (next === null) return false;
    const from = this.stateValue;
    this.stateValue = next;
    this.stateSince = Date.now();
    const why = detail || event.type;
    this.options.log(`link: ${from} -> ${next} (${why})`);
    this.options.onState?.(next, why);
    return true;
  }

  private connect(): void {
    const socket = new WebSocket(agentLinkUrl(this.options.relayUrl), {
      headers: { authorization: `Bearer ${this.options.agentToken}` },
      handshakeTimeout: 15_000,
    });
    this.socket = socket;
    this.retryAfterMs = null;
    socket.on("open", () => {
      if (this.socket !== socket) return;
      this.apply({ type: "open" }, "connected, sending hello");
      this.lastFrameAt = Date.now();
      this.send({ type: "hello", protocol: PROTOCOL_VERSION, ...this.options.hello });
      this.startHeartbeat(socket);
      setTimeout(() => {
        if (this.socket !== socket || this.stateValue !== "hello") return;
        this.lastError = "the relay did not answer hello";
        socket.terminate();
      }, HELLO_TIMEOUT_MS).unref();
    });
    socket.on("unexpected-response", (_request, response) => {
      const status = response.statusCode ?? 0;
      this.lastError =
        status === 401
          ? "the relay refused the agent token (401): re-run linkmesh-agent enroll"
          : `the relay answered HTTP ${status} instead of opening the link`;
      // A refused token will not fix itself quickly: wait as long as the policy allows.
      if (status === 401) this.attempt = Math.max(this.attempt, 30);
      socket.terminate();
    });
    socket.on("message", (data, isBinary) => {
      if (this.socket !== socket || isBinary) return;
      this.lastFrameAt = Date.now();
      void this.handle(data.toString());
    });
    socket.on("pong", () => {
      this.lastFrameAt = Date.now();
    });
    socket.on("error", (error) => {
      this.lastError = error.message;
    });
    socket.on("close", (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      const text = reason.toString();
      this.scheduleRetry(`closed ${code}${text ? ` ${text}` : ""}${this.lastError ? `: ${this.lastError}` : ""}`);
    });
  }

  private scheduleRetry(why: string): void {
    if (!this.apply({ type: "closed", reason: why }, why)) return;
    const delay = reconnectDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.retryAfterMs);
    this.attempt++;
    this.options.log(`link: reconnecting in ${delay} ms (attempt ${this.attempt})`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.apply({ type: "retry" })) this.connect();
    }, delay);
  }

  private async handle(text: string): Promise<void> {
    let message: RelayToAgent;
    try {
      message = decodeRelayMessage(text);
    } catch (error) {
      this.options.log(`link: ignored a relay message (${(error as Error).message})`);
      return;
    }
    switch (message.type) {
      case "welcome":
        await this.options.outbox.rebase(message.ackedSeq);
        this.sentSeq = Math.max(message.ackedSeq, this.options.outbox.ackedSeq);
        this.attempt = 0;
        this.lastError = null;
        this.apply({ type: "welcome" }, `relay has seq ${message.ackedSeq}, ${this.options.outbox.depth} waiting`);
        await this.flush();
        return;
      case "ack":
        await this.options.outbox.ack(message.seq);
        await this.flush();
        return;
      case "goaway":
        this.retryAfterMs = message.retryAfterMs;
        this.lastError = `relay goaway: ${message.reason}`;
        this.options.log(`link: relay asked to come back in ${message.retryAfterMs} ms (${message.reason})`);
        return;
      case "request":
        await this.answer(message);
        return;
    }
  }

  private async answer(request: Extract<RelayToAgent, { type: "request" }>): Promise<void> {
    const handler = this.handlers.get(request.action);
    if (!handler) {
      this.send({
        type: "reply",
        requestId: request.requestId,
        ok: false,
        error: `this agent cannot run ${request.action} yet; upgrade linkmesh-agent`,
        body: null,
      });
      return;
    }
    try {
      const body = await handler(request.params);
      this.send({ type: "reply", requestId: request.requestId, ok: true, body });
    } catch (error) {
      this.send({
        type: "reply",
        requestId: request.requestId,
        ok: false,
        error: (error as Error).message,
        body: null,
      });
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const batchSize = this.options.batchSize ?? 200;
      while (this.stateValue === "live" && this.socket) {
        const batch = this.options.outbox.pending(this.sentSeq, batchSize);
        if (batch.length === 0) break;
        this.send({ type: "outbox", items: batch });
        this.sentSeq = batch.at(-1)?.seq ?? this.sentSeq;
      }
    } finally {
      this.flushing = false;
    }
  }

  private send(message: AgentToRelay): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private startHeartbeat(socket: WebSocket): void {
    const every = this.options.heartbeatMs ?? 15_000;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > every * 3) {
        this.lastError = `no answer from the relay for ${every * 3} ms`;
        socket.terminate();
        return;
      }
      this.send({ type: "heartbeat", timeMs: Date.now() });
      socket.ping();
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

import type { FastifyInstance } from "fastify";
import type { OperatorCheck } from "../auth/index.js";
import { type RateWindow, type Topology, TopologyQuerySchema } from "../topology/index.js";

export const STREAM_PATH = "/api/v1/stream";
/** Updates per rate window are at least this far apart: a push shows within about half a second. */
export const LIVE_BATCH_MS = 500;
/** Changes within this pause after the first one ride in the same update. */
const COALESCE_MS = 50;

interface Subscriber {
  window: RateWindow;
  write(chunk: string): void;
  end(): void;
}

/** Fans one topology per window out to every subscriber, at most once per `batchMs`. */
export class TopologyBroadcaster {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | null = null;
  private lastPublishAt = 0;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly build: (window: RateWindow) => Promise<Topology>,
    private readonly batchMs = LIVE_BATCH_MS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    // A comment line every 15 s keeps proxies from closing an idle stream.
    this.keepalive = setInterval(() => {
      for (const s of this.subscribers) s.write(": keepalive\n\n");
    }, 15_000);
    this.keepalive.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Something changed: publish soon. The first change after a quiet spell goes out at once (after a short
   * coalescing pause for the rest of its push); later ones wait so that updates stay at most one per `batchMs`.
   */
  changed(): void {
    if (this.timer !== null || this.subscribers.size === 0) return;
    const wait = Math.max(COALESCE_MS, this.lastPublishAt + this.batchMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.publish().catch(this.onError);
    }, wait);
    this.timer.unref();
  }

  async publish(): Promise<void> {
    this.lastPublishAt = Date.now();
    const windows = new Set([...this.subscribers].map((s) => s.window));
    for (const window of windows) {
      const chunk = frame(await this.build(window));
      for (const s of this.subscribers) if (s.window === window) s.write(chunk);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.keepalive);
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }
}

export function frame(topology: Topology): string {
  return `event: topology\ndata: ${JSON.stringify(topology)}\n\n`;
}

export interface LiveDeps {
  operator: OperatorCheck;
  broadcaster: TopologyBroadcaster;
  build: (window: RateWindow) => Promise<Topology>;
}

export async function liveRoutes(app: FastifyInstance, deps: LiveDeps): Promise<void> {
  app.get<{ Querystring: { window?: RateWindow } }>(
    STREAM_PATH,
    {
      preHandler: deps.operator,
      config: {
        access: "operator",
        summary:
          "Server-Sent Events: `event: topology` with the same body as GET /api/v1/topology, at most one per 500 ms",
      },
      schema: { querystring: TopologyQuerySchema },
    },
    async (request, reply) => {
      const window = request.query.window ?? "30s";
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      raw.write("retry: 2000\n\n");
      const unsubscribe = deps.broadcaster.subscribe({
        window,
        write: (chunk) => raw.write(chunk),
        end: () => raw.end(),
      });
      request.raw.on("close", unsubscribe);
      raw.write(frame(await deps.build(window)));
    },
  );
}

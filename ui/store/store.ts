// RelayStore: the only code in the browser that talks to the relay (fetch + the live SSE stream).
// Components read `state` and call its methods; it never renders anything.
import {
  parseCollectors,
  parseDoctor,
  parseEvents,
  parseMinted,
  parseSnapshot,
  parseSnapshots,
  parseTokens,
  parseTopology,
  topologyFromStreamMessage,
} from "./parse.js";
import type {
  ActionState,
  CollectorDiagnostics,
  CollectorEvent,
  CollectorSummary,
  MintedToken,
  MintRequest,
  RateWindow,
  TokenSummary,
  Topology,
} from "./types.js";

/** Every relay route the UI uses, in one place. */
export const API = {
  session: "/api/v1/session",
  topology: "/api/v1/topology",
  stream: "/api/v1/stream",
  tokens: "/api/v1/tokens",
  collectors: "/api/v1/collectors",
  collector: (id: string) => `/api/v1/collectors/${encodeURIComponent(id)}`,
  events: (id: string) => `/api/v1/collectors/${encodeURIComponent(id)}/events`,
  token: (id: string) => `/api/v1/tokens/${encodeURIComponent(id)}`,
  doctor: (id: string) => `/api/v1/collectors/${encodeURIComponent(id)}/doctor`,
  snapshots: (id: string) => `/api/v1/collectors/${encodeURIComponent(id)}/snapshots`,
  snapshot: (id: string, sid: string) =>
    `/api/v1/collectors/${encodeURIComponent(id)}/snapshots/${encodeURIComponent(sid)}`,
} as const;

/** Cookie-authenticated unsafe requests carry this header; a cross-site form cannot set it. */
export const CSRF_HEADER = "x-linkmesh-csrf";

/** A failed relay call: `reason` is the relay's machine reason (or ours), `message` what to tell the operator. */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export type SessionState = "unknown" | "signed_out" | "signed_in";
/** The live link's life cycle: connecting -> live -> (error) backoff -> connecting; polling covers the gaps. */
export type LiveState = "idle" | "connecting" | "live" | "backoff";

export interface StoreState {
  session: SessionState;
  live: LiveState;
  window: RateWindow;
  topology: Topology | null;
  /** When the topology currently shown arrived (ms): the canvas uses it as "now" for ages. */
  topologyAt: number | null;
  collectors: CollectorSummary[] | null;
  error: string | null;
  events: ReadonlyMap<string, CollectorEvent[]>;
  /** Doctor verdicts and snapshots of the collectors whose Diagnostics tab was opened. */
  diagnostics: ReadonlyMap<string, CollectorDiagnostics>;
}

export interface StoreOptions {
  /** Base URL of the relay ("" = same origin). */
  base?: string;
  fetch?: typeof fetch;
  /** Builds the live stream; tests may pass a fake. Null disables the stream (polling only). */
  eventSource?: ((url: string) => EventSource) | null;
  pollMs?: number;
}

type Listener = (state: StoreState) => void;

const STREAM_EVENT_NAMES = ["message", "topology", "collector", "collectors", "edges", "rates", "event", "events"];

export class RelayStore {
  state: StoreState = {
    session: "unknown",
    live: "idle",
    window: "1m",
    topology: null,
    topologyAt: null,
    collectors: null,
    error: null,
    events: new Map(),
    diagnostics: new Map(),
  };
  private readonly listeners = new Set<Listener>();
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly makeSource: ((url: string) => EventSource) | null;
  private readonly pollMs: number;
  private source: EventSource | null = null;
  private backoffMs = 500;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private refreshInFlight: Promise<void> | null = null;
  private refreshAgain = false;
  private watchedEvents = new Set<string>();

  constructor(options: StoreOptions = {}) {
    this.base = options.base ?? "";
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.makeSource =
      options.eventSource === undefined
        ? typeof EventSource === "undefined"
          ? null
          : (url) => new EventSource(url, { withCredentials: true })
        : options.eventSource;
    this.pollMs = options.pollMs ?? 5_000;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<StoreState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  /** The relay's public URL as the browser sees it (used in the install one-liner). */
  relayUrl(): string {
    return this.base || (typeof location === "undefined" ? "" : location.origin);
  }

  private async request(path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
    const method = init.method ?? "GET";
    const headers: Record<string, string> = { accept: "application/json" };
    if (method !== "GET") headers[CSRF_HEADER] = "1";
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await this.doFetch(`${this.base}${path}`, {
        method,
        headers,
        credentials: "same-origin",
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch {
      throw new RelayError(0, "relay_unreachable", "The relay cannot be reached. Is it running?");
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (!response.ok) {
      const o = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      const reason = typeof o.error === "string" ? o.error : typeof o.reason === "string" ? o.reason : "http_error";
      const message = typeof o.message === "string" ? o.message : `The relay answered ${response.status}.`;
      if (response.status === 401 && path !== API.session) this.signedOut();
      throw new RelayError(response.status, reason, message);
    }
    return body;
  }

  /** First load: find out whether the session cookie is valid by reading the topology. */
  async start(): Promise<void> {
    try {
      await this.refresh();
      this.set({ session: "signed_in" });
      this.connect();
    } catch (error) {
      if (error instanceof RelayError && error.status === 401) return;
      this.set({ session: "signed_in", error: messageOf(error) });
      this.connect();
    }
  }

  async login(token: string): Promise<void> {
    await this.request(API.session, { method: "POST", body: { token } });
    this.set({ session: "signed_in", error: null });
    await this.refresh().catch((error: unknown) => this.set({ error: messageOf(error) }));
    this.connect();
  }

  async logout(): Promise<void> {
    try {
      await this.request(API.session, { method: "DELETE" });
    } finally {
      this.signedOut();
    }
  }

  private signedOut(): void {
    this.disconnect();
    this.set({ session: "signed_out", topology: null, collectors: null, events: new Map(), diagnostics: new Map() });
  }

  setWindow(window: RateWindow): void {
    if (window === this.state.window) return;
    this.set({ window });
    // The stream is per window: reconnect so pushes carry the numbers of the chosen one.
    if (this.source) {
      this.source.close();
      this.source = null;
      this.connect();
    }
    void this.refresh().catch((error: unknown) => this.set({ error: messageOf(error) }));
  }

  /** Reloads topology and collector list; concurrent calls coalesce into one extra round. */
  refresh(): Promise<void> {
    if (this.refreshInFlight) {
      this.refreshAgain = true;
      return this.refreshInFlight;
    }
    const run = async (): Promise<void> => {
      do {
        this.refreshAgain = false;
        const [topology, collectors] = await Promise.all([
          this.request(`${API.topology}?window=${this.state.window}`).then(parseTopology),
          this.request(API.collectors).then(parseCollectors),
        ]);
        this.set({ topology, topologyAt: topology.generatedAt ?? Date.now(), collectors, error: null });
        for (const id of this.watchedEvents) await this.loadEvents(id).catch(() => undefined);
      } while (this.refreshAgain);
    };
    this.refreshInFlight = run().finally(() => {
      this.refreshInFlight = null;
    });
    return this.refreshInFlight;
  }

  private collectorsInFlight = false;

  private async refreshCollectors(): Promise<void> {
    if (this.collectorsInFlight) return;
    this.collectorsInFlight = true;
    try {
      this.set({ collectors: parseCollectors(await this.request(API.collectors)) });
      for (const id of this.watchedEvents) await this.loadEvents(id).catch(() => undefined);
    } catch {
      // the next stream message or poll retries
    } finally {
      this.collectorsInFlight = false;
    }
  }

  async loadEvents(collectorId: string): Promise<CollectorEvent[]> {
    const events = parseEvents(await this.request(`${API.events(collectorId)}?limit=500`));
    events.sort((a, b) => b.time - a.time);
    const next = new Map(this.state.events);
    next.set(collectorId, events);
    this.set({ events: next });
    return events;
  }

  /** Keeps a collector's events fresh while its Events tab is open. */
  watchEvents(collectorId: string): () => void {
    this.watchedEvents.add(collectorId);
    void this.loadEvents(collectorId).catch((error: unknown) => this.set({ error: messageOf(error) }));
    return () => this.watchedEvents.delete(collectorId);
  }

  // --- diagnostics: doctor verdicts and support snapshots ------------------------------------------------

  private diagnosticsOf(collectorId: string): CollectorDiagnostics {
    return (
      this.state.diagnostics.get(collectorId) ?? {
        doctor: undefined,
        doctorRun: IDLE,
        snapshots: undefined,
        snapshotRun: IDLE,
        loadError: null,
      }
    );
  }

  private patchDiagnostics(collectorId: string, patch: Partial<CollectorDiagnostics>): void {
    const next = new Map(this.state.diagnostics);
    next.set(collectorId, { ...this.diagnosticsOf(collectorId), ...patch });
    this.set({ diagnostics: next });
  }

  private snapshotHref(collectorId: string): (snapshotId: string) => string {
    return (snapshotId) => `${this.base}${API.snapshot(collectorId, snapshotId)}`;
  }

  /** Reads the last doctor verdict (404 = never ran) and the stored snapshots. */
  async loadDiagnostics(collectorId: string): Promise<void> {
    try {
      const [doctor, snapshots] = await Promise.all([
        this.request(API.doctor(collectorId)).then(
          (body) => parseDoctor(body, Date.now()),
          (error: unknown) => {
            if (error instanceof RelayError && error.status === 404 && error.reason === "no_verdict") return null;
            throw error;
          },
        ),
        this.request(API.snapshots(collectorId)).then((body) => parseSnapshots(body, this.snapshotHref(collectorId))),
      ]);
      this.patchDiagnostics(collectorId, { doctor, snapshots, loadError: null });
    } catch (error) {
      this.patchDiagnostics(collectorId, { loadError: messageOf(error) });
    }
  }

  /** Reloads what a failed action may have made stale: the kept verdict, and the header status when offline. */
  private async afterFailure(collectorId: string, error: unknown): Promise<void> {
    const offline = error instanceof RelayError && error.reason === "agent_offline";
    await Promise.all([
      this.loadDiagnostics(collectorId),
      offline ? this.refresh().catch(() => undefined) : Promise.resolve(),
    ]);
  }

  /** Asks the agent to run doctor now (through the relay); an offline agent leaves the last verdict in place. */
  async runDoctor(collectorId: string): Promise<void> {
    if (this.diagnosticsOf(collectorId).doctorRun.state === "running") return;
    this.patchDiagnostics(collectorId, { doctorRun: { state: "running", since: Date.now() } });
    try {
      const doctor = parseDoctor(await this.request(API.doctor(collectorId), { method: "POST" }), Date.now());
      this.patchDiagnostics(collectorId, { doctor, doctorRun: IDLE });
    } catch (error) {
      this.patchDiagnostics(collectorId, { doctorRun: failed(error) });
      // Still show the last verdict the relay kept (e.g. the agent went offline since it ran).
      await this.afterFailure(collectorId, error);
    }
  }

  /** Asks the agent for a scrubbed snapshot; the relay answers once it is stored, then the list is reloaded. */
  async requestSnapshot(collectorId: string, since = "15m"): Promise<void> {
    if (this.diagnosticsOf(collectorId).snapshotRun.state === "running") return;
    this.patchDiagnostics(collectorId, { snapshotRun: { state: "running", since: Date.now() } });
    try {
      const body = await this.request(API.snapshots(collectorId), { method: "POST", body: { since } });
      const stored = parseSnapshot(body, "snapshot", this.snapshotHref(collectorId));
      const known = (this.diagnosticsOf(collectorId).snapshots ?? []).filter((s) => s.id !== stored.id);
      this.patchDiagnostics(collectorId, { snapshots: [stored, ...known], snapshotRun: IDLE });
      await this.loadDiagnostics(collectorId);
    } catch (error) {
      this.patchDiagnostics(collectorId, { snapshotRun: failed(error) });
      await this.afterFailure(collectorId, error);
    }
  }

  async deregister(collectorId: string): Promise<void> {
    await this.request(API.collector(collectorId), { method: "DELETE" });
    await this.refresh();
  }

  async mintToken(request: MintRequest): Promise<MintedToken> {
    return parseMinted(await this.request(API.tokens, { method: "POST", body: request }));
  }

  async listTokens(): Promise<TokenSummary[]> {
    return parseTokens(await this.request(API.tokens));
  }

  async revokeToken(id: string): Promise<void> {
    await this.request(API.token(id), { method: "DELETE" });
  }

  // --- the live stream ---------------------------------------------------------------------------------

  private connect(): void {
    this.startPolling();
    if (!this.makeSource || this.source) return;
    this.set({ live: "connecting" });
    const source = this.makeSource(`${this.base}${API.stream}?window=${this.state.window}`);
    this.source = source;
    source.onopen = () => {
      this.backoffMs = 500;
      this.set({ live: "live" });
      this.stopPolling();
      // Anything may have changed while we were away.
      void this.refresh().catch(() => undefined);
    };
    const onMessage = (event: MessageEvent<string>) => this.onStreamMessage(event.data);
    for (const name of STREAM_EVENT_NAMES) source.addEventListener(name, onMessage as EventListener);
    source.onerror = () => {
      if (source.readyState !== 2 /* CLOSED */ && this.state.live === "live") return; // the browser retries
      source.close();
      this.source = null;
      this.scheduleReconnect();
    };
  }

  private onStreamMessage(data: string): void {
    const topology = topologyFromStreamMessage(data);
    if (topology) {
      this.set({ topology, topologyAt: topology.generatedAt ?? Date.now() });
      // The list's last-push times come from /api/v1/collectors; keep them in step without blocking the canvas.
      void this.refreshCollectors();
      return;
    }
    void this.refresh().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.state.session === "signed_out") return;
    this.set({ live: "backoff" });
    this.startPolling();
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private startPolling(): void {
    if (this.pollTimer || this.pollMs <= 0) return;
    this.pollTimer = setInterval(() => void this.refresh().catch(() => undefined), this.pollMs);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  disconnect(): void {
    this.source?.close();
    this.source = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPolling();
    this.set({ live: "idle" });
  }
}

const IDLE: ActionState = { state: "idle" };

function failed(error: unknown): ActionState {
  const reason = error instanceof RelayError ? error.reason : "unexpected";
  return { state: "failed", reason, message: messageOf(error), at: Date.now() };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

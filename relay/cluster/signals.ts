import type { AgentAction } from "../agent-link/index.js";

/** What one replica tells the others. Small: NOTIFY payloads are capped (8000 bytes); bodies go through tables. */
export type Signal =
  /** Rows, records or graphs of these collectors changed here: reload them and update live canvases. */
  | { kind: "fleet"; collectorIds: string[] }
  /** Drop cached credentials and live state of this collector (deregistered, re-enrolled, graph changed). */
  | { kind: "forget"; collectorId: string; deregistered: boolean }
  /** Whoever holds this collector's agent link: please forward the request. */
  | {
      kind: "agent_request";
      requestId: string;
      collectorId: string;
      action: AgentAction;
      params: Record<string, unknown>;
      timeoutMs: number;
      to?: undefined;
    }
  /** The link holder took the request (the asker now waits for the reply instead of answering "offline"). */
  | { kind: "agent_accepted"; requestId: string; to: string }
  /** The reply is in `cluster_replies`. */
  | { kind: "agent_reply"; requestId: string; to: string }
  /** This replica now holds the collector's agent link; an older link elsewhere is stale. */
  | { kind: "agent_claimed"; collectorId: string };

export interface Envelope {
  from: string;
  signals: Signal[];
}

/** NOTIFY payloads must stay below 8000 bytes; leave room for the envelope. */
export const MAX_PAYLOAD_BYTES = 7_500;

/**
 * Packs queued signals into as few payloads as fit: `fleet` signals are merged into one id list (split when
 * long), duplicates dropped. Pure, so batching is tested without a database.
 */
export function packSignals(from: string, queued: Signal[], maxBytes = MAX_PAYLOAD_BYTES): string[] {
  const fleetIds = new Set<string>();
  const seen = new Set<string>();
  const others: Signal[] = [];
  for (const s of queued) {
    if (s.kind === "fleet") for (const id of s.collectorIds) fleetIds.add(id);
    else {
      const key = JSON.stringify(s);
      if (seen.has(key)) continue;
      seen.add(key);
      others.push(s);
    }
  }
  const signals: Signal[] = [...others];
  let ids: string[] = [];
  let idBytes = 0;
  for (const id of fleetIds) {
    if (idBytes + id.length + 3 > maxBytes / 2 && ids.length > 0) {
      signals.push({ kind: "fleet", collectorIds: ids });
      ids = [];
      idBytes = 0;
    }
    ids.push(id);
    idBytes += id.length + 3;
  }
  if (ids.length > 0) signals.push({ kind: "fleet", collectorIds: ids });

  const payloads: string[] = [];
  let batch: Signal[] = [];
  const encode = (list: Signal[]) => JSON.stringify({ from, signals: list } satisfies Envelope);
  for (const s of signals) {
    if (batch.length > 0 && Buffer.byteLength(encode([...batch, s])) > maxBytes) {
      payloads.push(encode(batch));
      batch = [];
    }
    batch.push(s);
  }
  if (batch.length > 0) payloads.push(encode(batch));
  return payloads;
}

const KINDS = new Set(["fleet", "forget", "agent_request", "agent_accepted", "agent_reply", "agent_claimed"]);

/** Reads a NOTIFY payload; anything malformed yields null (it came through our database, but check anyway). */
export function parseEnvelope(payload: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { from, signals } = value as { from?: unknown; signals?: unknown };
  if (typeof from !== "string" || !Array.isArray(signals)) return null;
  const valid = signals.filter(
    (s): s is Signal => typeof s === "object" && s !== null && KINDS.has((s as { kind?: unknown }).kind as string),
  );
  return { from, signals: valid };
}

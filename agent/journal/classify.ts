// Classifies one collector journal line: export retries, drops, rejections, auth failures, partial successes,
// export attempts and config reloads, from Alloy (logfmt/JSON) and otelcol (zap JSON/console). Pure; no I/O.
// The level comes from the line itself: both collectors log to stderr, so journald's PRIORITY is always 6.
import { type LineFormat, parseStructured } from "./structured.js";

export type JournalLineKind =
  | "export_retry"
  | "export_dropped"
  | "export_rejected"
  | "partial_success"
  | "auth_rejected"
  | "export_attempt"
  | "config_reloaded"
  | "config_reload_failed"
  | "other";

export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal" | "unknown";

export interface LineClassification {
  kind: JournalLineKind;
  level: LogLevel;
  /** The component that logged: Alloy `component_id`, otelcol `otelcol.component.id` (or `name` before v0.120). */
  component?: string;
  /** The log message (`msg`), or the whole line when it is not structured. */
  message: string;
  /** The line's other fields (`error`, `interval`, `component_path`, `ts`, `resource.service.name`, ...). */
  fields: Record<string, string>;
  /** HTTP status the destination answered, when the line says. */
  statusCode?: number;
  /** Items lost: `dropped_items`, or the partial-success counts (`dropped_data_points`, ...). */
  droppedItems?: number;
  /** Items refused before sending (`rejected_items`): no queue, or queue full. */
  rejectedItems?: number;
  format: LineFormat;
}

export interface ClassifiedJournalEntry extends LineClassification {
  /** When journald received the line, in milliseconds since the epoch (`__REALTIME_TIMESTAMP`). */
  time: number;
  /** journald's `__CURSOR`, to resume reading after this entry. */
  cursor: string;
  unit?: string;
  identifier?: string;
}

export type JournalEntryErrorReason = "not_an_object" | "missing_cursor" | "missing_message" | "bad_timestamp";

export interface JournalEntryError {
  reason: JournalEntryErrorReason;
  message: string;
}

export type ClassifyEntryResult = { ok: true; line: ClassifiedJournalEntry } | { ok: false; error: JournalEntryError };

/** Messages, most specific first. The exporter wordings are stable since collector v0.6x (alloy.md §5). */
const MESSAGE_RULES: readonly { pattern: RegExp; kind: JournalLineKind }[] = [
  // exporterhelper, current and older wordings ("The error is not retryable." / "No more retries left.").
  { pattern: /^Exporting failed\. Will retry/, kind: "export_retry" },
  { pattern: /^Exporting failed\. Putting back to the end of the queue/, kind: "export_retry" },
  { pattern: /^Exporting failed\. Rejecting data/, kind: "export_rejected" },
  { pattern: /^Dropping data because sending_queue is full/, kind: "export_rejected" },
  { pattern: /^Exporting failed\..*Dropping data/, kind: "export_dropped" },
  // loki.write (Alloy) and the promtail client it comes from.
  { pattern: /^error sending batch, will retry/, kind: "export_retry" },
  { pattern: /^final error sending batch/, kind: "export_dropped" },
  { pattern: /^Partial success response/, kind: "partial_success" },
  { pattern: /^Preparing to make HTTP request/, kind: "export_attempt" },
  // Alloy: SIGHUP or /-/reload, and remotecfg. otelcol: a watched config changed and the service restarts in place.
  { pattern: /^config reloaded$/, kind: "config_reloaded" },
  { pattern: /^successfully loaded remote configuration/, kind: "config_reloaded" },
  { pattern: /^Config updated, restart service/, kind: "config_reloaded" },
  { pattern: /^failed to reload config/, kind: "config_reload_failed" },
];

/** otelcol's own OTLP metrics push failing (`otel.SetErrorHandler`): relevant when the relay refuses the token. */
const INTERNAL_TELEMETRY_ERROR = "OpenTelemetry internal telemetry error";

const EXPORT_FAILURES = new Set<JournalLineKind>(["export_retry", "export_dropped", "export_rejected"]);

const STATUS_PATTERNS: readonly RegExp[] = [
  /HTTP Status Code (\d{3})\b/i, // otlphttp: "responded with HTTP Status Code 401"
  /status code received from server: (\d{3})\b/i, // otlp gRPC over a proxy: "...from server: 502 (Bad Gateway)"
  /returned HTTP status (\d{3})\b/i, // remote write / loki: "server returned HTTP status 400 Bad Request"
];
const AUTH_PATTERNS: readonly RegExp[] = [/code = Unauthenticated/, /\b401 Unauthorized\b/i];

const PARTIAL_SUCCESS_COUNTS = ["dropped_data_points", "dropped_spans", "dropped_log_records", "dropped_samples"];

export function classifyJournalLine(text: string): LineClassification {
  const line = parseStructured(text);
  const fields = line.fields;
  const get = (key: string): string | undefined => fields.get(key);

  let kind: JournalLineKind = MESSAGE_RULES.find((r) => r.pattern.test(line.message))?.kind ?? "other";
  const errorText = get("error") ?? get("err") ?? "";
  const statusCode = statusOf(get("status"), errorText);
  const mayBeAuth = EXPORT_FAILURES.has(kind) || line.message.startsWith(INTERNAL_TELEMETRY_ERROR);
  if (mayBeAuth && (statusCode === 401 || AUTH_PATTERNS.some((p) => p.test(errorText)))) kind = "auth_rejected";

  const result: LineClassification = {
    kind,
    level: normalizeLevel(line.level),
    message: line.message,
    fields: Object.fromEntries(fields),
    format: line.format,
  };
  const component = componentOf(fields);
  if (component !== undefined) result.component = component;
  if (statusCode !== undefined) result.statusCode = statusCode;
  const dropped = countOf(get("dropped_items")) ?? firstCount(fields, PARTIAL_SUCCESS_COUNTS);
  if (dropped !== undefined) result.droppedItems = dropped;
  const rejected = countOf(get("rejected_items"));
  if (rejected !== undefined) result.rejectedItems = rejected;
  return result;
}

/** One parsed `journalctl -o json` object (untrusted: validated here) -> its classified line. */
export function classifyJournalEntry(entry: unknown): ClassifyEntryResult {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    return fail("not_an_object", "A journal entry must be a JSON object (journalctl -o json).");
  }
  const record = entry as Record<string, unknown>;
  const cursor = record.__CURSOR;
  if (typeof cursor !== "string" || cursor === "") {
    return fail("missing_cursor", "The journal entry has no __CURSOR; read it with journalctl -o json.");
  }
  const message = fieldText(record.MESSAGE);
  if (message === undefined) return fail("missing_message", "The journal entry has no MESSAGE.");
  const time = realtimeMs(record.__REALTIME_TIMESTAMP);
  if (time === undefined) {
    return fail("bad_timestamp", "The journal entry's __REALTIME_TIMESTAMP is not microseconds since the epoch.");
  }
  const line: ClassifiedJournalEntry = { ...classifyJournalLine(message), time, cursor };
  const unit = fieldText(record._SYSTEMD_UNIT);
  const identifier = fieldText(record.SYSLOG_IDENTIFIER);
  if (unit !== undefined) line.unit = unit;
  if (identifier !== undefined) line.identifier = identifier;
  return { ok: true, line };
}

function fail(reason: JournalEntryErrorReason, message: string): ClassifyEntryResult {
  return { ok: false, error: { reason, message } };
}

/**
 * journalctl -o json writes a field as a string, as an array of bytes when it is not printable UTF-8,
 * and as an array of those when the entry holds the field more than once (the first is used).
 */
function fieldText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return new TextDecoder().decode(new Uint8Array(value as number[]));
  }
  return fieldText(value[0]);
}

function realtimeMs(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^\d{1,17}$/.test(text)) return undefined;
  return Math.floor(Number(text) / 1000);
}

function normalizeLevel(level: string | undefined): LogLevel {
  switch (level?.toLowerCase()) {
    case "debug":
      return "debug";
    case "info":
      return "info";
    case "warn":
    case "warning":
      return "warn";
    case "error":
    case "dpanic":
      return "error";
    case "panic":
    case "fatal":
      return "fatal";
    default:
      return "unknown";
  }
}

function componentOf(fields: ReadonlyMap<string, string>): string | undefined {
  const id = fields.get("component_id") ?? fields.get("otelcol.component.id");
  if (id !== undefined && id !== "") return id;
  // Before otelcol v0.120: `kind` + `name` (and before that `component_kind` + `component_name`).
  if (fields.has("kind")) return fields.get("name");
  if (fields.has("component_kind")) return fields.get("component_name");
  return undefined;
}

function statusOf(statusField: string | undefined, errorText: string): number | undefined {
  if (statusField !== undefined && /^[1-5]\d\d$/.test(statusField)) return Number(statusField);
  for (const pattern of STATUS_PATTERNS) {
    const m = pattern.exec(errorText);
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return undefined;
}

function countOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function firstCount(fields: ReadonlyMap<string, string>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const n = countOf(fields.get(key));
    if (n !== undefined) return n;
  }
  return undefined;
}

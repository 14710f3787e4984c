// Splits one collector log line into level, message and fields, whatever encoding wrote it:
// Alloy logfmt (slog), zap JSON and zap console (otelcol, `TS\tlevel\tcaller\tmsg\t{json}`).
import { parseLogfmt } from "./logfmt.js";

export type LineFormat = "logfmt" | "json" | "console" | "plain";

export interface StructuredLine {
  format: LineFormat;
  level?: string;
  message: string;
  /** Every other key, nested JSON flattened with dots (`resource.service.name`), values as text. */
  fields: Map<string, string>;
}

const CONSOLE = /^(\d{4}-\d{2}-\d{2}T[^\t]*)\t([A-Za-z]+)\t([\s\S]*)$/;
const CALLER = /^[\w.@/+-]+\.go:\d+$/;

export function parseStructured(text: string): StructuredLine {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const json = parseJsonLine(trimmed);
    if (json !== undefined) return json;
  }
  const console = CONSOLE.exec(trimmed);
  if (console !== null) return parseConsole(console[1] ?? "", console[2] ?? "", console[3] ?? "");
  const pairs = parseLogfmt(trimmed);
  if (pairs.has("msg") || pairs.has("level")) {
    const fields = new Map(pairs);
    const level = fields.get("level");
    const message = fields.get("msg") ?? "";
    fields.delete("level");
    fields.delete("msg");
    return level === undefined ? { format: "logfmt", message, fields } : { format: "logfmt", level, message, fields };
  }
  return { format: "plain", message: trimmed, fields: new Map() };
}

function parseJsonLine(text: string): StructuredLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const fields = new Map<string, string>();
  flatten(value, "", fields);
  const level = fields.get("level");
  const message = fields.get("msg") ?? fields.get("message") ?? "";
  fields.delete("level");
  fields.delete("msg");
  return level === undefined ? { format: "json", message, fields } : { format: "json", level, message, fields };
}

function parseConsole(ts: string, level: string, rest: string): StructuredLine {
  const parts = rest.split("\t");
  const fields = new Map<string, string>([["ts", ts]]);
  if (parts.length > 1 && CALLER.test(parts[0] ?? "")) fields.set("caller", parts.shift() ?? "");
  const last = parts.at(-1) ?? "";
  if (parts.length > 1 && last.startsWith("{")) {
    parts.pop();
    readConsoleFields(last, fields);
  }
  return { format: "console", level, message: parts.join("\t"), fields };
}

/** The trailing JSON object of a console line; when it does not parse (cut by journald, elided), key by key. */
function readConsoleFields(json: string, into: Map<string, string>): void {
  try {
    const value: unknown = JSON.parse(json);
    if (isRecord(value)) {
      flatten(value, "", into);
      return;
    }
  } catch {
    // fall through to the lenient reader
  }
  const pair = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/g;
  for (const m of json.matchAll(pair)) {
    const key = decodeJsonString(m[1] ?? "");
    const raw = m[2] ?? "";
    if (key === undefined || into.has(key)) continue;
    const value = raw.startsWith('"') ? decodeJsonString(raw.slice(1, -1)) : raw;
    if (value !== undefined) into.set(key, value);
  }
}

function decodeJsonString(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(`"${body}"`);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function flatten(value: Record<string, unknown>, prefix: string, into: Map<string, string>): void {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (isRecord(v)) flatten(v, name, into);
    else if (typeof v === "string") into.set(name, v);
    else if (v === null || v === undefined) into.set(name, "");
    else if (typeof v === "number" || typeof v === "boolean") into.set(name, String(v));
    else into.set(name, JSON.stringify(v));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

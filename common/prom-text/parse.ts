// Parser for the Prometheus text exposition format 0.0.4 (what Alloy's and otelcol's `/metrics` serve).
// Histogram and summary lines come out as plain samples (`_bucket`, `_sum`, `_count`, quantiles).

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the Unix epoch, when the line carries a timestamp. */
  timestampMs?: number;
}

export interface PromParseError {
  /** 1-based line number. */
  line: number;
  message: string;
}

export type PromMetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PromParseResult {
  samples: PromSample[];
  /** One entry per line that could not be read; the rest of the text is still parsed. */
  errors: PromParseError[];
  /** Family name -> `# TYPE` declared for it. */
  types: Record<string, PromMetricType>;
  /** Family name -> `# HELP` text, unescaped. */
  help: Record<string, string>;
}

const METRIC_TYPES: ReadonlySet<string> = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ["nan", Number.NaN],
  ["+nan", Number.NaN],
  ["-nan", Number.NaN],
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);
const INTEGER = /^-?\d+$/;

/** Parses an exposition. Never throws: unreadable lines are reported in `errors` and skipped. */
export function parsePrometheusText(text: string): PromParseResult {
  const result: PromParseResult = {
    samples: [],
    errors: [],
    types: Object.create(null) as Record<string, PromMetricType>,
    help: Object.create(null) as Record<string, string>,
  };
  const lines = typeof text === "string" ? text.split("\n") : [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "") continue;
    const outcome = line.trimStart().startsWith("#") ? readComment(line, result) : readSample(line);
    if (typeof outcome === "string") result.errors.push({ line: i + 1, message: outcome });
    else if (outcome !== undefined) result.samples.push(outcome);
  }
  return result;
}

/** Records HELP/TYPE; other comments are ignored. Returns an error message, or undefined. */
function readComment(line: string, result: PromParseResult): string | undefined {
  const match = /^\s*#\s+(HELP|TYPE)\s+(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (match === null) return undefined;
  const [, keyword, name = "", rest = ""] = match;
  if (keyword === "HELP") {
    const unescaped = unescapeText(rest, false);
    if (unescaped === undefined) return `bad escape sequence in HELP for ${name}`;
    result.help[name] = unescaped;
    return undefined;
  }
  const type = rest.trim();
  if (!METRIC_TYPES.has(type)) return `unknown metric type "${type}" for ${name}`;
  result.types[name] = type as PromMetricType;
  return undefined;
}

/** A tiny cursor over one line. */
interface Cursor {
  s: string;
  pos: number;
}

function readSample(line: string): PromSample | string {
  const c: Cursor = { s: line, pos: 0 };
  skipSpace(c);
  let name = readIdentifier(c, true);
  const labels = Object.create(null) as Record<string, string>;
  let separatorStart = c.pos;
  skipSpace(c);
  if (c.s[c.pos] === "{") {
    c.pos++;
    const read = readLabels(c, labels, name === "");
    if (typeof read === "string") return read;
    if (read.quotedName !== undefined) name = read.quotedName;
    separatorStart = c.pos;
    skipSpace(c);
  }
  if (name === "") return "expected a metric name";
  if (c.pos === separatorStart && c.pos < c.s.length) return `unexpected character "${c.s[c.pos]}" after ${name}`;
  const valueToken = readToken(c);
  if (valueToken === "") return `missing value for ${name}`;
  const value = parseValue(valueToken);
  if (value === undefined) return `bad value "${valueToken}" for ${name}`;
  const sample: PromSample = { name, labels, value };
  skipSpace(c);
  const timestampToken = readToken(c);
  if (timestampToken !== "" && !timestampToken.startsWith("#")) {
    if (!INTEGER.test(timestampToken)) return `bad timestamp "${timestampToken}" for ${name}`;
    sample.timestampMs = Number(timestampToken);
    skipSpace(c);
  } else if (timestampToken.startsWith("#")) {
    // OpenMetrics exemplar (`# {trace_id="..."} 1`): not part of the sample.
    return sample;
  }
  if (c.pos < c.s.length && c.s[c.pos] !== "#") return `unexpected text after the value of ${name}`;
  return sample;
}

/** Reads `name="value",...}`. With `nameMayBeQuoted`, a lone quoted string is the metric name (UTF-8 names). */
function readLabels(
  c: Cursor,
  labels: Record<string, string>,
  nameMayBeQuoted: boolean,
): { quotedName?: string } | string {
  const found: { quotedName?: string } = {};
  for (;;) {
    skipSpace(c);
    if (c.s[c.pos] === "}") {
      c.pos++;
      return found;
    }
    let labelName: string | undefined;
    if (c.s[c.pos] === '"') {
      c.pos++;
      labelName = readQuoted(c);
      if (labelName === undefined) return "unterminated or badly escaped quoted name";
    } else {
      labelName = readIdentifier(c, false);
      if (labelName === "") return `bad label name at column ${c.pos + 1}`;
    }
    skipSpace(c);
    if (c.s[c.pos] !== "=") {
      if (nameMayBeQuoted && found.quotedName === undefined && (c.s[c.pos] === "," || c.s[c.pos] === "}")) {
        found.quotedName = labelName;
        if (c.s[c.pos] === ",") c.pos++;
        continue;
      }
      return `expected "=" after label ${labelName}`;
    }
    c.pos++;
    skipSpace(c);
    if (c.s[c.pos] !== '"') return `expected a quoted value for label ${labelName}`;
    c.pos++;
    const value = readQuoted(c);
    if (value === undefined) return `unterminated or badly escaped value for label ${labelName}`;
    if (Object.hasOwn(labels, labelName)) return `duplicate label ${labelName}`;
    labels[labelName] = value;
    skipSpace(c);
    if (c.s[c.pos] === ",") c.pos++;
    else if (c.s[c.pos] !== "}") return `expected "," or "}" after label ${labelName}`;
  }
}

/** Reads up to and including the closing quote; the opening quote is already consumed. */
function readQuoted(c: Cursor): string | undefined {
  const start = c.pos;
  let escaped = false;
  while (c.pos < c.s.length) {
    const ch = c.s[c.pos];
    if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (ch === '"') {
      const raw = c.s.slice(start, c.pos);
      c.pos++;
      return unescapeText(raw, true);
    }
    c.pos++;
  }
  return undefined;
}

/** Undoes `\\`, `\n` and (in label values) `\"`. Returns undefined on any other escape. */
function unescapeText(raw: string, allowQuote: boolean): string | undefined {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = raw[++i];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === '"' && allowQuote) out += '"';
    else if (!allowQuote)
      out += `\\${next ?? ""}`; // HELP text: unknown escapes are kept as written
    else return undefined;
  }
  return out;
}

function readIdentifier(c: Cursor, allowColon: boolean): string {
  const start = c.pos;
  while (c.pos < c.s.length) {
    const code = c.s.charCodeAt(c.pos);
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
    const isDigit = code >= 48 && code <= 57;
    const isColon = code === 58 && allowColon;
    if (!(isLetter || isColon || (isDigit && c.pos > start))) break;
    c.pos++;
  }
  return c.s.slice(start, c.pos);
}

function readToken(c: Cursor): string {
  const start = c.pos;
  while (c.pos < c.s.length && c.s[c.pos] !== " " && c.s[c.pos] !== "\t") c.pos++;
  return c.s.slice(start, c.pos);
}

function skipSpace(c: Cursor): void {
  while (c.s[c.pos] === " " || c.s[c.pos] === "\t") c.pos++;
}

/** Go `strconv.ParseFloat` semantics for the forms exporters write; `Number()` alone accepts too much (`""`, `0x1`). */
function parseValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  return SPECIAL_FLOATS.get(token.toLowerCase());
}

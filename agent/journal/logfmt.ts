// logfmt as Go's slog TextHandler writes it (Alloy's log format): `key=value key="quoted \"value\""`.
// Lenient: a line that is not logfmt yields whatever pairs can be read, never an exception.

/** Pairs in order of appearance; a key without `=` gets the empty value, a repeated key keeps its last value. */
export function parseLogfmt(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== "=" && !isSpace(line.charCodeAt(i))) i++;
    const key = line.slice(keyStart, i);
    if (line[i] !== "=") {
      if (key !== "") pairs.set(key, "");
      continue;
    }
    i++; // past "="
    let value: string;
    if (line[i] === '"') {
      const end = closingQuote(line, i + 1);
      value = unquoteGo(line.slice(i + 1, end));
      i = end + 1;
    } else {
      const valueStart = i;
      while (i < n && !isSpace(line.charCodeAt(i))) i++;
      value = line.slice(valueStart, i);
    }
    if (key !== "") pairs.set(key, value);
  }
  return pairs;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Index of the `"` closing a quoted value starting at `from`; the line's end when it is unterminated. */
function closingQuote(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === "\\") i++;
    else if (line[i] === '"') return i;
  }
  return line.length;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\u0007",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/** The body of a Go double-quoted string (strconv.Quote output) back to its text; unknown escapes kept as written. */
export function unquoteGo(body: string): string {
  if (!body.includes("\\")) return body;
  let out = "";
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    out += new TextDecoder().decode(new Uint8Array(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\" || i + 1 >= body.length) {
      flushBytes();
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      flushBytes();
      out += simple;
      i++;
      continue;
    }
    // \xHH and \ooo are bytes (a UTF-8 sequence may span several); \u and \U are code points.
    const hexByte = next === "x" ? /^[0-9a-fA-F]{2}/.exec(body.slice(i + 2)) : null;
    const octByte = /[0-7]/.test(next) ? /^[0-7]{3}/.exec(body.slice(i + 1)) : null;
    const unicode =
      next === "u"
        ? /^[0-9a-fA-F]{4}/.exec(body.slice(i + 2))
        : next === "U"
          ? /^[0-9a-fA-F]{8}/.exec(body.slice(i + 2))
          : null;
    if (hexByte) {
      bytes.push(Number.parseInt(hexByte[0], 16));
      i += 3;
    } else if (octByte) {
      bytes.push(Number.parseInt(octByte[0], 8) & 0xff);
      i += 3;
    } else if (unicode) {
      flushBytes();
      const code = Number.parseInt(unicode[0], 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
      i += 1 + unicode[0].length;
    } else {
      flushBytes();
      out += ch;
    }
  }
  flushBytes();
  return out;
}

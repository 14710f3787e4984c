// String literals: quoting a value the way Go's strconv.Quote does (what Alloy writes) and decoding literals.
// Alloy string escapes are Go's, minus `\'`; raw backtick strings have no escapes and drop `\r`.

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/** Go's `%q` / strconv.Quote: a double-quoted literal that Alloy reads back as exactly `value`. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** Quotes a value as an Alloy string literal (same as `goQuote`; named for what callers mean). */
export function alloyString(value: string): string {
  return goQuote(value);
}

const SIMPLE_UNESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 0x5c,
  '"': 0x22,
};

/**
 * The value of a string literal as written in source (`"a\tb"` or `` `raw` ``), or undefined when it is not a
 * valid literal. Parsed files only hold valid literals, so undefined there means "not a string".
 */
export function unquoteAlloyString(lit: string): string | undefined {
  if (lit.length >= 2 && lit.startsWith("`") && lit.endsWith("`")) {
    const inner = lit.slice(1, -1);
    return inner.includes("`") ? undefined : inner.replaceAll("\r", "");
  }
  if (lit.length < 2 || !lit.startsWith('"') || !lit.endsWith('"')) return undefined;
  const inner = lit.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let i = 0;
  while (i < inner.length) {
    const ch = inner[i] ?? "";
    if (ch === '"' || ch === "\n") return undefined;
    if (ch !== "\\") {
      const cp = inner.codePointAt(i) ?? 0;
      const s = String.fromCodePoint(cp);
      bytes.push(...enc.encode(s));
      i += s.length;
      continue;
    }
    const e = inner[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_UNESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    if (e >= "0" && e <= "7") {
      const oct = inner.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = Number.parseInt(oct, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen === 0) return undefined;
    const hex = inner.slice(i + 2, i + 2 + hexLen);
    if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const v = Number.parseInt(hex, 16);
    if (e === "x") bytes.push(v);
    else {
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
      bytes.push(...enc.encode(String.fromCodePoint(v)));
    }
    i += 2 + hexLen;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

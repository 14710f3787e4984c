import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALLOY_CORPUS, listFiles } from "./corpus.test-helpers.js";
import { parseAlloy, parseAlloyExpression, unquoteAlloyString } from "./index.js";
import { Scanner } from "./scanner.js";
import { LineTable } from "./source.js";

const ERROR_COMMENT = /^\/\* *ERROR *(HERE)? *"([^"]*)" *\*\/$/;
const LITERAL_TOKENS = new Set(["IDENT", "NUMBER", "FLOAT", "STRING"]);

// Expected errors by byte offset, read from the corpus ERROR comments the way upstream error_test.go does.
function expectedErrors(src: Uint8Array): Map<number, string> {
  const expected = new Map<number, string>();
  const sc = new Scanner(src, new LineTable(), () => {});
  let prev = 0;
  let here = 0;
  for (let t = sc.scan(); t.tok !== "EOF"; t = sc.scan()) {
    if (t.tok === "COMMENT") {
      const m = ERROR_COMMENT.exec(t.lit);
      if (m?.[2] !== undefined) expected.set(m[1] ? here : prev, m[2]);
      continue;
    }
    if (t.tok === "TERMINATOR" && t.lit === "\n") continue;
    prev = t.pos;
    here = prev + (LITERAL_TOKENS.has(t.tok) ? new TextEncoder().encode(t.lit).length : t.tok.length);
  }
  return expected;
}

describe("valid Alloy files parse with no error", () => {
  const files = listFiles(join(ALLOY_CORPUS, "valid"));
  it("finds the corpus", () => expect(files.length).toBeGreaterThanOrEqual(207));
  it.each(files.map((f) => [f.slice(ALLOY_CORPUS.length), f]))("%s", (_name, file) => {
    const res = parseAlloy(readFileSync(file), file);
    expect(res.ok ? [] : res.errors).toEqual([]);
  });
});

describe("invalid Alloy files report every annotated error at its position", () => {
  const files = listFiles(join(ALLOY_CORPUS, "invalid"));
  it.each(files.map((f) => [f.slice(ALLOY_CORPUS.length), f]))("%s", (_name, file) => {
    const src = new Uint8Array(readFileSync(file));
    const expected = expectedErrors(src);
    expect(expected.size).toBeGreaterThan(0);
    const res = parseAlloy(src, file);
    expect(res.ok).toBe(false);
    const errors = res.ok ? [] : res.errors;
    for (const e of errors) {
      const rx = expected.get(e.offset);
      expect(rx, `unexpected error ${e.line}:${e.column}: ${e.message}`).toBeDefined();
      expect(e.message).toMatch(new RegExp(rx ?? ""));
      expected.delete(e.offset);
    }
    expect([...expected.values()], "errors not reported").toEqual([]);
  });

  it("gives line and column of each error", () => {
    const res = parseAlloy(readFileSync(join(ALLOY_CORPUS, "invalid/commas.alloy")), "commas.alloy");
    expect(res.ok ? [] : res.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [6, 4, "missing ',' in expression list"],
      [12, 14, "missing ',' in field list"],
    ]);
  });
});

describe("fuzz seeds return errors or a tree without throwing", () => {
  const seeds = listFiles(join(ALLOY_CORPUS, "fuzz"));
  it.each(seeds.map((f) => [f.slice(ALLOY_CORPUS.length), f]))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const lit = /\[\]byte\(("(?:[^"\\]|\\.)*")\)/.exec(text)?.[1];
    const input = lit === undefined ? undefined : unquoteAlloyString(lit);
    expect(input).toBeDefined();
    const res = parseAlloy(input ?? "");
    expect(res.ok ? res.file.body : res.errors.length).toBeTruthy();
  });
});

describe("syntax gotchas from the reference", () => {
  const cases: [string, string, string | null][] = [
    ["\\' is rejected", `a = "it\\'s"\n`, "unknown escape sequence"],
    ["single quotes are illegal", `a = 'x'\n`, "illegal single-quoted string; use double quotes"],
    ["no hex literals", "a = 0x10\n", "expected TERMINATOR, got IDENT"],
    ["labels must be identifiers", `b "x-y" { }\n`, `expected block label to be a valid identifier, but got "x-y"`],
    ["multi-line arrays need a trailing comma", "a = [\n1\n]\n", "missing ',' in expression list"],
    ["unterminated string", `a = "x\n`, "string literal not terminated"],
    ["unterminated block comment", "a = 1 /* x", "block comment not terminated"],
    ["octal literal parses", "a = 010\n", null],
    ["all escapes parse", `a = "\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\101\\x41\\u0041\\U00000041"\n`, null],
    ["raw strings span lines", "a = `x\ny`\n", null],
    ["precedence and calls", "a = -f(1, b.c[0])^2^3 * 4 + 5 == 6 || !x && y\n", null],
  ];
  it.each(cases)("%s", (_name, src, message) => {
    const res = parseAlloy(src);
    if (message === null) expect(res.ok ? [] : res.errors).toEqual([]);
    else expect(res.ok ? [] : res.errors.map((e) => e.message)).toContain(message);
  });

  it("builds right-associative ^ and left-associative -", () => {
    const pow = parseAlloyExpression("a ^ b ^ c");
    expect(pow.ok && pow.expr.type === "binary" && pow.expr.right.type === "binary").toBe(true);
    const sub = parseAlloyExpression("a - b - c");
    expect(sub.ok && sub.expr.type === "binary" && sub.expr.left.type === "binary").toBe(true);
  });

  it("keeps comments in the tree", () => {
    const res = parseAlloy("// head\na = 1 // tail\n/* b */\n");
    expect(res.ok ? res.file.comments.map((g) => g.map((c) => c.text)) : []).toEqual([
      ["// head"],
      ["// tail", "/* b */"],
    ]);
  });
});

describe("the parser never throws or hangs", () => {
  const fragment = fc.constantFrom(
    "a",
    "b.c",
    " ",
    "\n",
    "=",
    "==",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    ".",
    '"',
    '"s"',
    "`",
    "'",
    "\\",
    "//",
    "/*",
    "*/",
    "1",
    "1.5e",
    ".5",
    "true",
    "null",
    "!",
    "-",
    "^",
    "+",
    "|",
    "&",
    "\u00e9",
    "\uFEFF",
    "\0",
  );
  it("on token soup", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }), (parts) => {
        const res = parseAlloy(parts.join(""));
        expect(typeof res.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
  it("on arbitrary strings and bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => void parseAlloy(s)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array(), (b) => void parseAlloy(b)),
      { numRuns: 1000 },
    );
  });
  it("on very deep nesting", () => {
    const res = parseAlloy(`a = ${"[".repeat(100_000)}`);
    expect(res.ok).toBe(false);
  });
});

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALLOY_CORPUS, listFiles, referenceAlloyBlock } from "./corpus.test-helpers.js";
import { AlloySyntaxErrors, formatAlloy, parseAlloy } from "./index.js";

const FMT = join(ALLOY_CORPUS, "fmt");
const REAL = join(ALLOY_CORPUS, "valid/real");

/**
 * Files of valid/real that upstream's formatter changes. Read from not-fmt-stable.txt when the corpus has it;
 * otherwise the rule from reference/alloy.md §4: integration-test configs except 7, plus 3 examples.
 */
function notFmtStable(file: string): boolean {
  const list = join(ALLOY_CORPUS, "not-fmt-stable.txt");
  try {
    const names = readFileSync(list, "utf8")
      .split("\n")
      .map((s) => s.trim());
    return names.some((n) => n !== "" && (file.endsWith(`/${n}`) || basename(n) === basename(file)));
  } catch {
    const name = basename(file, ".alloy");
    const stableIntegration = [
      "loki-api",
      "loki-azure-event-hubs",
      "loki-firehose",
      "loki-gcplog",
      "loki-gelf",
      "loki-heroku",
      "oracledb",
    ];
    if (name.startsWith("integration-tests__")) return !stableIntegration.some((s) => name.endsWith(`__${s}`));
    return ["example__docker-compose__config__alloy", "extension__alloyengine__valid", "packaging"].includes(name);
  }
}

describe("formatting matches upstream's golden files byte for byte", () => {
  const inputs = listFiles(FMT).filter((f) => f.endsWith(".in"));
  it.each(inputs.map((f) => [basename(f), f]))("%s", (_name, file) => {
    const src = readFileSync(file, "utf8");
    const errorFile = file.replace(/\.in$/, ".error");
    if (inputs.includes(file) && listFiles(FMT).includes(errorFile)) {
      const want = readFileSync(errorFile, "utf8").replaceAll("\r\n", "\n");
      expect(() => formatAlloy(src)).toThrow(AlloySyntaxErrors);
      expect(() => formatAlloy(src)).toThrow(want);
      return;
    }
    // Upstream compares against the golden trimmed of trailing space; `alloy fmt` then adds one newline.
    const want = `${readFileSync(file.replace(/\.in$/, ".expect"), "utf8").trimEnd()}\n`;
    expect(formatAlloy(src)).toBe(want);
  });
});

describe("already formatted real configs are left unchanged", () => {
  const files = listFiles(REAL);
  const stable = files.filter((f) => !notFmtStable(f));
  it("covers the 166 fmt-stable files", () => expect(stable.length).toBe(166));
  it.each(stable.map((f) => [basename(f), f]))("%s", (_name, file) => {
    const src = readFileSync(file, "utf8");
    expect(formatAlloy(src)).toBe(src);
  });

  it.each(files.filter(notFmtStable).map((f) => [basename(f), f]))("reformats %s, and that is stable", (_n, file) => {
    const src = readFileSync(file, "utf8");
    const once = formatAlloy(src);
    expect(once).not.toBe(src);
    expect(formatAlloy(once)).toBe(once);
  });
});

describe("formatting rules the config generator relies on", () => {
  it("keeps the reference bootstrap config byte-identical", () => {
    const bootstrap = referenceAlloyBlock("### 1.9 Minimal bootstrap config");
    expect(bootstrap).toContain("prometheus.exporter.self");
    expect(formatAlloy(bootstrap)).toBe(bootstrap);
  });

  const cases: [string, string, string][] = [
    ["aligns = on consecutive attributes", "a = 1\nlonger = 2\n", "a      = 1\nlonger = 2\n"],
    ["indents with tabs", "b {\n  x = 1\n}\n", "b {\n\tx = 1\n}\n"],
    ["forces a blank line before a non-first block", "a = 1\nb { }\nc { }\n", "a = 1\n\nb { }\n\nc { }\n"],
    ["prints empty blocks as { }", "b {\n\n}\n", "b { }\n"],
    ["drops an empty label", 'b "" {}\n', "b { }\n"],
    ["keeps at most one blank line", "a = 1\n\n\n\nb = 2\n", "a = 1\n\nb = 2\n"],
    ["ends with one newline", "a = 1\n\n\n", "a = 1\n"],
    ["formats an empty file as one newline", "", "\n"],
    ["spaces binary operators", "a=1+2*3", "a = 1 + 2 * 3\n"],
    ["keeps a space between a number and .", "a = (1).b\n", "a = (1).b\n"],
  ];
  it.each(cases)("%s", (_name, src, want) => expect(formatAlloy(src)).toBe(want));
});

describe("formatting is total on parseable input", () => {
  const fragment = fc.constantFrom(
    "a",
    "b.c",
    ' "l"',
    " ",
    "\n",
    "\n\n",
    " = ",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    "1",
    '"s"',
    "`r\n`",
    "// c\n",
    "/* c */",
    "true",
    "+",
    "-",
  );
  it("prints every parseable token soup to text that parses again", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (parts) => {
        const res = parseAlloy(parts.join(""));
        if (!res.ok) return;
        const out = formatAlloy(res.file);
        expect(parseAlloy(out).ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

// Builders for generating Alloy config safely: values are quoted, names validated, output is `alloy fmt` text.
// Generated text is parsed back before printing, so a builder can never emit a config Alloy would reject.

import { formatAlloy } from "./format.js";
import { formatSyntaxError, parseAlloyExpression } from "./parser.js";
import { goQuote } from "./quote.js";
import { isValidIdentifier } from "./scanner.js";

/** Thrown for names or expressions that are not valid Alloy; `reason` says which. */
export class AlloyBuildError extends Error {
  constructor(
    readonly reason: "invalid_identifier" | "invalid_expression" | "invalid_value",
    message: string,
  ) {
    super(message);
    this.name = "AlloyBuildError";
  }
}

/** A verbatim Alloy expression (a reference like `a.b.c.targets`, a call like `sys.env("X")`). */
export class AlloyExpression {
  constructor(readonly text: string) {}
}

/** An object printed on one line: `{"k" = "v"}`. Plain JS objects print one field per line. */
export class InlineObject {
  constructor(readonly fields: Readonly<Record<string, AlloyValue>>) {}
}

export type AlloyValue =
  | string
  | number
  | boolean
  | null
  | AlloyExpression
  | InlineObject
  | readonly AlloyValue[]
  | { readonly [key: string]: AlloyValue };

export type AlloyItem =
  | { kind: "attribute"; name: string; value: AlloyValue }
  | { kind: "block"; name: string; label: string; body: AlloyItem[] }
  | { kind: "comment"; text: string }
  | { kind: "blank" };

function checkIdentifier(name: string): void {
  if (!isValidIdentifier(name)) {
    throw new AlloyBuildError(
      "invalid_identifier",
      `"${name}" is not a valid Alloy identifier; use letters, digits and _`,
    );
  }
}

/** An expression, checked to parse as exactly one Alloy expression. */
export function alloyExpr(text: string): AlloyExpression {
  const parsed = parseAlloyExpression(text);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new AlloyBuildError(
      "invalid_expression",
      `not an Alloy expression: ${first ? formatSyntaxError(first) : text}`,
    );
  }
  return new AlloyExpression(text);
}

/** A reference to a component export, e.g. `alloyRef("otelcol.exporter.otlphttp.linkmesh", "input")`. */
export function alloyRef(...path: string[]): AlloyExpression {
  const parts = path.flatMap((p) => p.split("."));
  for (const p of parts) checkIdentifier(p);
  return new AlloyExpression(parts.join("."));
}

export function inlineObject(fields: Readonly<Record<string, AlloyValue>>): InlineObject {
  return new InlineObject(fields);
}

export function attr(name: string, value: AlloyValue): AlloyItem {
  checkIdentifier(name);
  return { kind: "attribute", name, value };
}

/** A block `name "label" { ... }`; name may be dotted, label "" means none. */
export function block(name: string, label: string, body: AlloyItem[] = []): AlloyItem {
  for (const part of name.split(".")) checkIdentifier(part);
  if (label !== "") checkIdentifier(label);
  return { kind: "block", name, label, body };
}

/** A `//` comment line (text without the slashes; newlines are not allowed). */
export function comment(text: string): AlloyItem {
  if (/[\r\n]/.test(text)) throw new AlloyBuildError("invalid_value", "a comment must be a single line");
  return { kind: "comment", text };
}

export const blankLine: AlloyItem = { kind: "blank" };

function isPlainObject(v: AlloyValue): v is { readonly [key: string]: AlloyValue } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof AlloyExpression) &&
    !(v instanceof InlineObject)
  );
}

function renderValue(v: AlloyValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new AlloyBuildError("invalid_value", `${v} cannot be written in Alloy`);
    return String(v);
  }
  if (v instanceof AlloyExpression) return v.text;
  if (v instanceof InlineObject) {
    return `{${Object.entries(v.fields)
      .map(([k, x]) => `${goQuote(k)} = ${renderValue(x)}`)
      .join(", ")}}`;
  }
  if (Array.isArray(v)) {
    const items: readonly AlloyValue[] = v;
    if (items.some((x) => isPlainObject(x))) return `[\n${items.map((x) => `${renderValue(x)},\n`).join("")}]`;
    return `[${items.map(renderValue).join(", ")}]`;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, x]) => `${goQuote(k)} = ${renderValue(x)},\n`).join("")}}`;
  }
  throw new AlloyBuildError("invalid_value", "unsupported value");
}

function renderItem(it: AlloyItem): string {
  switch (it.kind) {
    case "attribute":
      return `${it.name} = ${renderValue(it.value)}\n`;
    case "block":
      return `${it.name}${it.label ? ` ${goQuote(it.label)}` : ""} {\n${renderItems(it.body)}}\n`;
    case "comment":
      return `// ${it.text}\n`;
    case "blank":
      return "\n";
  }
}

function renderItems(items: readonly AlloyItem[]): string {
  return items.map(renderItem).join("");
}

/** Renders items as a formatted Alloy file (what `alloy fmt` would print). */
export function renderAlloy(items: readonly AlloyItem[]): string {
  return formatAlloy(renderItems(items));
}

// Collects errors and warnings while reading a config, placing each at its line/column in the YAML source.
import { type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, type LineCounter } from "yaml";
import type {
  OtelcolConfigError,
  OtelcolConfigErrorReason,
  OtelcolConfigWarning,
  OtelcolConfigWarningReason,
} from "./types.js";

export type YamlPath = readonly (string | number)[];

export class Problems {
  readonly errors: OtelcolConfigError[] = [];
  readonly warnings: OtelcolConfigWarning[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  error(reason: OtelcolConfigErrorReason, message: string, path: YamlPath): void {
    this.errors.push({ reason, message, ...this.place(path) });
  }

  warn(reason: OtelcolConfigWarningReason, message: string, path: YamlPath): void {
    this.warnings.push({ reason, message, ...this.place(path) });
  }

  private place(path: YamlPath): {
    path: string;
    line?: number;
    column?: number;
  } {
    const where = { path: formatPath(path) };
    const offset = locate(this.doc, path);
    if (offset === undefined) return where;
    const pos = this.lines.linePos(offset);
    return { ...where, line: pos.line, column: pos.col };
  }
}

export function formatPath(path: YamlPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Start offset of the deepest node found along `path` (a map entry's key when its value is empty). */
function locate(doc: Document, path: YamlPath): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (pair === undefined) return best;
      best = rangeStart(pair.key) ?? best;
      node = pair.value;
      // Prefer the key for map entries: "receivers:" is where a reader looks for "receivers".
      continue;
    }
    if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      best = rangeStart(node) ?? best;
      continue;
    }
    return best;
  }
  return best;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

// formatAlloy: source or tree -> canonical `alloy fmt` text; throws a typed error when the source does not parse.

import type { AlloyFile } from "./ast.js";
import { type AlloySyntaxError, formatSyntaxError, parseAlloy } from "./parser.js";
import { printAlloyFile } from "./printer.js";

/** Thrown by formatAlloy when the source has syntax errors; `errors` lists all of them. */
export class AlloySyntaxErrors extends Error {
  readonly reason = "alloy_syntax_error";
  constructor(readonly errors: AlloySyntaxError[]) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more diagnostics)` : "";
    super(
      first
        ? `${formatSyntaxError(first)}${more}; fix the Alloy syntax at that position`
        : "Alloy config did not parse",
    );
    this.name = "AlloySyntaxErrors";
  }
}

/**
 * Formats Alloy source (or an already parsed file) exactly as `alloy fmt` would, ending in one newline.
 * Throws AlloySyntaxErrors when given source that does not parse.
 */
export function formatAlloy(src: string | AlloyFile, filename = ""): string {
  if (typeof src !== "string") return printAlloyFile(src);
  const parsed = parseAlloy(src, filename);
  if (!parsed.ok) throw new AlloySyntaxErrors(parsed.errors);
  return printAlloyFile(parsed.file);
}

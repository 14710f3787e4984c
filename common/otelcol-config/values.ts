// Small readers over YAML-decoded values: plain data in, typed data out, `${...}` references kept as strings.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A `${env:X}` / `${file:...}` / `${X}` reference, resolved by the collector at startup, not by us. */
export function isReference(value: unknown): value is string {
  return typeof value === "string" && hasReference(value);
}

export function hasReference(text: string): boolean {
  return text.includes("${");
}

/** Scalars as the collector's string fields see them; undefined for maps, lists and null. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}

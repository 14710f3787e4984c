// The five component sections (receivers, processors, exporters, connectors, extensions): id -> settings.
import { parseComponentId } from "./component-id.js";
import type { Problems } from "./problems.js";
import type { ComponentSection } from "./types.js";
import { isPlainObject, isReference } from "./values.js";

export const SECTION_KEYS = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export function readSection(value: unknown, key: SectionKey, problems: Problems): ComponentSection {
  if (value === undefined || value === null) return { settings: {} };
  if (isReference(value)) {
    problems.warn(
      "unresolved_reference",
      `${key} is ${value}, resolved by the collector at startup; ids used from it are trusted.`,
      [key],
    );
    return { settings: {}, unresolved: value };
  }
  if (!isPlainObject(value)) {
    problems.error("invalid_section", `${key} must be a mapping of component ids (type[/name]) to settings.`, [key]);
    return { settings: {} };
  }
  const settings: Record<string, unknown> = {};
  for (const [id, componentSettings] of Object.entries(value)) {
    const check = parseComponentId(id);
    if (!check.ok) {
      problems.error(check.reason, `${key}: ${check.message}`, [key, id]);
      continue;
    }
    if (componentSettings !== null && !isPlainObject(componentSettings) && !isReference(componentSettings)) {
      problems.error("invalid_section", `${key}::${id}: settings must be a mapping (or empty).`, [key, id]);
      continue;
    }
    settings[id] = componentSettings;
  }
  return { settings };
}

export function defines(section: ComponentSection, id: string): boolean {
  return Object.hasOwn(section.settings, id);
}

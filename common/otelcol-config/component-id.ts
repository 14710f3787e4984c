// Component and pipeline ids: `type[/name]` and `signal[/name]`, validated as the collector does
// (`component/identifiable.go`, `pipeline/pipeline.go`).
import type { Signal } from "../model/index.js";

const TYPE_PATTERN = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
// No separators (spaces), control characters or symbols; 1..1024 characters.
const NAME_PATTERN = /^[^\p{Z}\p{C}\p{S}]{1,1024}$/u;
const SIGNALS: readonly Signal[] = ["traces", "metrics", "logs", "profiles"];

export interface ComponentId {
  type: string;
  name?: string;
}

export type IdCheck<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      reason: "invalid_component_id" | "invalid_pipeline_id" | "unknown_pipeline_signal";
      message: string;
    };

export function parseComponentId(id: string): IdCheck<ComponentId> {
  const slash = id.indexOf("/");
  const type = slash < 0 ? id : id.slice(0, slash);
  if (!TYPE_PATTERN.test(type)) {
    return {
      ok: false,
      reason: "invalid_component_id",
      message: `"${id}": the type "${type}" must start with a letter and hold only letters, digits and "_" (at most 63).`,
    };
  }
  if (slash < 0) return { ok: true, value: { type } };
  const name = id.slice(slash + 1);
  if (!NAME_PATTERN.test(name)) {
    return {
      ok: false,
      reason: "invalid_component_id",
      message: `"${id}": the name after "/" must be 1 to 1024 characters without spaces, control characters or symbols.`,
    };
  }
  return { ok: true, value: { type, name } };
}

export function parsePipelineId(id: string): IdCheck<{ signal: Signal; name?: string }> {
  const slash = id.indexOf("/");
  const signal = slash < 0 ? id : id.slice(0, slash);
  const known = SIGNALS.find((s) => s === signal);
  if (known === undefined) {
    return {
      ok: false,
      reason: "unknown_pipeline_signal",
      message: `pipeline "${id}": unknown signal "${signal}"; a pipeline id is traces, metrics, logs or profiles, optionally followed by "/name".`,
    };
  }
  if (slash < 0) return { ok: true, value: { signal: known } };
  const name = id.slice(slash + 1);
  if (!NAME_PATTERN.test(name)) {
    return {
      ok: false,
      reason: "invalid_pipeline_id",
      message: `pipeline "${id}": the name after "/" must be non-empty, without spaces or symbols.`,
    };
  }
  return { ok: true, value: { signal: known, name } };
}

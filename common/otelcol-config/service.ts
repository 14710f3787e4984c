// The `service` block: enabled extensions, pipelines (`signal[/name]` -> receivers, processors, exporters), telemetry.
import { parseComponentId, parsePipelineId } from "./component-id.js";
import type { Problems, YamlPath } from "./problems.js";
import { defaultTelemetry, readTelemetry } from "./telemetry.js";
import type { OtelcolConfig, OtelcolPipeline, PipelineRole } from "./types.js";
import { hasReference, isPlainObject, isReference, scalarText } from "./values.js";

const SERVICE_KEYS = new Set(["telemetry", "extensions", "pipelines"]);
const ROLES: readonly PipelineRole[] = ["receivers", "processors", "exporters"];

export function readService(value: unknown, problems: Problems): OtelcolConfig["service"] {
  const service: OtelcolConfig["service"] = {
    extensions: [],
    pipelines: [],
    telemetry: defaultTelemetry(),
  };
  if (value === undefined || value === null) {
    problems.error("no_pipelines", "The config has no service section, so no pipeline runs; add service.pipelines.", [
      "service",
    ]);
    return service;
  }
  if (!isPlainObject(value)) {
    problems.error("invalid_section", "service must be a mapping (extensions, pipelines, telemetry).", ["service"]);
    return service;
  }
  for (const key of Object.keys(value)) {
    if (!SERVICE_KEYS.has(key)) {
      problems.error(
        "unknown_key",
        `service has an unknown key "${key}"; the collector refuses to start. Known keys: extensions, pipelines, telemetry.`,
        ["service", key],
      );
    }
  }
  service.telemetry = readTelemetry(value.telemetry, ["service", "telemetry"], problems);

  const extensions = readIdList(value.extensions, ["service", "extensions"], problems);
  service.extensions = extensions.ids;

  const pipelines = value.pipelines;
  if (isReference(pipelines)) {
    service.pipelinesUnresolved = pipelines;
    problems.warn(
      "unresolved_reference",
      `service.pipelines is ${pipelines}, resolved by the collector at startup; the data flow is unknown here.`,
      ["service", "pipelines"],
    );
  } else if (isPlainObject(pipelines) && Object.keys(pipelines).length > 0) {
    for (const [id, body] of Object.entries(pipelines)) {
      const pipeline = readPipeline(id, body, problems);
      if (pipeline !== undefined) service.pipelines.push(pipeline);
    }
  } else if (pipelines !== undefined && pipelines !== null && !isPlainObject(pipelines)) {
    problems.error("invalid_section", "service.pipelines must be a mapping of pipeline ids to pipelines.", [
      "service",
      "pipelines",
    ]);
  } else {
    problems.error("no_pipelines", "service.pipelines is empty: the collector needs at least one pipeline.", [
      "service",
      "pipelines",
    ]);
  }
  return service;
}

function readPipeline(id: string, body: unknown, problems: Problems): OtelcolPipeline | undefined {
  const path = ["service", "pipelines", id];
  const check = parsePipelineId(id);
  if (!check.ok) {
    problems.error(check.reason, `service::pipelines: ${check.message}`, path);
    return undefined;
  }
  if (body !== null && body !== undefined && !isPlainObject(body)) {
    problems.error(
      "invalid_pipeline",
      `pipeline "${id}" must be a mapping with receivers, processors, exporters.`,
      path,
    );
    return undefined;
  }
  const pipeline: OtelcolPipeline = {
    id,
    signal: check.value.signal,
    receivers: [],
    processors: [],
    exporters: [],
    unresolved: [],
  };
  for (const role of ROLES) {
    const list = readIdList(body?.[role], [...path, role], problems);
    pipeline[role] = list.ids;
    if (list.unresolved) pipeline.unresolved.push(role);
  }
  return pipeline;
}

/** A list of component ids; `${...}` lists and items are left out and flagged, invalid ids reported. */
function readIdList(value: unknown, path: YamlPath, problems: Problems): { ids: string[]; unresolved: boolean } {
  if (value === undefined || value === null) return { ids: [], unresolved: false };
  if (isReference(value)) {
    problems.warn(
      "unresolved_reference",
      `${value} is resolved by the collector at startup; its ids are unknown.`,
      path,
    );
    return { ids: [], unresolved: true };
  }
  if (!Array.isArray(value)) {
    problems.error("invalid_pipeline", `${path.join(".")} must be a list of component ids.`, path);
    return { ids: [], unresolved: false };
  }
  const ids: string[] = [];
  let unresolved = false;
  value.forEach((item: unknown, i) => {
    const id = scalarText(item);
    if (id === undefined) {
      problems.error("invalid_component_id", `${path.join(".")}[${i}] must be a component id.`, [...path, i]);
    } else if (hasReference(id)) {
      unresolved = true;
      problems.warn("unresolved_reference", `${id} is resolved by the collector at startup.`, [...path, i]);
    } else {
      const check = parseComponentId(id);
      if (check.ok) ids.push(id);
      else problems.error(check.reason, check.message, [...path, i]);
    }
  });
  return { ids, unresolved };
}

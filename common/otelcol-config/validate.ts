// Cross-checks the collector runs before starting: every pipeline reference is defined, connectors are used on both
// sides, pipelines joined by connectors form no cycle. Messages follow the collector's own wording where it has one.
import type { Problems } from "./problems.js";
import { defines, type SectionKey } from "./sections.js";
import type { OtelcolConfig, OtelcolPipeline, PipelineRole } from "./types.js";

export function validateConfig(config: OtelcolConfig, problems: Problems): void {
  checkAmbiguousConnectors(config, problems);
  checkServiceExtensions(config, problems);
  for (const pipeline of config.service.pipelines) checkPipeline(pipeline, config, problems);
  checkConnectorUse(config, problems);
  checkConnectorCycles(config, problems);
  warnUnused(config, problems);
}

/** Connectors are the components defined under `connectors` and not also defined as a receiver or exporter. */
export function connectorIds(config: OtelcolConfig): Set<string> {
  return new Set(Object.keys(config.connectors.settings));
}

function checkAmbiguousConnectors(config: OtelcolConfig, problems: Problems): void {
  for (const id of Object.keys(config.connectors.settings)) {
    for (const kind of ["receiver", "exporter"] as const) {
      if (defines(config[`${kind}s`], id)) {
        problems.error(
          "ambiguous_component_id",
          `connectors::${id}: ambiguous ID: found both "${id}" ${kind} and "${id}" connector. Rename one of them (e.g. "${id}" connector to "${id}/connector").`,
          ["connectors", id],
        );
      }
    }
  }
}

function checkServiceExtensions(config: OtelcolConfig, problems: Problems): void {
  if (config.extensions.unresolved !== undefined) return;
  config.service.extensions.forEach((id, i) => {
    if (!defines(config.extensions, id)) {
      problems.error(
        "undefined_extension",
        `service::extensions: references extension "${id}" which is not configured; define it under extensions.`,
        ["service", "extensions", i],
      );
    }
  });
}

function checkPipeline(pipeline: OtelcolPipeline, config: OtelcolConfig, problems: Problems): void {
  const path = ["service", "pipelines", pipeline.id];
  const known = (role: PipelineRole): boolean => pipeline[role].length > 0 || pipeline.unresolved.includes(role);
  if (!known("receivers")) {
    problems.error(
      "pipeline_missing_receivers",
      `service::pipelines::${pipeline.id}: must have at least one receiver.`,
      path,
    );
  }
  if (!known("exporters")) {
    problems.error(
      "pipeline_missing_exporters",
      `service::pipelines::${pipeline.id}: must have at least one exporter.`,
      path,
    );
  }
  const seen = new Set<string>();
  pipeline.processors.forEach((id, i) => {
    if (seen.has(id)) {
      problems.error(
        "duplicate_processor",
        `service::pipelines::${pipeline.id}: references processor "${id}" multiple times.`,
        [...path, "processors", i],
      );
    }
    seen.add(id);
  });

  const lookups: {
    role: PipelineRole;
    kind: string;
    sections: SectionKey[];
  }[] = [
    {
      role: "receivers",
      kind: "receiver",
      sections: ["receivers", "connectors"],
    },
    { role: "processors", kind: "processor", sections: ["processors"] },
    {
      role: "exporters",
      kind: "exporter",
      sections: ["exporters", "connectors"],
    },
  ];
  for (const { role, kind, sections } of lookups) {
    pipeline[role].forEach((id, i) => {
      const found = sections.some((s) => config[s].unresolved !== undefined || defines(config[s], id));
      if (!found) {
        problems.error(
          "undefined_component",
          `service::pipelines::${pipeline.id}: references ${kind} "${id}" which is not configured; define it under ${sections[0]}.`,
          [...path, role, i],
        );
      }
    });
  }
}

function checkConnectorUse(config: OtelcolConfig, problems: Problems): void {
  if (config.service.pipelinesUnresolved !== undefined) return;
  for (const id of connectorIds(config)) {
    const asExporter = config.service.pipelines.filter((p) => p.exporters.includes(id)).map((p) => p.id);
    const asReceiver = config.service.pipelines.filter((p) => p.receivers.includes(id)).map((p) => p.id);
    const anyUnresolved = config.service.pipelines.some((p) => p.unresolved.length > 0);
    if (anyUnresolved) continue;
    if (asExporter.length > 0 && asReceiver.length === 0) {
      problems.error(
        "connector_not_used_as_receiver",
        `connector "${id}" used as exporter in [${asExporter.join(", ")}] pipeline but not used in any supported receiver pipeline.`,
        ["connectors", id],
      );
    }
    if (asReceiver.length > 0 && asExporter.length === 0) {
      problems.error(
        "connector_not_used_as_exporter",
        `connector "${id}" used as receiver in [${asReceiver.join(", ")}] pipeline but not used in any supported exporter pipeline.`,
        ["connectors", id],
      );
    }
  }
}

/**
 * Pipelines joined through connectors must not loop back on themselves. Processors are instantiated per pipeline,
 * so the cycle check runs on pipelines (P -> Q when P exports to a connector Q receives from), not on components.
 */
function checkConnectorCycles(config: OtelcolConfig, problems: Problems): void {
  const connectors = connectorIds(config);
  const pipelines = config.service.pipelines;
  const next = new Map<string, { via: string; to: string }[]>();
  for (const from of pipelines) {
    const hops: { via: string; to: string }[] = [];
    for (const via of from.exporters.filter((id) => connectors.has(id))) {
      for (const to of pipelines.filter((p) => p.receivers.includes(via))) hops.push({ via, to: to.id });
    }
    next.set(from.id, hops);
  }

  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const reported = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, "visiting");
    trail.push(id);
    for (const hop of next.get(id) ?? []) {
      const seen = state.get(hop.to);
      if (seen === "visiting") {
        const cycle = [...trail.slice(trail.indexOf(hop.to)), hop.via, hop.to];
        const key = [...new Set(cycle)].sort().join(",");
        if (!reported.has(key)) {
          reported.add(key);
          problems.error(
            "connector_cycle",
            `cycle detected through connectors: ${cycle.join(" -> ")}. Data would loop forever; break the cycle.`,
            ["service", "pipelines", hop.to],
          );
        }
      } else if (seen === undefined) {
        trail.push(hop.via);
        visit(hop.to);
        trail.pop();
      }
    }
    trail.pop();
    state.set(id, "done");
  };
  for (const p of pipelines) if (!state.has(p.id)) visit(p.id);
}

function warnUnused(config: OtelcolConfig, problems: Problems): void {
  if (config.service.pipelinesUnresolved !== undefined) return;
  const used = new Set<string>();
  for (const p of config.service.pipelines)
    for (const id of [...p.receivers, ...p.processors, ...p.exporters]) used.add(id);
  for (const section of ["receivers", "processors", "exporters", "connectors"] as const) {
    for (const id of Object.keys(config[section].settings)) {
      if (!used.has(id)) {
        problems.warn(
          "unused_component",
          `${section}::${id} is configured but no pipeline uses it, so the collector does not run it.`,
          [section, id],
        );
      }
    }
  }
  const enabled = new Set(config.service.extensions);
  for (const id of Object.keys(config.extensions.settings)) {
    if (!enabled.has(id)) {
      problems.warn(
        "unused_component",
        `extensions::${id} is configured but not listed in service.extensions, so it does not run.`,
        ["extensions", id],
      );
    }
  }
}

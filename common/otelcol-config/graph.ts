// The data-flow graph of a loaded config: per pipeline, each receiver -> processors in order -> each exporter.
// A component used in several pipelines is one node; a connector is one processor-kind node joining pipelines.
import type { Component, ComponentGraph, ComponentKind, GraphEdge, OtelcolSection, Signal } from "../model/index.js";
import type { OtelcolPipeline } from "./types.js";

const KIND_OF: Record<OtelcolSection, ComponentKind> = {
  receiver: "source",
  processor: "processor",
  exporter: "destination",
  connector: "processor",
};

export function buildGraph(pipelines: readonly OtelcolPipeline[], connectors: ReadonlySet<string>): ComponentGraph {
  const sectionOf = (role: "receivers" | "processors" | "exporters", id: string): OtelcolSection =>
    connectors.has(id) && role !== "processors"
      ? "connector"
      : role === "receivers"
        ? "receiver"
        : role === "processors"
          ? "processor"
          : "exporter";

  // An id used by two sections (receiver `otlp` and exporter `otlp`) names two components: qualify both.
  const sectionsById = new Map<string, Set<OtelcolSection>>();
  for (const p of pipelines) {
    for (const role of ["receivers", "processors", "exporters"] as const) {
      for (const id of p[role]) {
        const set = sectionsById.get(id) ?? new Set<OtelcolSection>();
        set.add(sectionOf(role, id));
        sectionsById.set(id, set);
      }
    }
  }
  const nodeId = (section: OtelcolSection, id: string): string =>
    (sectionsById.get(id)?.size ?? 0) > 1 ? `${section}:${id}` : id;

  const components = new Map<string, Component>();
  const edges = new Map<string, GraphEdge>();
  const add = (role: "receivers" | "processors" | "exporters", id: string, signal: Signal): string => {
    const section = sectionOf(role, id);
    const key = nodeId(section, id);
    const existing = components.get(key);
    if (existing === undefined) {
      const type = id.split("/", 1)[0] ?? id;
      components.set(key, {
        id: key,
        kind: KIND_OF[section],
        type,
        signals: [signal],
        otelcol: { section, id },
      });
    } else if (!existing.signals.includes(signal)) {
      existing.signals.push(signal);
    }
    return key;
  };

  for (const p of pipelines) {
    const receivers = p.receivers.map((id) => add("receivers", id, p.signal));
    const processors = p.processors.map((id) => add("processors", id, p.signal));
    const exporters = p.exporters.map((id) => add("exporters", id, p.signal));
    // Stages in order: the receivers, one stage per processor, the exporters; every member links to the next stage.
    const stages: string[][] = [receivers, ...processors.map((id) => [id]), exporters];
    for (let i = 0; i + 1 < stages.length; i++) {
      for (const from of stages[i] ?? []) {
        for (const to of stages[i + 1] ?? [])
          edges.set(`${from}\u0000${to}\u0000${p.signal}`, {
            from,
            to,
            signal: p.signal,
          });
      }
    }
  }
  return { components: [...components.values()], edges: [...edges.values()] };
}

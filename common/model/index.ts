// The collector model: what a collector is made of (components) and how data flows between them (edges).
// Shared by the agent (built from the local config) and the relay (topology, mismatch detection). Pure data.

export type CollectorType = "alloy" | "otelcol-contrib";

/** Where a component sits in the flow: sources bring data in, destinations send it out. */
export type ComponentKind = "source" | "processor" | "destination";

export type Signal = "metrics" | "logs" | "traces" | "profiles";

export interface Component {
  /**
   * The id the collector's self-telemetry uses for it:
   * Alloy: the local component id (`otelcol.exporter.otlphttp.default`);
   * otelcol: `type[/name]` (`otlphttp/backend`), connectors included.
   */
  id: string;
  kind: ComponentKind;
  /** Alloy: block name (`otelcol.exporter.otlphttp`); otelcol: the component type (`otlphttp`). */
  type: string;
  /** Signals the component handles when known from the config (otelcol pipelines); empty when unknown. */
  signals: Signal[];
  /**
   * otelcol only: the config section it comes from and its `type[/name]` as self-telemetry and logs label it.
   * `id` equals `otelcol.id` unless two sections use the same id in one config (receiver and exporter `otlp`);
   * both then get graph ids qualified by section (`receiver:otlp`, `exporter:otlp`) so edges stay unambiguous.
   */
  otelcol?: { section: OtelcolSection; id: string };
}

export type OtelcolSection = "receiver" | "processor" | "exporter" | "connector";

/** A data-flow edge inside the collector: `from` sends data to `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Known for otelcol pipelines; `undefined` when the config does not say (most Alloy edges). */
  signal?: Signal;
}

export interface ComponentGraph {
  components: Component[];
  edges: GraphEdge[];
}

export const EMPTY_GRAPH: ComponentGraph = { components: [], edges: [] };

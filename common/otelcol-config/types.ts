// Shapes produced by parseOtelcolConfig: the config as the collector would load it, plus what went wrong.
import type { ComponentGraph, Signal } from "../model/index.js";

/** Machine reasons for problems that stop the collector from starting (as the collector itself would refuse). */
export type OtelcolConfigErrorReason =
  | "yaml_syntax"
  | "not_a_mapping"
  | "invalid_section"
  | "invalid_component_id"
  | "ambiguous_component_id"
  | "undefined_component"
  | "undefined_extension"
  | "invalid_pipeline_id"
  | "unknown_pipeline_signal"
  | "invalid_pipeline"
  | "pipeline_missing_receivers"
  | "pipeline_missing_exporters"
  | "duplicate_processor"
  | "no_pipelines"
  | "connector_not_used_as_receiver"
  | "connector_not_used_as_exporter"
  | "connector_cycle"
  | "unknown_key"
  | "invalid_telemetry"
  | "invalid_exporter_timeout"
  | "missing_exporter_endpoint";

/** Machine reasons for things worth showing that do not stop the collector. */
export type OtelcolConfigWarningReason =
  | "yaml_warning"
  | "unresolved_reference"
  | "unused_component"
  | "deprecated_metrics_address"
  | "unrecognised_metrics_reader";

export interface OtelcolConfigProblem<R extends string> {
  reason: R;
  /** A sentence a user can act on. */
  message: string;
  /** Dotted path into the YAML (`service.pipelines.traces.processors`), when the problem has a place. */
  path?: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

export type OtelcolConfigError = OtelcolConfigProblem<OtelcolConfigErrorReason>;
export type OtelcolConfigWarning = OtelcolConfigProblem<OtelcolConfigWarningReason>;

/** One of receivers/processors/exporters/connectors/extensions. */
export interface ComponentSection {
  /** Settings per component id (`type[/name]`) as written; `null` for `otlp:` with nothing under it. */
  settings: Record<string, unknown>;
  /**
   * Set when the whole section is a `${...}` reference the collector resolves at startup; its ids are then
   * unknown here and references into it are trusted.
   */
  unresolved?: string;
}

export type PipelineRole = "receivers" | "processors" | "exporters";

export interface OtelcolPipeline {
  /** `signal[/name]`, e.g. `logs/in1`. */
  id: string;
  signal: Signal;
  receivers: string[];
  processors: string[];
  exporters: string[];
  /** Lists written as a `${...}` reference: their members are unknown until the collector resolves them. */
  unresolved: PipelineRole[];
}

/** A `pull` reader: the collector serves its metrics for scraping. */
export interface PrometheusPull {
  /** As written; `""` in the old `address: ":8888"` form means every interface. */
  host?: string;
  /** A string because it may be a `${env:...}` reference. Absent when the config does not say. */
  port?: string;
  /** `host:port` when both are known. */
  address?: string;
}

/** A `periodic` reader with an `otlp` exporter: the collector pushes its metrics. */
export interface OtlpPush {
  endpoint?: string;
  protocol?: string;
  intervalMs?: number;
}

/** Where the collector's own metrics go, from `service.telemetry.metrics`. */
export interface SelfMetricsSummary {
  /** `none`, `basic`, `normal` (default) or `detailed`; may be a `${...}` reference. */
  level: string;
  /** False when `level: none`: nothing is produced whatever the readers say. */
  enabled: boolean;
  /** `default`: nothing written (pull on localhost:8888); `address`: the removed v0.1xx field; `readers`: explicit. */
  form: "default" | "address" | "readers";
  pull: PrometheusPull[];
  push: OtlpPush[];
  /** The old `metrics.address` value, when written. Ignored since v0.123.0, rejected since v0.128.0. */
  legacyAddress?: string;
}

export interface SelfLogsSummary {
  level: string;
  encoding: string;
}

export interface SelfTelemetrySummary {
  metrics: SelfMetricsSummary;
  logs: SelfLogsSummary;
}

export interface OtelcolConfig {
  receivers: ComponentSection;
  processors: ComponentSection;
  exporters: ComponentSection;
  connectors: ComponentSection;
  extensions: ComponentSection;
  service: {
    extensions: string[];
    pipelines: OtelcolPipeline[];
    /** Set when `service.pipelines` is a `${...}` reference: the data flow is unknown here. */
    pipelinesUnresolved?: string;
    telemetry: SelfTelemetrySummary;
  };
}

export type OtelcolParseResult =
  | {
      ok: true;
      config: OtelcolConfig;
      graph: ComponentGraph;
      warnings: OtelcolConfigWarning[];
    }
  | {
      ok: false;
      errors: OtelcolConfigError[];
      warnings: OtelcolConfigWarning[];
    };

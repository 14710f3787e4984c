// Effective config (AgentConfigMap) reported over OpAMP -> the collector's component graph. Pure.

import type { ComponentGraph } from "../../common/model/index.js";
import { parseOtelcolConfig } from "../../common/otelcol-config/index.js";
import type { ConfigFile } from "./messages.js";

export type EffectiveGraph =
  | { ok: true; graph: ComponentGraph; file: string }
  | { ok: false; reason: "no_yaml_file" | "config_rejected"; message: string };

const YAML_TYPES = new Set(["", "text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml"]);

/** Picks the single-file entry (`""`) or else the first YAML file, and parses it as otelcol config. */
export function graphFromEffectiveConfig(files: ConfigFile[]): EffectiveGraph {
  const yamlFiles = files.filter((f) => YAML_TYPES.has(f.contentType.split(";")[0]?.trim().toLowerCase() ?? ""));
  const file = yamlFiles.find((f) => f.name === "") ?? yamlFiles[0];
  if (!file || file.body.trim() === "") {
    return { ok: false, reason: "no_yaml_file", message: "the effective config holds no YAML file" };
  }
  const parsed = parseOtelcolConfig(file.body);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return {
      ok: false,
      reason: "config_rejected",
      message: `the effective config does not parse as otelcol config: ${first?.reason ?? "unknown"}: ${first?.message ?? ""}`,
    };
  }
  return { ok: true, graph: parsed.graph, file: file.name };
}

// parseOtelcolConfig: otelcol(-contrib) YAML text -> config, component graph and problems. Never throws on input.
// `${env:...}`-style references are kept as strings; what they would resolve to is unknown here.
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { checkExporters } from "./exporter-checks.js";
import { buildGraph } from "./graph.js";
import { Problems } from "./problems.js";
import { readSection, SECTION_KEYS } from "./sections.js";
import { readService } from "./service.js";
import type { OtelcolConfig, OtelcolConfigProblem, OtelcolParseResult } from "./types.js";
import { connectorIds, validateConfig } from "./validate.js";
import { isPlainObject } from "./values.js";

const TOP_LEVEL_KEYS = new Set<string>([...SECTION_KEYS, "service"]);

export function parseOtelcolConfig(text: string): OtelcolParseResult {
  const lines = new LineCounter();
  // `merge: true`: YAML 1.1 `<<: *anchor` merge keys, as the collector's YAML decoder accepts them.
  const doc = parseDocument(text, {
    lineCounter: lines,
    merge: true,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => yamlProblem(e, "yaml_syntax", lines)),
      warnings: [],
    };
  }
  const problems = new Problems(doc, lines);
  for (const w of doc.warnings) problems.warnings.push(yamlProblem(w, "yaml_warning", lines));

  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 10_000 });
  } catch (err) {
    // Alias explosions and similar: the document is well-formed but cannot be turned into data.
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      errors: [
        {
          reason: "yaml_syntax",
          message: `The YAML cannot be read: ${message}`,
        },
      ],
      warnings: [],
    };
  }

  if (root === undefined || root === null) {
    problems.error("no_pipelines", "The config is empty: it needs receivers, exporters and service.pipelines.", []);
    return { ok: false, errors: problems.errors, warnings: problems.warnings };
  }
  if (!isPlainObject(root)) {
    problems.error("not_a_mapping", "The config must be a YAML mapping (receivers:, exporters:, service: ...).", []);
    return { ok: false, errors: problems.errors, warnings: problems.warnings };
  }
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      problems.error(
        "unknown_key",
        `The config has an unknown top-level key "${key}"; the collector refuses to start. Known keys: ${[...TOP_LEVEL_KEYS].join(", ")}.`,
        [key],
      );
    }
  }

  const config: OtelcolConfig = {
    receivers: readSection(root.receivers, "receivers", problems),
    processors: readSection(root.processors, "processors", problems),
    exporters: readSection(root.exporters, "exporters", problems),
    connectors: readSection(root.connectors, "connectors", problems),
    extensions: readSection(root.extensions, "extensions", problems),
    service: readService(root.service, problems),
  };
  checkExporters(config.exporters, problems);
  validateConfig(config, problems);

  if (problems.errors.length > 0) return { ok: false, errors: problems.errors, warnings: problems.warnings };
  return {
    ok: true,
    config,
    graph: buildGraph(config.service.pipelines, connectorIds(config)),
    warnings: problems.warnings,
  };
}

function yamlProblem<R extends string>(err: YAMLError, reason: R, lines: LineCounter): OtelcolConfigProblem<R> {
  const text = err.message.split("\n", 1)[0] ?? err.message;
  const offset = err.pos[0];
  if (!Number.isFinite(offset)) return { reason, message: `YAML: ${text}` };
  const pos = lines.linePos(offset);
  return {
    reason,
    message: `YAML at line ${pos.line}, column ${pos.col}: ${text}`,
    line: pos.line,
    column: pos.col,
  };
}

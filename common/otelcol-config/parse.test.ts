import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ComponentGraph } from "../model/index.js";
import { type OtelcolParseResult, parseOtelcolConfig } from "./index.js";

const CORPUS = new URL("../../../shared/corpus/otelcol/", import.meta.url);
const read = (dir: string, file: string): string => readFileSync(new URL(`${dir}/${file}`, CORPUS), "utf8");
const yamlFiles = (dir: string): string[] =>
  readdirSync(new URL(`${dir}/`, CORPUS))
    .filter((f) => f.endsWith(".yaml"))
    .sort();

function ok(result: OtelcolParseResult): Extract<OtelcolParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result;
}

/** Edges as sorted `from -> to (signal)` strings: easy to hand-check against the YAML. */
function edgesOf(graph: ComponentGraph): string[] {
  return graph.edges.map((e) => `${e.from} -> ${e.to} (${e.signal ?? "?"})`).sort();
}
function kindsOf(graph: ComponentGraph): Record<string, string> {
  return Object.fromEntries(graph.components.map((c) => [c.id, c.kind]));
}

describe("every collector testdata file loads or reports why the collector would refuse it", () => {
  // Upstream marks these invalid on purpose (SOURCES.md); each must fail with the reason a user would be told.
  const expectedErrors: Record<string, string[]> = {
    "otelcol__testdata__otelcol-cyclic-connector.yaml": ["connector_cycle"],
    "otelcol__testdata__otelcol-invalid-components.yaml": ["undefined_component"],
    "otelcol__testdata__otelcol-invalid-connector-unused-exp.yaml": ["connector_not_used_as_exporter"],
    "otelcol__testdata__otelcol-invalid-connector-unused-rec.yaml": ["connector_not_used_as_receiver"],
    "otelcol__testdata__otelcol-invalid-telemetry.yaml": ["unknown_key"],
    "otelcol__testdata__otelcol-invalid.yaml": ["undefined_component"],
    "otelcol__testdata__print_invalid.yaml": ["invalid_exporter_timeout"],
    "otelcol__testdata__print_negative.yaml": ["invalid_exporter_timeout"],
    "exporter__otlphttpexporter__testdata__bad_empty_config.yaml": ["missing_exporter_endpoint"],
    // A merge fragment (confmap merges it over config.yaml): alone it references components it does not define.
    "confmap__internal__testdata__config2.yaml": ["undefined_extension", "undefined_component"],
  };
  // Invalid upstream only because the `nop_logs` factory supports logs and not traces: that needs the factory
  // registry, which a static reader does not have. It must still load without crashing.
  const validWithoutFactories = new Set(["otelcol__testdata__otelcol-invalid-receiver-type.yaml"]);

  for (const file of yamlFiles("collector")) {
    const expected = expectedErrors[file];
    it(`${file} ${expected === undefined ? "loads" : `fails with ${expected.join(", ")}`}`, () => {
      const result = parseOtelcolConfig(read("collector", file));
      if (expected === undefined) {
        expect(result.ok, validWithoutFactories.has(file) ? "factory-level error" : "valid config").toBe(true);
        return;
      }
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect([...new Set(result.errors.map((e) => e.reason))].sort()).toEqual([...expected].sort());
      for (const e of result.errors) {
        expect(e.message.length).toBeGreaterThan(10);
        expect(e.line).toBeGreaterThan(0);
      }
    });
  }

  it("names the undefined processor and points at its line", () => {
    const result = parseOtelcolConfig(read("collector", "otelcol__testdata__otelcol-invalid.yaml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        reason: "undefined_component",
        message: expect.stringContaining('references processor "invalid" which is not configured'),
        path: "service.pipelines.traces.processors[0]",
        line: 14,
        column: 20,
      }),
    ]);
  });

  it("shows the connector cycle as the loop of pipelines it creates", () => {
    const result = parseOtelcolConfig(read("collector", "otelcol__testdata__otelcol-cyclic-connector.yaml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining("traces/in -> nop/forward -> traces/in"),
    );
  });
});

describe("component graphs, hand-checked against the YAML", () => {
  it("otelcol-nop: receiver, processor and exporter all named nop stay three components; the connector joins traces to logs", () => {
    const { graph } = ok(parseOtelcolConfig(read("collector", "otelcol__testdata__otelcol-nop.yaml")));
    expect(kindsOf(graph)).toEqual({
      "receiver:nop": "source",
      "processor:nop": "processor",
      "exporter:nop": "destination",
      "nop/con": "processor",
    });
    expect(edgesOf(graph)).toEqual([
      "nop/con -> processor:nop (logs)",
      "processor:nop -> exporter:nop (logs)",
      "processor:nop -> exporter:nop (metrics)",
      "processor:nop -> exporter:nop (traces)",
      "processor:nop -> nop/con (traces)",
      "receiver:nop -> processor:nop (logs)",
      "receiver:nop -> processor:nop (metrics)",
      "receiver:nop -> processor:nop (traces)",
    ]);
    const connector = graph.components.find((c) => c.id === "nop/con");
    expect(connector).toEqual({
      id: "nop/con",
      kind: "processor",
      type: "nop",
      signals: ["traces", "logs"],
      otelcol: { section: "connector", id: "nop/con" },
    });
    expect(graph.components.find((c) => c.id === "receiver:nop")?.otelcol).toEqual({ section: "receiver", id: "nop" });
  });

  it("otelcol-valid-connector-use: named pipelines logs/in2 -> nop/connector1 -> logs/out", () => {
    const { graph, config } = ok(
      parseOtelcolConfig(read("collector", "otelcol__testdata__otelcol-valid-connector-use.yaml")),
    );
    expect(config.service.pipelines.map((p) => p.id)).toEqual(["logs/in1", "logs/in2", "logs/out"]);
    expect(kindsOf(graph)).toEqual({
      "receiver:nop": "source",
      "exporter:nop": "destination",
      "nop/connector1": "processor",
    });
    // Three pipelines with the same receiver and exporter: the identical edge appears once.
    expect(edgesOf(graph)).toEqual([
      "nop/connector1 -> exporter:nop (logs)",
      "receiver:nop -> exporter:nop (logs)",
      "receiver:nop -> nop/connector1 (logs)",
    ]);
  });

  it("configurablehttpprovider otel-config: one processor shared by two signals, extension left out of the flow", () => {
    const { graph, config } = ok(
      parseOtelcolConfig(
        read("collector", "confmap__provider__internal__configurablehttpprovider__testdata__otel-config.yaml"),
      ),
    );
    expect(config.service.extensions).toEqual(["zpages"]);
    expect(graph.components).toEqual([
      {
        id: "otlp",
        kind: "source",
        type: "otlp",
        signals: ["traces", "metrics"],
        otelcol: { section: "receiver", id: "otlp" },
      },
      {
        id: "memory_limiter",
        kind: "processor",
        type: "memory_limiter",
        signals: ["traces", "metrics"],
        otelcol: { section: "processor", id: "memory_limiter" },
      },
      {
        id: "debug",
        kind: "destination",
        type: "debug",
        signals: ["traces", "metrics"],
        otelcol: { section: "exporter", id: "debug" },
      },
    ]);
    expect(edgesOf(graph)).toEqual([
      "memory_limiter -> debug (metrics)",
      "memory_limiter -> debug (traces)",
      "otlp -> memory_limiter (metrics)",
      "otlp -> memory_limiter (traces)",
    ]);
  });

  it("2-config-output: every receiver of a pipeline links to every exporter when there is no processor", () => {
    const { graph } = ok(parseOtelcolConfig(read("collector", "otelcol__testdata__configs__2-config-output.yaml")));
    expect(kindsOf(graph)).toEqual({
      "receiver:foo": "source",
      "receiver:bar": "source",
      "exporter:foo": "destination",
      "exporter:bar": "destination",
    });
    expect(edgesOf(graph)).toEqual([
      "receiver:bar -> exporter:bar (logs)",
      "receiver:bar -> exporter:foo (logs)",
      "receiver:foo -> exporter:bar (logs)",
      "receiver:foo -> exporter:foo (logs)",
    ]);
  });

  it("metric_stability_test: otlp_http/fail reached directly, batch only on the unnamed pipelines", () => {
    const { graph } = ok(
      parseOtelcolConfig(read("collector", "internal__e2e__testdata__metric_stability_test_readers.yaml")),
    );
    expect(kindsOf(graph)).toEqual({
      otlp: "source",
      batch: "processor",
      debug: "destination",
      "otlp_http/fail": "destination",
    });
    expect(edgesOf(graph)).toEqual([
      "batch -> debug (logs)",
      "batch -> debug (metrics)",
      "batch -> debug (traces)",
      "otlp -> batch (logs)",
      "otlp -> batch (metrics)",
      "otlp -> batch (traces)",
      "otlp -> otlp_http/fail (logs)",
      "otlp -> otlp_http/fail (metrics)",
      "otlp -> otlp_http/fail (traces)",
    ]);
  });

  it("converter count.yaml: a connector fed by traces and logs pipelines emits into a metrics pipeline", () => {
    const { graph } = ok(parseOtelcolConfig(read("converter", "count.yaml")));
    expect(kindsOf(graph)).toEqual({
      "receiver:otlp": "source",
      count: "processor",
      "exporter:otlp": "destination",
    });
    expect(graph.components.find((c) => c.id === "count")?.signals).toEqual(["traces", "logs", "metrics"]);
    expect(edgesOf(graph)).toEqual([
      "count -> exporter:otlp (metrics)",
      "receiver:otlp -> count (logs)",
      "receiver:otlp -> count (traces)",
    ]);
  });
});

describe("env and file references are kept as strings and never break loading", () => {
  it(`a whole service.pipelines from \${file:...} loads with an unknown data flow and says so`, () => {
    const result = ok(
      parseOtelcolConfig(read("collector", "confmap__internal__e2e__testdata__indirect-slice-env-var-main.yaml")),
    );
    expect(result.config.service.pipelinesUnresolved).toBe(
      `\${file:\${env:BASE_FOLDER}/indirect-slice-env-var-pipelines.yaml}`,
    );
    expect(result.graph).toEqual({ components: [], edges: [] });
    expect(result.warnings.map((w) => w.reason)).toEqual(["unresolved_reference"]);
  });

  it(`exporters from \${file:...}: the pipeline's exporter is trusted and kept in the graph`, () => {
    const { graph, config } = ok(
      parseOtelcolConfig(read("collector", "confmap__internal__e2e__testdata__issue-10787-main.yaml")),
    );
    expect(config.exporters.unresolved).toBe(`\${file:testdata/issue-10787-snippet.yaml}`);
    expect(edgesOf(graph)).toEqual(["memory_limiter -> debug (traces)", "otlp -> memory_limiter (traces)"]);
  });

  it(`receivers: \${env:RECEIVERS} leaves the pipeline's receivers unknown instead of failing`, () => {
    const { config } = ok(parseOtelcolConfig(read("collector", "otelcol__otelcoltest__testdata__config_env.yaml")));
    expect(config.service.pipelines).toEqual([
      {
        id: "traces",
        signal: "traces",
        receivers: [],
        processors: [],
        exporters: ["nop"],
        unresolved: ["receivers"],
      },
    ]);
  });

  it("settings keep references verbatim, including defaults with brackets and quotes", () => {
    const { config } = ok(parseOtelcolConfig(read("converter", "envvars__default_value_format.yaml")));
    expect(config.receivers.settings.otlp).toEqual({
      protocols: {
        grpc: {
          endpoint: `\${env:NORMAL_FORMAT:-https://www.example.com/some/file-path?query={using brackets, spaces,+'and'%20"quotes"}}`,
        },
        http: null,
      },
    });
  });
});

describe("service.telemetry.metrics: where the collector's own metrics go", () => {
  const telemetryOf = (yaml: string) => ok(parseOtelcolConfig(yaml)).config.service.telemetry;
  const pipeline =
    "receivers: {nop: }\nexporters: {nop: }\nservice:\n  pipelines: {metrics: {receivers: [nop], exporters: [nop]}}\n";

  it("nothing written: the default pull endpoint localhost:8888 at level normal", () => {
    expect(telemetryOf(pipeline).metrics).toEqual({
      level: "normal",
      enabled: true,
      form: "default",
      pull: [{ host: "localhost", port: "8888", address: "localhost:8888" }],
      push: [],
    });
  });

  it(`readers with a pull prometheus on an \${env:...} port`, () => {
    const t = telemetryOf(read("collector", "internal__e2e__testdata__exporter_failure_attributes_test.yaml"));
    expect(t.metrics).toEqual({
      level: "detailed",
      enabled: true,
      form: "readers",
      pull: [
        {
          host: "localhost",
          port: `\${env:METRICS_PORT}`,
          address: `localhost:\${env:METRICS_PORT}`,
        },
      ],
      push: [],
    });
    expect(t.logs).toEqual({ level: "info", encoding: "console" });
  });

  it("level only (no readers): still the default pull endpoint", () => {
    const t = telemetryOf(read("collector", "internal__e2e__testdata__metric_stability_test_no_readers.yaml"));
    expect(t.metrics.form).toBe("default");
    expect(t.metrics.level).toBe("detailed");
    expect(t.metrics.pull.map((p) => p.address)).toEqual(["localhost:8888"]);
  });

  it("level none: nothing is produced", () => {
    const t = telemetryOf(read("collector", "otelcol__testdata__otelcol-otelconftelemetry.yaml"));
    expect(t.metrics.level).toBe("none");
    expect(t.metrics.enabled).toBe(false);
  });

  it("periodic OTLP push to the relay replaces :8888 unless a pull reader is listed again (reference §5 example)", () => {
    const yaml = `${pipeline}  telemetry:
    metrics:
      level: normal
      readers:
        - periodic:
            interval: 30000
            timeout: 10000
            exporter:
              otlp:
                protocol: http/protobuf
                endpoint: https://relay.example/v1/metrics
                headers:
                  - name: Authorization
                    value: "Bearer \${env:RELAY_TOKEN}"
`;
    expect(telemetryOf(yaml).metrics).toEqual({
      level: "normal",
      enabled: true,
      form: "readers",
      pull: [],
      push: [
        {
          endpoint: "https://relay.example/v1/metrics",
          protocol: "http/protobuf",
          intervalMs: 30000,
        },
      ],
    });
  });

  it("the old metrics.address form is summarised as a pull endpoint and flagged as removed in v0.128", () => {
    const result = ok(
      parseOtelcolConfig(`${pipeline}  telemetry:\n    metrics:\n      address: 0.0.0.0:9999\n      level: Basic\n`),
    );
    expect(result.config.service.telemetry.metrics).toEqual({
      level: "basic",
      enabled: true,
      form: "address",
      pull: [{ host: "0.0.0.0", port: "9999", address: "0.0.0.0:9999" }],
      push: [],
      legacyAddress: "0.0.0.0:9999",
    });
    expect(result.warnings.map((w) => w.reason)).toEqual(["deprecated_metrics_address"]);
  });

  it("logs level is read case-insensitively (converter telemetry files write DEBUG)", () => {
    const t = telemetryOf(read("converter", "otelcol_telemetry__logging_json.yaml"));
    expect(t.logs).toEqual({ level: "debug", encoding: "json" });
  });

  it("an unknown metrics level is refused like the collector does", () => {
    const result = parseOtelcolConfig(`${pipeline}  telemetry:\n    metrics:\n      level: verbose\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.reason)).toEqual(["invalid_telemetry"]);
  });
});

describe("malformed input is reported, never thrown", () => {
  const cases: [string, string, string][] = [
    ["YAML syntax error", "receivers:\n  otlp: [unclosed\n", "yaml_syntax"],
    ["bad indentation", "receivers:\n  otlp:\n protocols: {}\n   x: 1\n", "yaml_syntax"],
    ["empty file", "", "no_pipelines"],
    ["a list at the top", "- a\n- b\n", "not_a_mapping"],
    [
      "unknown pipeline signal",
      "receivers: {nop: }\nexporters: {nop: }\nservice: {pipelines: {spans: {receivers: [nop], exporters: [nop]}}}",
      "unknown_pipeline_signal",
    ],
    [
      "bad component type",
      "receivers: {'9lives': }\nexporters: {nop: }\nservice: {pipelines: {logs: {receivers: [nop], exporters: [nop]}}}",
      "invalid_component_id",
    ],
    [
      "empty name after /",
      "receivers: {'otlp/': }\nexporters: {nop: }\nservice: {pipelines: {logs: {receivers: [nop], exporters: [nop]}}}",
      "invalid_component_id",
    ],
    [
      "processor listed twice",
      "receivers: {nop: }\nprocessors: {batch: }\nexporters: {nop: }\nservice: {pipelines: {logs: {receivers: [nop], processors: [batch, batch], exporters: [nop]}}}",
      "duplicate_processor",
    ],
    [
      "connector id also a receiver",
      "receivers: {count: }\nconnectors: {count: }\nexporters: {nop: }\nservice: {pipelines: {logs: {receivers: [count], exporters: [nop]}}}",
      "ambiguous_component_id",
    ],
    [
      "otlp_grpc without endpoint",
      "receivers: {nop: }\nexporters: {otlp_grpc/x: {}}\nservice: {pipelines: {logs: {receivers: [nop], exporters: [otlp_grpc/x]}}}",
      "missing_exporter_endpoint",
    ],
  ];
  it.each(cases)("%s", (_name, yaml, reason) => {
    const result = parseOtelcolConfig(yaml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.reason)).toContain(reason);
  });

  it("a syntax error carries line and column", () => {
    const result = parseOtelcolConfig("receivers:\n  otlp:\n    protocols: [grpc\nexporters: {}\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({
      reason: "yaml_syntax",
      line: 4,
      column: 1,
    });
    expect(result.errors[0]?.message).toMatch(/^YAML at line \d+, column \d+: /);
  });

  it("YAML merge keys (<<: *anchor) are honoured", () => {
    const yaml = `exporters:
  otlp_http/a: &base
    endpoint: https://a.example
    timeout: 5s
  otlp_http/b:
    <<: *base
    endpoint: https://b.example
receivers: {otlp: }
service:
  pipelines:
    logs: {receivers: [otlp], exporters: [otlp_http/a, otlp_http/b]}
`;
    const { config } = ok(parseOtelcolConfig(yaml));
    expect(config.exporters.settings["otlp_http/b"]).toEqual({
      endpoint: "https://b.example",
      timeout: "5s",
    });
  });
});

describe("the Alloy converter's otelcol inputs", () => {
  // Broken on purpose: the converter reports a critical error for them (their .diags).
  const broken = new Set([
    "otelcol_errors__corrupt_config.yaml",
    "otelcol_errors__invalid_config.yaml",
    "envvars__unknown_scheme.yaml", // `${wow:...}`: a scheme only the collector's resolver can reject
  ]);
  for (const file of yamlFiles("converter")) {
    if (broken.has(file)) continue;
    it(`${file} loads into a graph with at least one source and one destination`, () => {
      const { graph } = ok(parseOtelcolConfig(read("converter", file)));
      expect(graph.components.some((c) => c.kind === "source")).toBe(true);
      expect(graph.components.some((c) => c.kind === "destination")).toBe(true);
      expect(graph.edges.length).toBeGreaterThan(0);
    });
  }

  it.each([
    ["otelcol_errors__corrupt_config.yaml", "unknown_key"],
    ["otelcol_errors__invalid_config.yaml", "pipeline_missing_receivers"],
  ])("%s is refused (%s)", (file, reason) => {
    const result = parseOtelcolConfig(read("converter", file));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.reason)).toContain(reason);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type AlloyFile, parseAlloy } from "../alloy-syntax/index.js";
import type { ComponentKind } from "../model/index.js";
import { alloyComponentGraph, classifyAlloyComponent } from "./index.js";

const REAL = fileURLToPath(new URL("../../../shared/corpus/alloy/valid/real/", import.meta.url));
const REFERENCE = fileURLToPath(new URL("../../../shared/reference/alloy.md", import.meta.url));

function parse(src: string): AlloyFile {
  const res = parseAlloy(src);
  if (!res.ok) throw new Error(res.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n"));
  return res.file;
}

function bootstrapConfig(): string {
  const md = readFileSync(REFERENCE, "utf8");
  const from = md.indexOf("### 1.9 Minimal bootstrap config");
  const start = md.indexOf("```alloy\n", from) + "```alloy\n".length;
  return md.slice(start, md.indexOf("```", start));
}

/** Components as "kind id" and edges as "from -> to [signal]": compact enough to hand-check. */
function shape(src: string): { components: string[]; edges: string[] } {
  const g = alloyComponentGraph(parse(src));
  return {
    components: g.components.map((c) => `${c.kind} ${c.id}`),
    edges: g.edges.map((e) => `${e.from} -> ${e.to}${e.signal ? ` [${e.signal}]` : ""}`),
  };
}

describe("Alloy component graph", () => {
  it("follows the bootstrap pipeline and drops token/auth edges", () => {
    expect(shape(bootstrapConfig())).toEqual({
      components: [
        "source prometheus.exporter.self.linkmesh",
        "source prometheus.scrape.linkmesh",
        "source otelcol.receiver.prometheus.linkmesh",
        "processor local.file.linkmesh_token",
        "processor otelcol.auth.bearer.linkmesh",
        "destination otelcol.exporter.otlphttp.linkmesh",
      ],
      edges: [
        "prometheus.exporter.self.linkmesh -> prometheus.scrape.linkmesh",
        "prometheus.scrape.linkmesh -> otelcol.receiver.prometheus.linkmesh",
        "otelcol.receiver.prometheus.linkmesh -> otelcol.exporter.otlphttp.linkmesh [metrics]",
      ],
    });
  });

  const corpus: [string, string[], string[]][] = [
    [
      "otelcolconvert__bearertoken.alloy",
      [
        "processor local.file.default_fromfile",
        "processor otelcol.auth.bearer.default_fromfile",
        "processor otelcol.auth.bearer.default_withscheme",
        "source otelcol.receiver.otlp.default",
        "destination otelcol.exporter.otlp.default_withauth",
        "destination otelcol.exporter.otlphttp.default_withauth",
      ],
      ["metrics", "logs", "traces"].flatMap((s) => [
        `otelcol.receiver.otlp.default -> otelcol.exporter.otlp.default_withauth [${s}]`,
        `otelcol.receiver.otlp.default -> otelcol.exporter.otlphttp.default_withauth [${s}]`,
      ]),
    ],
    [
      "otelcolconvert__spanmetrics.alloy",
      [
        "source otelcol.receiver.otlp.default",
        "destination otelcol.exporter.otlp.default",
        "processor otelcol.connector.spanmetrics.default",
      ],
      [
        "otelcol.receiver.otlp.default -> otelcol.exporter.otlp.default [logs]",
        "otelcol.receiver.otlp.default -> otelcol.connector.spanmetrics.default [traces]",
        "otelcol.connector.spanmetrics.default -> otelcol.exporter.otlp.default [metrics]",
      ],
    ],
    [
      "prometheusconvert__discovery_relabel.alloy",
      [
        "source discovery.azure.prometheus2",
        "processor discovery.relabel.prometheus1",
        "processor discovery.relabel.prometheus2",
        "source prometheus.scrape.prometheus1",
        "source prometheus.scrape.prometheus2",
        "destination prometheus.remote_write.default",
      ],
      [
        "discovery.azure.prometheus2 -> discovery.relabel.prometheus2",
        "discovery.relabel.prometheus1 -> prometheus.scrape.prometheus1",
        "prometheus.scrape.prometheus1 -> prometheus.remote_write.default",
        "discovery.relabel.prometheus2 -> prometheus.scrape.prometheus2",
        "prometheus.scrape.prometheus2 -> prometheus.remote_write.default",
      ],
    ],
    // A module definition only: everything lives inside `declare`, so the root runs no component.
    ["internal__pipelinetest__tests__modules__loki_pipeline.alloy", [], []],
  ];
  it.each(corpus)("builds the graph of %s", (name, components, edges) => {
    expect(shape(readFileSync(`${REAL}${name}`, "utf8"))).toEqual({ components, edges });
  });

  it("skips config and service blocks, counts declared and imported components", () => {
    const src = `
logging { level = "info" }
http { }
remotecfg { url = "http://x" }
livedebugging { enabled = true }
argument "in" { }
export "out" { value = 1 }
import.file "lib" { filename = "lib.alloy" }
declare "my_pipe" {
	loki.process "inner" { forward_to = [] }
}
foreach "each" {
	collection = [1]
	var        = "x"
	template {
		loki.echo "inside" { }
	}
}
my_pipe "a" { forward_to = [loki.write.out.receiver] }
lib.filter "b" { forward_to = [my_pipe.a.input] }
loki.source.file "files" {
	targets    = discovery.x.targets[0]
	forward_to = [lib.filter.b.logs]
}
loki.write "out" { endpoint { url = sys.env("URL") } }
undeclared "c" { }
`;
    expect(shape(src)).toEqual({
      components: [
        "processor my_pipe.a",
        "processor lib.filter.b",
        "source loki.source.file.files",
        "destination loki.write.out",
      ],
      edges: ["my_pipe.a -> loki.write.out", "lib.filter.b -> my_pipe.a", "loki.source.file.files -> lib.filter.b"],
    });
  });

  it("resolves the longest component prefix and points non-consumer references at the referrer", () => {
    const src = `
discovery.relabel "r" { targets = array.concat(discovery.kubernetes.pods.targets, []) }
discovery.kubernetes "pods" { role = "pod" }
prometheus.scrape "s" {
	targets    = discovery.relabel.r.output
	forward_to = [prometheus.relabel.keep.receiver, prometheus.relabel.keep.receiver]
}
prometheus.relabel "keep" { forward_to = [prometheus.remote_write.rw.receiver] }
prometheus.remote_write "rw" { endpoint { url = "http://m" } }
`;
    expect(shape(src).edges).toEqual([
      "discovery.kubernetes.pods -> discovery.relabel.r",
      "discovery.relabel.r -> prometheus.scrape.s",
      "prometheus.scrape.s -> prometheus.relabel.keep",
      "prometheus.relabel.keep -> prometheus.remote_write.rw",
    ]);
  });
});

describe("component kinds come from one table", () => {
  const cases: [string, ComponentKind][] = [
    ["otelcol.receiver.otlp", "source"],
    ["prometheus.exporter.self", "source"],
    ["prometheus.scrape", "source"],
    ["loki.source.journal", "source"],
    ["discovery.kubernetes", "source"],
    ["discovery.relabel", "processor"],
    ["otelcol.exporter.otlphttp", "destination"],
    ["prometheus.remote_write", "destination"],
    ["loki.write", "destination"],
    ["pyroscope.write", "destination"],
    ["otelcol.processor.batch", "processor"],
    ["otelcol.connector.spanmetrics", "processor"],
    ["loki.process", "processor"],
    ["my_custom", "processor"],
  ];
  it.each(cases)("%s is a %s", (type, kind) => expect(classifyAlloyComponent(type)).toBe(kind));
});

describe("on every real config of the corpus", () => {
  it("edges only join known components and never start at a token file or an auth extension", () => {
    const files = readdirSync(REAL).filter((f) => f.endsWith(".alloy"));
    let edgeCount = 0;
    for (const f of files) {
      const g = alloyComponentGraph(parse(readFileSync(`${REAL}${f}`, "utf8")));
      const ids = new Set(g.components.map((c) => c.id));
      expect(ids.size, f).toBe(g.components.length);
      for (const e of g.edges) {
        expect(ids.has(e.from) && ids.has(e.to), `${f}: ${e.from} -> ${e.to}`).toBe(true);
        expect(e.from, f).not.toMatch(/^(local\.file|otelcol\.auth\.)/);
      }
      edgeCount += g.edges.length;
    }
    expect(edgeCount).toBeGreaterThan(200);
  });
});

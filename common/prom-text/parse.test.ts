import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "./index.js";

const corpus = (file: string): string =>
  readFileSync(new URL(`../../../shared/corpus/metrics/${file}`, import.meta.url), "utf8");

describe("parsePrometheusText reads single lines", () => {
  const cases: { line: string; name: string; labels: Record<string, string>; value: number; timestampMs?: number }[] = [
    { line: "up 1", name: "up", labels: {}, value: 1 },
    { line: "up\t1", name: "up", labels: {}, value: 1 },
    { line: "  up   1  ", name: "up", labels: {}, value: 1 },
    { line: "a:b_c 2.70336e+07", name: "a:b_c", labels: {}, value: 27033600 },
    { line: 'x{le="+Inf"} 38', name: "x", labels: { le: "+Inf" }, value: 38 },
    { line: 'x{a="1",b="2",} 3', name: "x", labels: { a: "1", b: "2" }, value: 3 },
    { line: 'x {a="1"} 3', name: "x", labels: { a: "1" }, value: 3 },
    { line: 'x{ a = "1" , b="2" } 3', name: "x", labels: { a: "1", b: "2" }, value: 3 },
    { line: "x{} 3", name: "x", labels: {}, value: 3 },
    { line: 'x{p="C:\\\\dir"} 1', name: "x", labels: { p: "C:\\dir" }, value: 1 },
    { line: 'x{q="say \\"hi\\""} 1', name: "x", labels: { q: 'say "hi"' }, value: 1 },
    { line: 'x{m="a\\nb"} 1', name: "x", labels: { m: "a\nb" }, value: 1 },
    { line: 'x{m="a}b,c=\\"d"} 1', name: "x", labels: { m: 'a}b,c="d' }, value: 1 },
    { line: 'x{m="ünï ☃"} 1', name: "x", labels: { m: "ünï ☃" }, value: 1 },
    { line: "x +Inf", name: "x", labels: {}, value: Number.POSITIVE_INFINITY },
    { line: "x -Inf", name: "x", labels: {}, value: Number.NEGATIVE_INFINITY },
    { line: "x -1.5e-3", name: "x", labels: {}, value: -0.0015 },
    { line: "x .5", name: "x", labels: {}, value: 0.5 },
    { line: "x 5 1700000000123", name: "x", labels: {}, value: 5, timestampMs: 1700000000123 },
    { line: "x 5 -1", name: "x", labels: {}, value: 5, timestampMs: -1 },
    { line: 'x{a="1"} 5 1700000000123', name: "x", labels: { a: "1" }, value: 5, timestampMs: 1700000000123 },
    { line: 'x_total{a="1"} 5 # {trace_id="abc"} 1', name: "x_total", labels: { a: "1" }, value: 5 },
    { line: "x 5\r", name: "x", labels: {}, value: 5 },
    {
      line: '{"otelcol.exporter.sent", "exporter"="otlp"} 7',
      name: "otelcol.exporter.sent",
      labels: { exporter: "otlp" },
      value: 7,
    },
    { line: 'x{__proto__="p"} 1', name: "x", labels: { ["__proto__"]: "p" }, value: 1 },
  ];
  it.each(cases)("$line", ({ line, name, labels, value, timestampMs }) => {
    const { samples, errors } = parsePrometheusText(line);
    expect(errors).toEqual([]);
    expect(samples).toHaveLength(1);
    const [sample] = samples;
    expect(sample?.name).toBe(name);
    expect({ ...sample?.labels }).toEqual(labels);
    expect(Object.keys(sample?.labels ?? {})).toEqual(Object.keys(labels));
    expect(sample?.value).toBe(value);
    expect(sample?.timestampMs).toBe(timestampMs);
  });

  it("reads NaN", () => {
    expect(parsePrometheusText('s{quantile="0.5"} NaN').samples[0]?.value).toBeNaN();
  });
});

describe("parsePrometheusText reports bad lines and keeps going", () => {
  const bad: { line: string; message: RegExp }[] = [
    { line: "x", message: /missing value/ },
    { line: "x abc", message: /bad value/ },
    { line: "x 0x10", message: /bad value/ },
    { line: "x constructor", message: /bad value/ },
    { line: "x 1 12.5", message: /bad timestamp/ },
    { line: "x 1 2 3", message: /unexpected text/ },
    { line: 'x{a="1"', message: /expected "," or "}"/ },
    { line: 'x{a="1} 2', message: /unterminated/ },
    { line: "x{a=1} 2", message: /quoted value/ },
    { line: 'x{a="\\q"} 2', message: /badly escaped/ },
    { line: 'x{a="1",a="2"} 2', message: /duplicate label a/ },
    { line: 'x{1a="1"} 2', message: /bad label name/ },
    { line: "9x 2", message: /expected a metric name/ },
    { line: 'x{a="1"}2', message: /unexpected character/ },
    { line: "# TYPE x flubber", message: /unknown metric type/ },
  ];
  it.each(bad)("$line", ({ line, message }) => {
    const text = `before 1\n${line}\nafter 2\n`;
    const result = parsePrometheusText(text);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(2);
    expect(result.errors[0]?.message).toMatch(message);
    expect(result.samples.map((s) => s.name)).toEqual(["before", "after"]);
  });

  it("never throws on arbitrary input", () => {
    const junk = ["{", "}", '"', "\\", "# HELP", "#", "x{", 'x{"', "{}", "\u0000", "x 1 1 1 1", 'x{a="\\'];
    for (const line of junk) expect(() => parsePrometheusText(line)).not.toThrow();
    expect(() => parsePrometheusText(undefined as unknown as string)).not.toThrow();
  });
});

describe("parsePrometheusText reads HELP and TYPE", () => {
  it("records types and unescaped help, ignores other comments", () => {
    const result = parsePrometheusText(
      ["# HELP x Line one\\nline two \\\\ done", "# TYPE x counter", "# just a comment", "x_total 3"].join("\n"),
    );
    expect(result.errors).toEqual([]);
    expect(result.types.x).toBe("counter");
    expect(result.help.x).toBe("Line one\nline two \\ done");
    expect(result.samples).toHaveLength(1);
  });
});

describe("parsePrometheusText on real collector dumps", () => {
  it("reads every sample line of the Alloy v1.11.1 dump", () => {
    const text = corpus("alloy-v1.11.1.prom");
    const sampleLines = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    const result = parsePrometheusText(text);
    expect(result.errors).toEqual([]);
    expect(result.samples).toHaveLength(sampleLines.length);
    expect(Object.keys(result.types)).toHaveLength(160);
    const forwarded = result.samples.find(
      (s) =>
        s.name === "prometheus_forwarded_samples_total" && s.labels.component_id === "prometheus.scrape.alloy_metrics",
    );
    expect(forwarded).toEqual({
      name: "prometheus_forwarded_samples_total",
      labels: { component_id: "prometheus.scrape.alloy_metrics", component_path: "/" },
      value: 18043,
    });
    const build = result.samples.find((s) => s.name === "alloy_build_info");
    expect(build?.labels.version).toBe("v1.11.1");
    expect(result.samples.some((s) => Number.isNaN(s.value))).toBe(true);
    expect(result.samples.some((s) => s.labels.le === "+Inf")).toBe(true);
  });

  it("reads the otelcol 0.90.0-dev dump (24 lines, 8 families)", () => {
    const result = parsePrometheusText(corpus("otelcol-0.90.0-dev.prom"));
    expect(result.errors).toEqual([]);
    expect(result.samples).toHaveLength(8);
    expect(Object.keys(result.types)).toHaveLength(8);
    const rss = result.samples.find((s) => s.name === "otelcol_process_memory_rss");
    expect(rss?.value).toBe(27033600);
    expect(rss?.labels.service_name).toBe("otelcorecol");
  });

  it("reads the elastic otelcol 8.15.0 dump (19 families)", () => {
    const result = parsePrometheusText(corpus("otelcol-elastic-agent-8.15.0.prom"));
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.types)).toHaveLength(19);
    const sent = result.samples.find((s) => s.name === "otelcol_exporter_sent_metric_points");
    expect(sent?.value).toBe(178638);
    expect(sent?.labels.exporter).toBe("elasticsearch");
    const accepted = result.samples.find((s) => s.name === "otelcol_receiver_accepted_log_records");
    expect(accepted?.labels.transport).toBe("");
  });
});

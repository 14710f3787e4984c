import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceAlloyBlock } from "./corpus.test-helpers.js";
import {
  AlloyBuildError,
  alloyExpr,
  alloyRef,
  alloyString,
  attr,
  blankLine,
  block,
  comment,
  parseAlloy,
  renderAlloy,
  unquoteAlloyString,
} from "./index.js";

describe("building configs", () => {
  it("reproduces the reference bootstrap config byte for byte", () => {
    const relay = "https://relay.example.net";
    const built = renderAlloy([
      comment("linkmesh-bootstrap"),
      comment("Managed by linkmesh-agent."),
      blankLine,
      block("logging", "", [attr("level", "info"), attr("format", "logfmt")]),
      block("prometheus.exporter.self", "linkmesh"),
      block("prometheus.scrape", "linkmesh", [
        attr("targets", alloyRef("prometheus.exporter.self.linkmesh", "targets")),
        attr("forward_to", [alloyRef("otelcol.receiver.prometheus.linkmesh", "receiver")]),
        attr("scrape_interval", "15s"),
        attr("scrape_timeout", "10s"),
      ]),
      block("otelcol.receiver.prometheus", "linkmesh", [
        block("output", "", [attr("metrics", [alloyRef("otelcol.exporter.otlphttp.linkmesh.input")])]),
      ]),
      block("local.file", "linkmesh_token", [attr("filename", "/etc/alloy/linkmesh.token"), attr("is_secret", true)]),
      block("otelcol.auth.bearer", "linkmesh", [attr("token", alloyRef("local.file.linkmesh_token.content"))]),
      block("otelcol.exporter.otlphttp", "linkmesh", [
        attr("metrics_endpoint", `${relay}/v1/metrics`),
        attr("encoding", "proto"),
        block("client", "", [
          attr("endpoint", relay),
          attr("auth", alloyRef("otelcol.auth.bearer.linkmesh.handler")),
          attr("headers", { "X-Linkmesh-Host": alloyExpr("constants.hostname") }),
          block("tls", "", [attr("ca_file", "/etc/alloy/linkmesh-ca.pem")]),
        ]),
      ]),
    ]);
    expect(built).toBe(referenceAlloyBlock("### 1.9 Minimal bootstrap config"));
  });

  it("quotes hostile strings so they cannot break out of the literal", () => {
    const evil = 'x"\n}\nevil "y" {\n\\';
    const out = renderAlloy([block("b", "l", [attr("s", evil)])]);
    const res = parseAlloy(out);
    expect(res.ok && res.file.body.length).toBe(1);
  });

  const rejects: [string, () => unknown, string][] = [
    ["a dashed label", () => block("a.b", "x-y"), "invalid_identifier"],
    ["a keyword as attribute name", () => attr("true", 1), "invalid_identifier"],
    ["a broken expression", () => alloyExpr("a +"), "invalid_expression"],
    ["two expressions", () => alloyExpr("a b"), "invalid_expression"],
    ["NaN", () => renderAlloy([attr("n", Number.NaN)]), "invalid_value"],
    ["a multi-line comment", () => comment("a\nb"), "invalid_value"],
  ];
  it.each(rejects)("rejects %s", (_name, build, reason) => {
    expect(build).toThrow(AlloyBuildError);
    try {
      build();
    } catch (err) {
      expect((err as AlloyBuildError).reason).toBe(reason);
    }
  });
});

describe("alloyString", () => {
  const cases: [string, string][] = [
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["tab\tnew\nline", '"tab\\tnew\\nline"'],
    ["back\\slash", '"back\\\\slash"'],
    ["it's", `"it's"`],
    ["\u0001", '"\\x01"'],
    ["héllo ✓", '"héllo ✓"'],
  ];
  it.each(cases)("quotes %j as %s", (value, lit) => expect(alloyString(value)).toBe(lit));

  it("round-trips any string through Alloy's scanner and decoder", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), fc.string({ unit: "binary" }), (a, b) => {
        for (const s of [a, b]) {
          const res = parseAlloy(`x = ${alloyString(s)}\n`);
          expect(res.ok).toBe(true);
          expect(unquoteAlloyString(alloyString(s))).toBe(s);
        }
      }),
      { numRuns: 500 },
    );
  });
});

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAlloy } from "../alloy-syntax/index.js";
import type { ComponentGraph } from "../model/index.js";
import { parseOtelcolConfig } from "../otelcol-config/index.js";
import { alloyComponentGraph } from "./index.js";

// X.yaml and X.alloy in this folder are the same pipeline (Alloy's converter made one from the other).
const CONVERTER = fileURLToPath(new URL("../../../shared/corpus/otelcol/converter/", import.meta.url));

/** Pairs whose shapes differ because of what the converter emits, not because of either graph builder. */
const CONVERTER_DIFFERENCES: Readonly<Record<string, string>> = {
  fileexporter: "converter writes the receiver without an output block",
  filelog: "converter writes the receiver without an output block",
  fluentforwarder: "converter writes the receiver without an output block",
  syslog: "converter writes the receiver without an output block",
  tcplog: "converter writes the receiver without an output block",
  otelcol_dedup__samereceiver: "converter makes one exporter per pipeline group",
  otelcol_dedup__samereceiver2: "converter makes one exporter per pipeline group",
  otelcol_dedup__samereceiver3: "converter makes one exporter per pipeline group",
};

/** Extensions, storage and auth become Alloy components but are not in an otelcol pipeline. */
const NOT_IN_PIPELINES = /^(otelcol\.auth|otelcol\.storage|otelcol\.extension|local\.file)\b/;

function shape(g: ComponentGraph): string {
  const kinds = ["source", "processor", "destination"].map(
    (k) => g.components.filter((c) => c.kind === k && !NOT_IN_PIPELINES.test(c.type)).length,
  );
  const edges = new Set(g.edges.map((e) => `${e.from}>${e.to}`)).size;
  return `sources=${kinds[0]} processors=${kinds[1]} destinations=${kinds[2]} edges=${edges}`;
}

describe("an otelcol config and its Alloy conversion have the same graph shape", () => {
  const names = readdirSync(CONVERTER)
    .filter((f) => f.endsWith(".alloy") && existsSync(`${CONVERTER}${f.replace(/\.alloy$/, ".yaml")}`))
    .map((f) => f.replace(/\.alloy$/, ""));
  it("finds the pairs", () => expect(names.length).toBeGreaterThanOrEqual(60));

  it.each(names.filter((n) => !(n in CONVERTER_DIFFERENCES)))("%s", (name) => {
    const alloy = parseAlloy(readFileSync(`${CONVERTER}${name}.alloy`, "utf8"));
    const otel = parseOtelcolConfig(readFileSync(`${CONVERTER}${name}.yaml`, "utf8"));
    expect(alloy.ok && otel.ok).toBe(true);
    if (!alloy.ok || !otel.ok) return;
    expect(shape(alloyComponentGraph(alloy.file))).toBe(shape(otel.graph));
  });
});

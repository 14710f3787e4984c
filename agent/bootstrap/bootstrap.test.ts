import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alloyComponentGraph } from "../../common/alloy-graph/index.js";
import { formatAlloy, parseAlloy } from "../../common/alloy-syntax/index.js";
import {
  BOOTSTRAP_END_MARKER,
  BOOTSTRAP_MARKER,
  BootstrapError,
  inspectBootstrap,
  mergeBootstrap,
  splitManagedSection,
} from "./index.js";

const REAL = new URL("../../../shared/corpus/alloy/valid/real/", import.meta.url);
const realConfig = (name: string) => readFileSync(new URL(name, REAL), "utf8");
const settings = { otlpEndpoint: "https://relay.example.net/v1/metrics", tokenFile: "/etc/alloy/linkmesh.token" };

function graphOf(text: string) {
  const parsed = parseAlloy(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join("; "));
  return alloyComponentGraph(parsed.file);
}

describe("the bootstrap config on a host without one", () => {
  const { text, label, exporterId } = mergeBootstrap(null, settings);

  it("starts with the marker, parses, and is exactly what alloy fmt prints", () => {
    expect(text.split("\n")[0]).toBe(BOOTSTRAP_MARKER);
    expect(parseAlloy(text).ok).toBe(true);
    expect(formatAlloy(text)).toBe(text);
    expect(label).toBe("linkmesh");
    expect(exporterId).toBe("otelcol.exporter.otlphttp.linkmesh");
  });

  it("scrapes itself every 30 s and pushes gzip protobuf to the relay with the token from the file", () => {
    expect(text).toContain('scrape_interval = "30s"');
    expect(text).toContain('metrics_endpoint = "https://relay.example.net/v1/metrics"');
    expect(text).toContain('endpoint    = "https://relay.example.net"');
    expect(text).toContain('compression = "gzip"');
    expect(text).toContain('encoding         = "proto"');
    expect(text).toContain('filename  = "/etc/alloy/linkmesh.token"');
    expect(text).toContain("token = local.file.linkmesh_token.content");
    expect(text).toMatch(/logging \{\n\tlevel {2}= "info"/);
  });

  it("wires exporter.self -> scrape -> receiver.prometheus -> otlphttp", () => {
    const edges = graphOf(text).edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        "prometheus.exporter.self.linkmesh -> prometheus.scrape.linkmesh",
        "prometheus.scrape.linkmesh -> otelcol.receiver.prometheus.linkmesh",
        "otelcol.receiver.prometheus.linkmesh -> otelcol.exporter.otlphttp.linkmesh",
      ]),
    );
  });

  it("is not drifted", () => {
    expect(inspectBootstrap(text)).toMatchObject({ marker: true, missing: [], drifted: false, label: "linkmesh" });
  });
});

describe("merging with an operator's existing config", () => {
  const files = readdirSync(REAL).filter((f) => f.endsWith(".alloy"));

  it.each(files)("%s: kept verbatim below the blocks, parses, same bytes on a second run", (name) => {
    const user = realConfig(name);
    const first = mergeBootstrap(user, settings);
    expect(first.text.startsWith(`${BOOTSTRAP_MARKER}\n`)).toBe(true);
    expect(first.text.endsWith(user)).toBe(true);
    expect(splitManagedSection(first.text).user).toBe(user);
    expect(parseAlloy(first.text).ok).toBe(true);
    expect(mergeBootstrap(first.text, settings).text).toBe(first.text);
    // Alloy refuses a second logging block: there is always at most one.
    expect(first.text.match(/^logging\s*\{/gm)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it("keeps Alloy's packaged logging block (warn) instead of adding a second one, and says what to change", () => {
    const merged = mergeBootstrap(realConfig("packaging.alloy"), settings);
    expect(merged.text.match(/^logging\s*\{/gm)).toHaveLength(1);
    expect(merged.text).toContain('logging {\n  level = "warn"\n}');
    expect(merged.userLogging).toEqual({ level: "warn" });
    expect(merged.notes.join("\n")).toContain('set level = "info"');
  });

  it("keeps a remotecfg block and never adds one", () => {
    const merged = mergeBootstrap(realConfig("extension__alloyengine__remotecfg.alloy"), settings);
    expect(merged.userRemotecfg).toBe(true);
    expect(merged.text.match(/^remotecfg\b/gm)).toHaveLength(1);
  });

  it("picks another label when the operator's config already uses linkmesh", () => {
    const user = 'prometheus.scrape "linkmesh" {\n\ttargets    = []\n\tforward_to = []\n}\n';
    const merged = mergeBootstrap(user, settings);
    expect(merged.label).toBe("linkmesh_2");
    expect(merged.exporterId).toBe("otelcol.exporter.otlphttp.linkmesh_2");
    const ids = graphOf(merged.text).components.map((c) => c.id);
    expect(ids).toContain("prometheus.scrape.linkmesh");
    expect(ids).toContain("prometheus.scrape.linkmesh_2");
    expect(new Set(ids).size).toBe(ids.length);
    expect(mergeBootstrap(merged.text, settings).text).toBe(merged.text);
    expect(inspectBootstrap(merged.text)).toMatchObject({ label: "linkmesh_2", drifted: false });
  });

  it("refreshes the managed section when the relay endpoint changes, leaving the operator's part alone", () => {
    const user = realConfig("packaging.alloy");
    const first = mergeBootstrap(user, settings).text;
    const moved = mergeBootstrap(first, { ...settings, otlpEndpoint: "https://other.example.net/v1/metrics" }).text;
    expect(moved).toContain("https://other.example.net/v1/metrics");
    expect(moved).not.toContain("relay.example.net");
    expect(moved.endsWith(user)).toBe(true);
  });

  it("refuses a config that does not parse, saying where", () => {
    expect(() => mergeBootstrap('prometheus.scrape "x" {\n\ttargets = [\n}\n', settings)).toThrow(BootstrapError);
    try {
      mergeBootstrap("a = 'single'\n", settings);
    } catch (error) {
      expect((error as BootstrapError).reason).toBe("user_config_invalid");
      expect((error as BootstrapError).message).toMatch(/config\.alloy:1:\d+/);
    }
  });
});

describe("drift", () => {
  const good = mergeBootstrap(realConfig("packaging.alloy"), settings).text;
  const cases: [string, string, { marker: boolean; missing: string[]; drifted: boolean }][] = [
    ["untouched", good, { marker: true, missing: [], drifted: false }],
    ["marker line removed", good.replace(`${BOOTSTRAP_MARKER}\n`, ""), { marker: false, missing: [], drifted: true }],
    [
      "LinkMesh exporter removed",
      good.replace(/otelcol\.exporter\.otlphttp "linkmesh" \{[\s\S]*?\n\}\n/, ""),
      { marker: true, missing: ["otelcol.exporter.otlphttp.linkmesh"], drifted: true },
    ],
    [
      "whole managed section replaced by the operator's file",
      realConfig("packaging.alloy"),
      {
        marker: false,
        missing: [
          "prometheus.exporter.self.linkmesh",
          "prometheus.scrape.linkmesh",
          "otelcol.receiver.prometheus.linkmesh",
          "otelcol.exporter.otlphttp.linkmesh",
        ],
        drifted: true,
      },
    ],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    expect(inspectBootstrap(text)).toMatchObject(expected);
  });

  it("restoring a drifted config brings the blocks back without touching the operator's part", () => {
    const broken = good.replace(/otelcol\.exporter\.otlphttp "linkmesh" \{[\s\S]*?\n\}\n/, "");
    expect(broken).toContain(BOOTSTRAP_END_MARKER);
    const restored = mergeBootstrap(broken, settings).text;
    expect(restored).toBe(good);
  });
});

// An OpAMP-enrolled otelcol-contrib: its effective config gives the graph, its own OTLP metrics (otelcol names and
// labels) must land on that graph's components with the right rates. Pure: OTLP decode + classify + rate engine.
import { describe, expect, it } from "vitest";
import { canonicalComponentId, classifySeries, seriesKeyOf } from "../../common/telemetry/index.js";
import { decodeProtobufMetrics, ExportMetricsServiceRequest } from "../otlp/index.js";
import { RateEngine } from "../rates/index.js";
import { graphFromEffectiveConfig } from "./effective-config.js";

const EFFECTIVE_CONFIG = `receivers:
  otlp:
    protocols: { grpc: {}, http: {} }
processors:
  batch: {}
exporters:
  otlp_http/backend: { endpoint: "https://backend.example:4318" }
  debug: {}
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp_http/backend] }
    metrics: { receivers: [otlp], processors: [batch], exporters: [debug] }
`;

const T0_MS = Date.UTC(2026, 7, 21, 10, 0, 0);
const START_NS = BigInt(T0_MS - 600_000) * 1_000_000n;

/** One OTLP push of cumulative counters, shaped as otelcol's Go SDK exports them. */
function push(
  atMs: number,
  series: { name: string; attributes: Record<string, string>; value: number }[],
  valueField: "asInt" | "asDouble" = "asInt",
) {
  const kvs = (attrs: Record<string, string>) =>
    Object.entries(attrs).map(([key, stringValue]) => ({ key, value: { stringValue } }));
  const request = {
    resourceMetrics: [
      {
        resource: {
          attributes: kvs({
            "service.name": "otelcol-contrib",
            "service.instance.id": "0190f8e2-6c1a-7b3e-9d4f-2a5b6c7d8e9f",
          }),
        },
        scopeMetrics: [
          {
            scope: { name: "go.opentelemetry.io/collector/exporter/exporterhelper" },
            metrics: series.map((s) => ({
              name: s.name,
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  {
                    attributes: kvs(s.attributes),
                    startTimeUnixNano: START_NS.toString(),
                    timeUnixNano: (BigInt(atMs) * 1_000_000n).toString(),
                    [valueField]: s.value,
                  },
                ],
              },
            })),
          },
        ],
      },
    ],
  };
  return ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(request)).finish();
}

const SERIES = (scale: number) => [
  {
    name: "otelcol_receiver_accepted_spans",
    attributes: { receiver: "otlp", transport: "grpc" },
    value: 1000 + 20 * scale,
  },
  {
    name: "otelcol_receiver_accepted_metric_points",
    attributes: { receiver: "otlp", transport: "http" },
    value: 50 + 5 * scale,
  },
  {
    name: "otelcol_processor_incoming_items",
    attributes: { processor: "batch", "otel.signal": "traces" },
    value: 900 + 20 * scale,
  },
  {
    name: "otelcol_exporter_sent_spans",
    attributes: { exporter: "otlp_http/backend", "server.address": "backend.example" },
    value: 800 + 20 * scale,
  },
  { name: "otelcol_exporter_sent_metric_points", attributes: { exporter: "debug" }, value: 40 + 5 * scale },
  { name: "otelcol_exporter_send_failed_spans", attributes: { exporter: "otlp_http/backend" }, value: 3 + scale },
];

describe("otelcol self-telemetry of an OpAMP-enrolled collector", () => {
  const graph = (() => {
    const result = graphFromEffectiveConfig([{ name: "", contentType: "text/yaml", body: EFFECTIVE_CONFIG }]);
    if (!result.ok) throw new Error(result.message);
    return result.graph;
  })();
  const graphIds = new Set(graph.components.map((c) => canonicalComponentId(c.otelcol?.id ?? c.id)));

  it("classifies every otelcol flow series onto a component of the reported graph", () => {
    const points = decodeProtobufMetrics(push(T0_MS, SERIES(0)));
    const classes = points.map((p) => classifySeries(p.name, p.attributes, "otelcol-contrib"));
    expect(classes.map((c) => c && `${c.componentId}:${c.signal}:${c.direction}`)).toEqual([
      "otlp:traces:accepted",
      "otlp:metrics:accepted",
      "batch:traces:in",
      "otlphttp/backend:traces:sent",
      "debug:metrics:sent",
      "otlphttp/backend:traces:send_failed",
    ]);
    for (const c of classes) expect(graphIds.has(c?.componentId ?? "")).toBe(true);
  });

  const ratesOf = (valueField: "asInt" | "asDouble") => {
    const engine = new RateEngine();
    const rateOf = new Map<string, number | null>();
    for (const [i, atMs] of [T0_MS, T0_MS + 30_000].entries()) {
      const points = decodeProtobufMetrics(push(atMs, SERIES(i * 30), valueField));
      const update = engine.update(
        points.map((p) => ({
          seriesKey: seriesKeyOf(p.name, p.attributes),
          value: p.value,
          timeMs: p.timeMs,
          startTimeMs: p.startTimeMs,
          temporality: p.temporality === "delta" ? ("delta" as const) : ("cumulative" as const),
        })),
        atMs,
      );
      points.forEach((p, k) => {
        const c = classifySeries(p.name, p.attributes, "otelcol-contrib");
        rateOf.set(`${c?.componentId}:${c?.signal}:${c?.direction}`, update.rates[k]?.ratePerSecond ?? null);
      });
    }
    return Object.fromEntries(rateOf);
  };
  const EXPECTED_RATES = {
    "otlp:traces:accepted": 20,
    "otlp:metrics:accepted": 5,
    "batch:traces:in": 20,
    "otlphttp/backend:traces:sent": 20,
    "debug:metrics:sent": 5,
    "otlphttp/backend:traces:send_failed": 1,
  };

  it("turns two pushes 30 s apart into per-component rates (double-valued points)", () => {
    expect(ratesOf("asDouble")).toEqual(EXPECTED_RATES);
  });

  it("turns two pushes 30 s apart into per-component rates (int-valued points, as otelcol sends)", () => {
    expect(ratesOf("asInt")).toEqual(EXPECTED_RATES);
  });

  it("reads otelcol.component.id from scope attributes (pipeline telemetry of connectors)", () => {
    const request = {
      resourceMetrics: [
        {
          resource: { attributes: [] },
          scopeMetrics: [
            {
              scope: {
                name: "go.opentelemetry.io/collector/service",
                attributes: [
                  { key: "otelcol.component.id", value: { stringValue: "count/spans" } },
                  { key: "otelcol.component.kind", value: { stringValue: "connector" } },
                ],
              },
              metrics: [
                {
                  name: "otelcol.connector.consumed.items",
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        attributes: [{ key: "otel.signal", value: { stringValue: "traces" } }],
                        timeUnixNano: (BigInt(T0_MS) * 1_000_000n).toString(),
                        asInt: 42,
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const body = ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(request)).finish();
    const [point] = decodeProtobufMetrics(body);
    expect(point?.value).toBe(42);
    const c = point && classifySeries(point.name, point.attributes, "otelcol-contrib");
    expect(c && `${c.componentId}:${c.signal}:${c.direction}`).toBe("count/spans:traces:in");
  });
});

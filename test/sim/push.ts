// One OTLP/HTTP protobuf push (gzip) through the real OpenTelemetry exporter, optionally from a chosen loopback
// source address: every simulated host shares 127.0.0.1, and the relay rate-limits failed logins per address.

import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";

/** `authorization` is the whole header value (`Bearer ...`); null sends no Authorization header at all. */
export async function pushOtlp(
  url: string,
  authorization: string | null,
  metrics: ResourceMetrics,
  localAddress?: string,
): Promise<{ ok: boolean; error?: string }> {
  const exporter = new OTLPMetricExporter({
    url,
    headers: authorization === null ? {} : { Authorization: authorization },
    compression: "gzip" as never,
    timeoutMillis: 10_000,
    ...(localAddress ? { httpAgentOptions: { localAddress } as never } : {}),
  });
  try {
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(metrics, resolve));
    return result.code === ExportResultCode.SUCCESS
      ? { ok: true }
      : { ok: false, error: result.error?.message ?? "export failed" };
  } finally {
    await exporter.shutdown();
  }
}

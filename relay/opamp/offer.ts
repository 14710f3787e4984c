// The one-time own_metrics offer: where an enrolled collector pushes its self-telemetry, with which bearer. Pure.

import { createHash } from "node:crypto";
import { OTLP_METRICS_PATH } from "../../common/protocol/index.js";
import type { ServerToAgent } from "./messages.js";

/** ConnectionSettingsOffers with `own_metrics` only; the hash covers every offered setting (opamp-go skips repeats). */
export function ownMetricsOffer(
  publicUrl: string,
  collectorToken: string,
): NonNullable<ServerToAgent["connectionSettings"]> {
  const destinationEndpoint = `${publicUrl.replace(/\/+$/, "")}${OTLP_METRICS_PATH}`;
  const headers = [{ key: "Authorization", value: `Bearer ${collectorToken}` }];
  const hash = createHash("sha256")
    .update(destinationEndpoint)
    .update("\n")
    .update(headers[0]?.value ?? "")
    .digest();
  return { hash: new Uint8Array(hash), ownMetrics: { destinationEndpoint, headers } };
}

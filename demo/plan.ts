// The demo fleet as plain data: which hosts exist, what each runs (Alloy config text and the components its
// self-telemetry counts, or an otelcol effective config), how its rates move over time, and how it is broken. Pure.

import type { SimComponent } from "../test/sim/alloy.js";
import type { OtelcolSimOptions } from "../test/sim/otelcol.js";

/** The ways a host can be broken, one per failure the troubleshooting page names. */
export type BrokenCase =
  | "no_bootstrap"
  | "exporter_failing"
  | "revoked_token"
  | "renamed_component"
  | "deleted_destination"
  | "fresh_collector";

export const BROKEN_CASES: readonly BrokenCase[] = [
  "no_bootstrap",
  "exporter_failing",
  "revoked_token",
  "renamed_component",
  "deleted_destination",
  "fresh_collector",
];

/** What the operator should see for each broken host, in words (printed by the demo). */
export const BROKEN_STORY: Record<BrokenCase, string> = {
  no_bootstrap: "config has no // linkmesh-bootstrap marker: no OTLP push, numbers only via the agent (Check 2)",
  exporter_failing: "an exporter fails with retries: journal retry lines, export_failure events, degraded (Check 2)",
  revoked_token: "its token was revoked by a re-enrolment elsewhere: 401 rejections, no_telemetry (Check 3)",
  renamed_component: "a component renamed in the running config: component_naming_mismatch unknown component (Check 4)",
  deleted_destination: "a destination deleted while it still had throughput: orphan throughput (Check 4)",
  fresh_collector: "a fresh collector: edges wait for their second sample (30 s apart)",
};

export interface AlloyHostPlan {
  kind: "alloy";
  hostname: string;
  broken: BrokenCase | null;
  /** The operator's part of /etc/alloy/config.alloy (the agent adds the LinkMesh section above it). */
  config: string;
  /** The config after the deleted destination is gone (deleted_destination only). */
  configAfter: string | null;
  /** What the simulated Alloy counts, including the LinkMesh self-telemetry pipeline. */
  components: SimComponent[];
  /** Components after the change (renamed or deleted); null when the pipeline never changes. */
  componentsAfter: SimComponent[] | null;
}

/** What the otelcol-contrib stand-in is given, less its start time (the fleet picks it). */
export interface OtelcolHostPlan extends Omit<OtelcolSimOptions, "startTimeMs" | "valueType"> {
  kind: "otelcol";
  broken: null;
}

export type HostPlan = AlloyHostPlan | OtelcolHostPlan;

/**
 * A rate that drifts like real traffic: `base` items/s, +-40 % over a 10-minute day, as a never-decreasing count
 * (the integral of base * (1 + 0.4 sin(2 pi t / period + phase))).
 */
export function drifting(base: number, phase: number, periodSeconds = 600): (elapsedSeconds: number) => number {
  const w = (2 * Math.PI) / periodSeconds;
  return (t) => base * (t - (0.4 / w) * (Math.cos(w * t + phase) - Math.cos(phase)));
}

const LINKMESH_SELF = (rate: number): SimComponent[] => [
  { id: "prometheus.scrape.linkmesh", ratePerSecond: rate },
  { id: "otelcol.receiver.prometheus.linkmesh", ratePerSecond: rate },
  { id: "otelcol.exporter.otlphttp.linkmesh", ratePerSecond: rate },
];

interface Pipeline {
  config: string;
  components: (seed: number) => SimComponent[];
}

const varying = (id: string, base: number, seed: number, extra: Partial<SimComponent> = {}): SimComponent => ({
  id,
  ratePerSecond: base,
  countAt: drifting(base, seed),
  ...extra,
});

/** OTLP in, batched, OTLP out (an application gateway). */
const OTLP_GATEWAY: Pipeline = {
  config: `otelcol.receiver.otlp "default" {
  http { }

  output {
    metrics = [otelcol.processor.batch.default.input]
    traces  = [otelcol.processor.batch.default.input]
  }
}

otelcol.processor.batch "default" {
  output {
    metrics = [otelcol.exporter.otlphttp.backend.input]
    traces  = [otelcol.exporter.otlphttp.backend.input]
  }
}

otelcol.exporter.otlphttp "backend" {
  client {
    endpoint = "https://otlp.example.net:4318"
  }
}
`,
  components: (seed) => [
    varying("otelcol.receiver.otlp.default", 420 + 37 * seed, seed),
    varying("otelcol.processor.batch.default", 420 + 37 * seed, seed),
    varying("otelcol.exporter.otlphttp.backend", 420 + 37 * seed, seed),
  ],
};

/** Prometheus scrape in, remote_write out (node metrics to Mimir). */
const SCRAPE_TO_MIMIR: Pipeline = {
  config: `prometheus.scrape "node" {
  targets    = [{"__address__" = "127.0.0.1:9100"}]
  forward_to = [prometheus.remote_write.mimir.receiver]
}

prometheus.remote_write "mimir" {
  endpoint {
    url = "https://mimir.example.net/api/v1/push"
  }
}
`,
  components: (seed) => [
    varying("prometheus.scrape.node", 1200 + 90 * seed, seed),
    varying("prometheus.remote_write.mimir", 1200 + 90 * seed, seed),
  ],
};

/** File logs in, Loki out. */
const FILE_LOGS_TO_LOKI: Pipeline = {
  config: `loki.source.file "app" {
  targets    = [{"__path__" = "/var/log/app/app.log"}]
  forward_to = [loki.write.loki.receiver]
}

loki.write "loki" {
  endpoint {
    url = "https://loki.example.net/loki/api/v1/push"
  }
}
`,
  components: (seed) => [
    varying("loki.source.file.app", 75 + 11 * seed, seed, { signal: "logs" }),
    varying("loki.write.loki", 75 + 11 * seed, seed, { signal: "logs" }),
  ],
};

const PIPELINES: Pipeline[] = [OTLP_GATEWAY, SCRAPE_TO_MIMIR, FILE_LOGS_TO_LOKI];

const OTELCOL_TRACES = `receivers:
  otlp:
    protocols: { grpc: {}, http: {} }
processors:
  batch: {}
exporters:
  otlp_http/backend: { endpoint: "https://otlp.example.net:4318" }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp_http/backend] }
`;

const OTELCOL_METRICS = `receivers:
  prometheus:
    config:
      scrape_configs:
        - job_name: node
          static_configs: [{ targets: ["127.0.0.1:9100"] }]
processors:
  batch: {}
exporters:
  prometheusremotewrite/mimir: { endpoint: "https://mimir.example.net/api/v1/push" }
service:
  pipelines:
    metrics: { receivers: [prometheus], processors: [batch], exporters: [prometheusremotewrite/mimir] }
`;

function healthyAlloy(hostname: string, seed: number): AlloyHostPlan {
  const pipeline = PIPELINES[seed % PIPELINES.length] as Pipeline;
  return {
    kind: "alloy",
    hostname,
    broken: null,
    config: pipeline.config,
    configAfter: null,
    components: [...LINKMESH_SELF(40), ...pipeline.components(seed)],
    componentsAfter: null,
  };
}

function otelcol(hostname: string, seed: number): OtelcolHostPlan {
  const traces = seed % 2 === 0;
  return traces
    ? {
        kind: "otelcol",
        hostname,
        broken: null,
        effectiveConfig: OTELCOL_TRACES,
        signal: "traces",
        receiver: "otlp",
        processor: "batch",
        exporter: "otlp_http/backend",
        countAt: drifting(310 + 23 * seed, seed),
      }
    : {
        kind: "otelcol",
        hostname,
        broken: null,
        effectiveConfig: OTELCOL_METRICS,
        signal: "metrics",
        receiver: "prometheus",
        processor: "batch",
        exporter: "prometheusremotewrite/mimir",
        countAt: drifting(900 + 51 * seed, seed),
      };
}

function brokenAlloy(broken: BrokenCase, hostname: string, seed: number): AlloyHostPlan {
  const base = healthyAlloy(hostname, seed);
  switch (broken) {
    case "no_bootstrap":
      // Enrolled with --no-bootstrap: the collector has no exporter to LinkMesh, so it never pushes.
      return { ...base, broken, config: SCRAPE_TO_MIMIR.config, components: SCRAPE_TO_MIMIR.components(seed) };
    case "exporter_failing": {
      const components = OTLP_GATEWAY.components(seed).map((c) =>
        c.id === "otelcol.exporter.otlphttp.backend" ? { ...c, failedPerSecond: 35 } : c,
      );
      return { ...base, broken, config: OTLP_GATEWAY.config, components: [...LINKMESH_SELF(40), ...components] };
    }
    case "renamed_component": {
      const components = SCRAPE_TO_MIMIR.components(seed).map((c) =>
        c.id === "prometheus.remote_write.mimir" ? { ...c, id: "prometheus.remote_write.mimir_eu" } : c,
      );
      return { ...base, broken, config: SCRAPE_TO_MIMIR.config, components: [...LINKMESH_SELF(40), ...components] };
    }
    case "deleted_destination": {
      const config = FILE_LOGS_TO_LOKI.config
        .replace(
          "forward_to = [loki.write.loki.receiver]",
          "forward_to = [loki.write.loki.receiver, loki.write.archive.receiver]",
        )
        .concat(`
loki.write "archive" {
  endpoint {
    url = "https://archive.example.net/loki/api/v1/push"
  }
}
`);
      const components = [
        ...LINKMESH_SELF(40),
        ...FILE_LOGS_TO_LOKI.components(seed),
        varying("loki.write.archive", 75 + 11 * seed, seed, { signal: "logs" }),
      ];
      return {
        ...base,
        broken,
        config,
        configAfter: FILE_LOGS_TO_LOKI.config,
        components,
        componentsAfter: components.filter((c) => c.id !== "loki.write.archive"),
      };
    }
    case "revoked_token":
    case "fresh_collector":
      return { ...base, broken };
  }
}

/**
 * The fleet for `hosts` hosts: one healthy Alloy and one otelcol-contrib first, then every broken case (as many as
 * fit), then more healthy hosts, every fourth of them an otelcol-contrib over OpAMP.
 */
export function planFleet(hosts: number): HostPlan[] {
  const plans: HostPlan[] = [];
  let alloyN = 0;
  let otelN = 0;
  const nextAlloyName = () => `alloy-${String(++alloyN).padStart(2, "0")}`;
  const nextOtelName = () => `otel-${String(++otelN).padStart(2, "0")}`;
  for (let i = 0; i < hosts; i++) {
    const seed = i;
    if (i === 0) plans.push(healthyAlloy(nextAlloyName(), seed));
    else if (i === 1) plans.push(otelcol(nextOtelName(), seed));
    else if (i - 2 < BROKEN_CASES.length) {
      const broken = BROKEN_CASES[i - 2] as BrokenCase;
      plans.push(brokenAlloy(broken, `${broken.replace(/_/g, "-")}-01`, seed));
    } else if ((i - 2 - BROKEN_CASES.length) % 4 === 3) plans.push(otelcol(nextOtelName(), seed));
    else plans.push(healthyAlloy(nextAlloyName(), seed));
  }
  return plans;
}

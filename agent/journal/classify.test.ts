import { describe, expect, it } from "vitest";
import { classifyJournalEntry, classifyJournalLine, type LineClassification, parseLogfmt } from "./index.js";

/** Properties to check; `undefined` asserts the property is absent. */
type Expected = { [K in Exclude<keyof LineClassification, "fields">]?: LineClassification[K] | undefined } & {
  fields?: Record<string, string>;
};

/** `journalctl -o short-iso` prints `TIME HOST UNIT[PID]: ` before MESSAGE; journald's MESSAGE is what follows. */
const messageOf = (shortIsoLine: string): string => shortIsoLine.replace(/^\S+ \S+ [^\s[]+\[\d+\]: /, "");

// Real Alloy lines, copied from the issues quoted in /work/shared/reference/alloy.md §5.
const ALLOY_REAL: [string, string, Expected][] = [
  [
    "retry on a 502 from a proxy (grafana/k8s-monitoring-helm#962)",
    String.raw`ts=2024-12-02T14:38:04.932002269Z level=info msg="Exporting failed. Will retry the request after interval." component_path=/ component_id=otelcol.exporter.otlp.otlp error="rpc error: code = Unavailable desc = unexpected HTTP status code received from server: 502 (Bad Gateway); transport: received unexpected content-type \"text/html\"" interval=2.94364643s`,
    {
      kind: "export_retry",
      level: "info",
      component: "otelcol.exporter.otlp.otlp",
      message: "Exporting failed. Will retry the request after interval.",
      statusCode: 502,
      format: "logfmt",
      fields: {
        ts: "2024-12-02T14:38:04.932002269Z",
        component_path: "/",
        component_id: "otelcol.exporter.otlp.otlp",
        error:
          'rpc error: code = Unavailable desc = unexpected HTTP status code received from server: 502 (Bad Gateway); transport: received unexpected content-type "text/html"',
        interval: "2.94364643s",
      },
    },
  ],
  [
    "retry on a broken connection, no status (grafana/alloy#4761)",
    String.raw`level=info msg="Exporting failed. Will retry the request after interval." component_path=/ component_id=otelcol.exporter.otlphttp.traces error="failed to make an HTTP request: Post \"https://$tempo-endpoint/v1/traces\": net/http: HTTP/1.x transport connection broken: malformed HTTP response"`,
    {
      kind: "export_retry",
      level: "info",
      component: "otelcol.exporter.otlphttp.traces",
      statusCode: undefined,
      fields: {
        component_path: "/",
        component_id: "otelcol.exporter.otlphttp.traces",
        error:
          'failed to make an HTTP request: Post "https://$tempo-endpoint/v1/traces": net/http: HTTP/1.x transport connection broken: malformed HTTP response',
      },
    },
  ],
  [
    "drop at shutdown (grafana/k8s-monitoring-helm#977)",
    `ts=2024-12-07T18:03:17.745659015Z level=error msg="Exporting failed. Dropping data." component_path=/ component_id=otelcol.exporter.otlp.otlpgateway error="interrupted due to shutdown: rpc error: code = Unavailable desc = …" dropped_items=5`,
    {
      kind: "export_dropped",
      level: "error",
      component: "otelcol.exporter.otlp.otlpgateway",
      message: "Exporting failed. Dropping data.",
      droppedItems: 5,
      statusCode: undefined,
    },
  ],
  [
    "permanent 400 from Grafana Cloud (third-party tutorial)",
    `ts=2025-12-08T13:31:34.146517099Z level=error msg="Exporting failed. Dropping data." component_path=/ component_id=otelcol.exporter.otlphttp.grafana_cloud error="not retryable error: Permanent error: rpc error: code = InvalidArgument desc = error exporting items, request to https://otlp-gateway-prod-gb-south-0.grafana.net/otlp/v1/metrics responded with HTTP Status Code 400, Message=…"`,
    {
      kind: "export_dropped",
      level: "error",
      component: "otelcol.exporter.otlphttp.grafana_cloud",
      statusCode: 400,
      droppedItems: undefined,
    },
  ],
  [
    "401: the destination refused the credentials",
    `level=error msg="Exporting failed. Dropping data." component_id=otelcol.exporter.otlphttp.observe error="not retryable error: Permanent error: rpc error: code = Unauthenticated desc = error exporting items, request to https://…/v1/logs responded with HTTP Status Code 401" dropped_items=1`,
    {
      kind: "auth_rejected",
      level: "error",
      component: "otelcol.exporter.otlphttp.observe",
      statusCode: 401,
      droppedItems: 1,
    },
  ],
  [
    "loki.write retry, status=-1 is not an HTTP status (grafana/alloy#2424)",
    `level=warn msg="error sending batch, will retry" component_path=/ component_id=loki.write.test component=client host=… status=-1 tenant="" error="…"`,
    {
      kind: "export_retry",
      level: "warn",
      component: "loki.write.test",
      statusCode: undefined,
      fields: {
        component_path: "/",
        component_id: "loki.write.test",
        component: "client",
        host: "…",
        status: "-1",
        tenant: "",
        error: "…",
      },
    },
  ],
  [
    "graph evaluation from a real journal: nothing about delivery",
    `ts=… level=info msg="finished node evaluation" controller_path=/ controller_id=remotecfg trace_id=…`,
    { kind: "other", level: "info", component: undefined, message: "finished node evaluation" },
  ],
];

// Lines whose message and fields the reference documents (alloy.md §5) without quoting a whole line.
const ALLOY_DOCUMENTED: [string, string, Expected][] = [
  [
    "debug export attempt",
    `ts=2026-08-21T10:15:00.000000001Z level=debug msg="Preparing to make HTTP request" component_path=/ component_id=otelcol.exporter.otlphttp.linkmesh url=https://relay.example/v1/metrics`,
    {
      kind: "export_attempt",
      level: "debug",
      component: "otelcol.exporter.otlphttp.linkmesh",
      fields: {
        ts: "2026-08-21T10:15:00.000000001Z",
        component_path: "/",
        component_id: "otelcol.exporter.otlphttp.linkmesh",
        url: "https://relay.example/v1/metrics",
      },
    },
  ],
  [
    "partial success counts dropped points",
    `level=warn msg="Partial success response" component_path=/ component_id=otelcol.exporter.otlphttp.linkmesh message="3 points had no series" dropped_data_points=3`,
    { kind: "partial_success", level: "warn", droppedItems: 3, component: "otelcol.exporter.otlphttp.linkmesh" },
  ],
  [
    "queue full: rejected before sending",
    `level=error msg="Exporting failed. Rejecting data. Try enabling sending_queue to survive temporary failures." component_path=/ component_id=otelcol.exporter.otlphttp.linkmesh error="sending queue is full" rejected_items=412`,
    { kind: "export_rejected", rejectedItems: 412, droppedItems: undefined },
  ],
  [
    "SIGHUP reload",
    `ts=2026-08-21T10:20:00Z level=info msg="config reloaded"`,
    { kind: "config_reloaded", level: "info" },
  ],
  [
    "reload failure",
    `ts=2026-08-21T10:20:00Z level=error msg="failed to reload config" err="loading config: component otelcol.exporter.otlphttp.x does not exist"`,
    { kind: "config_reload_failed", level: "error" },
  ],
  [
    "remotecfg fetch failure is not a reload failure",
    `level=error msg="failed to fetch remote config" service=remotecfg err="context deadline exceeded"`,
    { kind: "other", level: "error", component: undefined },
  ],
];

// Real and documented otelcol lines from /work/shared/reference/otelcol-opamp.md §6 (journald prefix kept where quoted).
const OTELCOL: [string, string, Expected][] = [
  [
    "v0.117 console drop, kind/name fields (open-telemetry/opentelemetry-collector#12451)",
    `2025-02-20T15:30:17.360Z\terror\tinternal/queue_sender.go:103\tExporting failed. Dropping data.\t{"kind": "exporter", "data_type": "logs", "name": "otlp", "error": "no more retries left: rpc error: code = DeadlineExceeded desc = context deadline exceeded", "dropped_items": 26}`,
    {
      kind: "export_dropped",
      level: "error",
      component: "otlp",
      message: "Exporting failed. Dropping data.",
      droppedItems: 26,
      format: "console",
      fields: {
        ts: "2025-02-20T15:30:17.360Z",
        caller: "internal/queue_sender.go:103",
        kind: "exporter",
        data_type: "logs",
        name: "otlp",
        error: "no more retries left: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        dropped_items: "26",
      },
    },
  ],
  [
    "current console retry with resource and otelcol.component.* fields",
    `2026-08-21T10:15:02+0000 host1 otelcol-contrib[812]: 2026-08-21T10:15:02.113Z\tinfo\tinternal/retry_sender.go:136\tExporting failed. Will retry the request after interval.\t{"resource": {"service.instance.id": "0190f8e2-6c1a-7b3e-9d4f-2a5b6c7d8e9f", "service.name": "otelcol-contrib", "service.version": "0.158.0"}, "otelcol.component.id": "otlp_http/relay", "otelcol.component.kind": "exporter", "otelcol.signal": "metrics", "error": "failed to make an HTTP request: Post \\"https://relay.example/v1/metrics\\": dial tcp: lookup relay.example: no such host", "interval": "5.21s"}`,
    {
      kind: "export_retry",
      level: "info",
      component: "otlp_http/relay",
      statusCode: undefined,
      format: "console",
      fields: {
        ts: "2026-08-21T10:15:02.113Z",
        caller: "internal/retry_sender.go:136",
        "resource.service.instance.id": "0190f8e2-6c1a-7b3e-9d4f-2a5b6c7d8e9f",
        "resource.service.name": "otelcol-contrib",
        "resource.service.version": "0.158.0",
        "otelcol.component.id": "otlp_http/relay",
        "otelcol.component.kind": "exporter",
        "otelcol.signal": "metrics",
        error:
          'failed to make an HTTP request: Post "https://relay.example/v1/metrics": dial tcp: lookup relay.example: no such host',
        interval: "5.21s",
      },
    },
  ],
  [
    "console rejection whose JSON does not parse (elided resource): fields are still read",
    `2026-08-21T10:16:40+0000 host1 otelcol-contrib[812]: 2026-08-21T10:16:40.002Z\terror\tinternal/base_exporter.go:119\tExporting failed. Rejecting data.\t{"resource": {…}, "otelcol.component.id": "otlp_http/relay", "otelcol.component.kind": "exporter", "otelcol.signal": "metrics", "error": "sending queue is full", "rejected_items": 412}`,
    {
      kind: "export_rejected",
      level: "error",
      component: "otlp_http/relay",
      rejectedItems: 412,
      message: "Exporting failed. Rejecting data.",
    },
  ],
  [
    "JSON encoding drop with stacktrace",
    `{"level":"error","ts":"2026-08-21T10:17:05.870Z","caller":"internal/queue_sender.go:62","msg":"Exporting failed. Dropping data.","resource":{"service.instance.id":"0190f8e2-…","service.name":"otelcol-contrib","service.version":"0.158.0"},"otelcol.component.id":"otlp_http/relay","otelcol.component.kind":"exporter","otelcol.signal":"metrics","error":"no more retries left: …","dropped_items":1200,"stacktrace":"go.opentelemetry.io/collector/exporter/exporterhelper/internal.NewQueueSender.func1\\n\\t…"}`,
    {
      kind: "export_dropped",
      level: "error",
      component: "otlp_http/relay",
      droppedItems: 1200,
      format: "json",
      message: "Exporting failed. Dropping data.",
    },
  ],
  [
    "upstream debug attempt (open-telemetry-collector-contrib#31356; timestamp elided in the quote)",
    `2024-02-20T10:00:00.000Z\tdebug\totlphttpexporter@v0.92.0/otlp.go:118\tPreparing to make HTTP request\t{"kind": "exporter", "data_type": "metrics", "name": "otlphttp", "url": "http://localhost:9009/otlp/v1/metrics"}`,
    {
      kind: "export_attempt",
      level: "debug",
      component: "otlphttp",
      fields: {
        ts: "2024-02-20T10:00:00.000Z",
        caller: "otlphttpexporter@v0.92.0/otlp.go:118",
        kind: "exporter",
        data_type: "metrics",
        name: "otlphttp",
        url: "http://localhost:9009/otlp/v1/metrics",
      },
    },
  ],
  [
    "config watcher restart",
    `2026-08-21T10:18:00.000Z\twarn\totelcol/collector.go:300\tConfig updated, restart service`,
    {
      kind: "config_reloaded",
      level: "warn",
      component: undefined,
      fields: { ts: "2026-08-21T10:18:00.000Z", caller: "otelcol/collector.go:300" },
    },
  ],
  [
    "own-metrics push refused by the relay's auth",
    `2026-08-21T10:19:00.000Z\terror\totelconftelemetry/logger.go:80\tOpenTelemetry internal telemetry error\t{"error": "failed to upload metrics: failed to send metrics to https://relay.example/v1/metrics: 401 Unauthorized"}`,
    { kind: "auth_rejected", level: "error", component: undefined, statusCode: undefined },
  ],
  [
    "an older exporterhelper wording still counts as a drop",
    `2023-03-02T21:18:54.447Z\terror\texporterhelper/queued_retry.go:394\tExporting failed. The error is not retryable. Dropping data.\t{"kind": "exporter", "data_type": "metrics", "name": "prometheusremotewrite", "error": "Permanent error: Permanent error: remote write returned HTTP status 400 Bad Request", "dropped_items": 7}`,
    { kind: "export_dropped", component: "prometheusremotewrite", statusCode: 400, droppedItems: 7 },
  ],
  [
    "a stacktrace frame journald stored as its own entry",
    `go.opentelemetry.io/collector/exporter/exporterhelper/internal.NewQueueSender.func1`,
    { kind: "other", level: "unknown", format: "plain", component: undefined },
  ],
];

function check([_, line, expected]: [string, string, Expected]): void {
  const got = classifyJournalLine(messageOf(line));
  const { fields, ...rest } = expected;
  for (const [key, value] of Object.entries(rest)) {
    expect(got[key as keyof LineClassification], key).toEqual(value);
  }
  if (fields !== undefined) expect(got.fields).toEqual(fields);
}

describe("Alloy journal lines (logfmt, level= inside MESSAGE)", () => {
  it.each(ALLOY_REAL)("real line: %s", (...row) => check(row));
  it.each(ALLOY_DOCUMENTED)("documented shape: %s", (...row) => check(row));
});

describe("otelcol-contrib journal lines (zap console and JSON)", () => {
  it.each(OTELCOL)("%s", (...row) => check(row));
});

describe("journalctl -o json entries", () => {
  const line = `level=error msg="Exporting failed. Dropping data." component_id=otelcol.exporter.otlphttp.observe error="not retryable error: Permanent error: rpc error: code = Unauthenticated desc = error exporting items, request to https://…/v1/logs responded with HTTP Status Code 401" dropped_items=1`;
  const base = {
    __CURSOR: "s=6f3c;i=1a2;b=9e1;m=12ab;t=62f1;x=77",
    __REALTIME_TIMESTAMP: "1755771302113456",
    _SYSTEMD_UNIT: "alloy.service",
    SYSLOG_IDENTIFIER: "alloy",
    PRIORITY: "6",
  };

  it("carries cursor, journald time (ms), unit and the line's classification; PRIORITY=6 does not lower the level", () => {
    const result = classifyJournalEntry({ ...base, MESSAGE: line });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.line).toMatchObject({
      kind: "auth_rejected",
      level: "error",
      component: "otelcol.exporter.otlphttp.observe",
      statusCode: 401,
      droppedItems: 1,
      time: 1755771302113,
      cursor: base.__CURSOR,
      unit: "alloy.service",
      identifier: "alloy",
    });
  });

  it("decodes MESSAGE given as an array of bytes (journalctl does so for non-printable text)", () => {
    const withColour = `\u001b[0m${line}`;
    const result = classifyJournalEntry({ ...base, MESSAGE: [...new TextEncoder().encode(withColour)] });
    expect(result.ok && result.line.kind).toBe("auth_rejected");
    expect(result.ok && result.line.message).toBe("Exporting failed. Dropping data.");
  });

  it("decodes multi-byte UTF-8 from a byte array", () => {
    const result = classifyJournalEntry({ ...base, MESSAGE: [...new TextEncoder().encode('level=info msg="café"')] });
    expect(result.ok && result.line.message).toBe("café");
  });

  it.each([
    ["not an object", "a string", "not_an_object"],
    ["null", null, "not_an_object"],
    ["no cursor", { MESSAGE: line, __REALTIME_TIMESTAMP: "1" }, "missing_cursor"],
    ["no message", { __CURSOR: "c", __REALTIME_TIMESTAMP: "1" }, "missing_message"],
    ["message of other type", { __CURSOR: "c", __REALTIME_TIMESTAMP: "1", MESSAGE: { a: 1 } }, "missing_message"],
    ["bad timestamp", { __CURSOR: "c", __REALTIME_TIMESTAMP: "yesterday", MESSAGE: line }, "bad_timestamp"],
  ])("rejects %s with a reason", (_name, entry, reason) => {
    const result = classifyJournalEntry(entry);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe(reason);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe("logfmt values as Go's slog writes them", () => {
  it.each<[string, string, Record<string, string>]>([
    ["bare values, = inside a value", "a=1 url=http://h/p?x=1&y=2", { a: "1", url: "http://h/p?x=1&y=2" }],
    [
      "escaped quotes and backslashes",
      String.raw`error="Post \"https://x\": bad \\ path"`,
      { error: 'Post "https://x": bad \\ path' },
    ],
    ["newline and tab escapes", String.raw`msg="a\nb\tc"`, { msg: "a\nb\tc" }],
    ["\\u escapes", String.raw`msg="caf\u00e9"`, { msg: "café" }],
    ["\\x bytes forming UTF-8", String.raw`msg="caf\xc3\xa9"`, { msg: "café" }],
    ["empty quoted value", 'tenant="" next=1', { tenant: "", next: "1" }],
    ["key without value", "flag other=2", { flag: "", other: "2" }],
    ["unterminated quote takes the rest", 'msg="cut off here', { msg: "cut off here" }],
    ["runs of spaces", "  a=1    b=2  ", { a: "1", b: "2" }],
    ["__proto__ is just a key", "__proto__=x", { ["__proto__"]: "x" }],
  ])("%s", (_name, line, expected) => {
    expect(Object.fromEntries(parseLogfmt(line))).toEqual(expected);
  });

  it("never throws on arbitrary input", () => {
    for (const junk of ['="', "=", '"""', "\\", 'a="\\', 'a="\\x"', 'a="\\u12"', "\u0000=\u0000"]) {
      expect(() => classifyJournalLine(junk)).not.toThrow();
    }
  });
});

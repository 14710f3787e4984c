import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskSecret, type ScrubKind, scrubText, scrubVerdict } from "./scrub.js";

const TOKEN = "lmc_abcdef012345_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_aAb3x";
const AGENT_TOKEN = "lma_0123456789ab_zzCdEfGhIjKlMnOpQrStUvWxYz0123456789-_aQ9rt";

interface Case {
  name: string;
  kind: ScrubKind;
  input: string;
  expected: string;
}

const cases: Case[] = [
  // LinkMesh tokens: the kind stays, the last 4 stay.
  { name: "collector token in free text", kind: "text", input: `token is ${TOKEN}.`, expected: "token is lmc_…Ab3x." },
  { name: "agent token in a log line", kind: "log", input: `using ${AGENT_TOKEN}`, expected: "using lma_…Q9rt" },
  {
    name: "token file content (no newline)",
    kind: "text",
    input: TOKEN,
    expected: "lmc_…Ab3x",
  },
  // Authorization headers and bearers.
  {
    name: "Authorization header in a log",
    kind: "log",
    input: "sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig9 ok",
    expected: "sent Authorization: Bearer ****sig9 ok",
  },
  {
    name: "Basic header in JSON",
    kind: "json",
    input: '{"headers":{"authorization":"Basic dXNlcjpwYXNzd29yZA=="}}',
    expected: '{"headers":{"authorization":"Basic ****ZA=="}}',
  },
  {
    name: "Alloy headers map",
    kind: "alloy",
    input: 'headers = { "Authorization" = "Bearer glc_eyJvIjoiMTIzNCJ9QQ" }',
    expected: 'headers = { "Authorization" = "Bearer ****J9QQ" }',
  },
  {
    name: "bare bearer in a log message",
    kind: "log",
    input: 'msg="retrying with bearer s3cr3tLongBearerValue77"',
    expected: 'msg="retrying with bearer ****ue77"',
  },
  // URLs with credentials.
  {
    name: "URL password",
    kind: "text",
    input: "remote https://12345:glc_verysecretpassword99@prometheus.grafana.net/api/prom/push",
    expected: "remote https://12345:****rd99@prometheus.grafana.net/api/prom/push",
  },
  {
    name: "short URL password masked completely",
    kind: "yaml",
    input: "endpoint: http://admin:hunter2@db:5432",
    expected: "endpoint: http://admin:****@db:5432",
  },
  // Alloy attributes.
  {
    name: "Alloy password attribute",
    kind: "alloy",
    input: 'basic_auth {\n  username = "12345"\n  password = "glc_eyJrIjoiYWJjZGVmIn0Zz"\n}',
    expected: 'basic_auth {\n  username = "12345"\n  password = "****n0Zz"\n}',
  },
  {
    name: "Alloy api_key and bearer_token, raw string",
    kind: "alloy",
    input: 'api_key = "0123456789abcdefWXYZ"\nbearer_token = `raw-bearer-token-9876`',
    expected: 'api_key = "****WXYZ"\nbearer_token = `****9876`',
  },
  {
    name: "Alloy reference and token_file stay",
    kind: "alloy",
    input:
      'token = local.file.linkmesh_token.content\npassword = sys.env("PW")\ntoken_file = "/etc/alloy/linkmesh.token"',
    expected:
      'token = local.file.linkmesh_token.content\npassword = sys.env("PW")\ntoken_file = "/etc/alloy/linkmesh.token"',
  },
  // YAML.
  {
    name: "YAML client_secret, quoted and plain",
    kind: "yaml",
    input: "oauth2:\n  client_id: my-app\n  client_secret: 'sup3r-s3cret-value-Kq1z'\n  token: plainTokenValue1234",
    expected: "oauth2:\n  client_id: my-app\n  client_secret: '****Kq1z'\n  token: ****1234",
  },
  {
    name: "YAML list item and comment",
    kind: "yaml",
    input: "- password: correct-horse-battery # rotate monthly",
    expected: "- password: ****tery",
  },
  {
    name: "YAML env reference and attribute key names stay",
    kind: "yaml",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an otelcol ${env:...} reference is the input under test
    input: "api_key: ${env:DD_API_KEY}\nactions:\n  - key: service.name\n    action: upsert",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the reference must survive scrubbing verbatim
    expected: "api_key: ${env:DD_API_KEY}\nactions:\n  - key: service.name\n    action: upsert",
  },
  {
    name: "YAML bare key with a long secret value",
    kind: "yaml",
    input: "key: AKIAIOSFODNN7EXAMPLEKEY",
    expected: "key: ****EKEY",
  },
  // JSON.
  {
    name: "JSON secret keys of every spelling",
    kind: "json",
    input: '{"clientSecret":"abcdefghijklmnop","api-key":"0000111122223333","password":"pw","user":"bob"}',
    expected: '{"clientSecret":"abcdefghijklmnop","api-key":"****3333","password":"****","user":"bob"}',
  },
  {
    name: "JSON client_secret",
    kind: "json",
    input: '{ "client_secret": "abcdefghijklmnopqrst" }',
    expected: '{ "client_secret": "****qrst" }',
  },
  {
    name: "YAML-ish setting inside a log line",
    kind: "log",
    input: "2026-01-01T00:00:01Z settings api_key: 0123456789abcdefCc33, url: https://x",
    expected: "2026-01-01T00:00:01Z settings api_key: ****Cc33, url: https://x",
  },
  // logfmt.
  {
    name: "logfmt secret fields",
    kind: "log",
    input: 'level=warn msg="auth failed" password=hunter2hunter2x secret="a b c d e f g h"',
    expected: 'level=warn msg="auth failed" password=****er2x secret="**** g h"',
  },
  {
    name: "logfmt component ids are not secrets",
    kind: "log",
    input: "component_id=otelcol.exporter.otlphttp.linkmesh key_file=/etc/tls/key.pem",
    expected: "component_id=otelcol.exporter.otlphttp.linkmesh key_file=/etc/tls/key.pem",
  },
];

describe("scrubText masks secrets and keeps the last 4 characters", () => {
  it.each(cases)("$name", ({ kind, input, expected }) => {
    expect(scrubText(input, kind)).toBe(expected);
  });

  it.each(cases)("is idempotent: $name", ({ kind, input }) => {
    const once = scrubText(input, kind);
    expect(scrubText(once, kind)).toBe(once);
  });
});

describe("maskSecret", () => {
  it.each([
    ["", ""],
    ["short", "****"],
    ["twelve-chars", "****hars"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an otelcol ${env:...} reference, not a template
    ["${env:TOKEN}", "${env:TOKEN}"],
  ])("%s -> %s", (input, expected) => {
    expect(maskSecret(input)).toBe(expected);
  });
});

describe("no LinkMesh token survives scrubbing, whatever surrounds it", () => {
  const tokenArb = fc
    .tuple(
      fc.constantFrom("lme", "lmc", "lma", "lmo"),
      fc.stringMatching(/^[a-z0-9]{12}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    )
    .map(([p, id, secret]) => `${p}_${id}_${secret}`);
  const kinds: ScrubKind[] = ["alloy", "yaml", "json", "log", "text"];
  it("catches garbled or truncated tokens too (a broken token file)", () => {
    expect(scrubText(`Bearer=${TOKEN.slice(0, 30)}`, "text")).toBe(`Bearer=lmc_…${TOKEN.slice(26, 30)}`);
    expect(scrubText(`${TOKEN}-`, "text")).toBe("lmc_…Ab3x-");
  });

  it("holds for tokens planted in random text", () => {
    fc.assert(
      fc.property(tokenArb, fc.string(), fc.string(), fc.constantFrom(...kinds), (token, before, after, kind) => {
        const out = scrubText(`${before} ${token} ${after}`, kind);
        expect(out).not.toContain(token);
        expect(out).not.toContain(token.slice(5, 40));
      }),
    );
  });
});

describe("scrubVerdict", () => {
  it("scrubs the journal lines doctor quotes as evidence", () => {
    const verdict = scrubVerdict({
      ok: false,
      stuckAt: "otlp_push",
      timeMs: 0,
      checks: [
        {
          id: "otlp_push",
          title: "The collector is pushing OTLP",
          status: "fail",
          evidence: [`journal: level=error msg="x" password=hunter2hunter2x error="Bearer ${TOKEN}"`],
          fix: "fix it",
        },
      ],
    });
    expect(verdict.checks[0]?.evidence[0]).toBe(
      'journal: level=error msg="x" password=****er2x error="Bearer lmc_…Ab3x"',
    );
  });
});

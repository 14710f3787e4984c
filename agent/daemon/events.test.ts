import { describe, expect, it } from "vitest";
import { classifyJournalEntry } from "../journal/index.js";
import { EventThrottle, eventForJournalLine } from "./index.js";

const entry = (message: string) => {
  const r = classifyJournalEntry({ __CURSOR: "c", __REALTIME_TIMESTAMP: "1700000000000000", MESSAGE: message });
  if (!r.ok) throw new Error(r.error.message);
  return r.line;
};

describe("which journal lines become events", () => {
  const cases: [string, string, { type: string; severity: string } | null][] = [
    [
      "a retry",
      'level=info msg="Exporting failed. Will retry the request after interval." component_path=/ component_id=otelcol.exporter.otlphttp.a error="connection refused" interval=5s',
      { type: "export_failure", severity: "warning" },
    ],
    [
      "a drop",
      'level=error msg="Exporting failed. Dropping data." component_path=/ component_id=otelcol.exporter.otlphttp.a error="not retryable error: Permanent error: HTTP Status Code 400" dropped_items=5',
      { type: "export_failure", severity: "error" },
    ],
    [
      "a 401",
      'level=error msg="Exporting failed. Dropping data." component_id=otelcol.exporter.otlphttp.observe error="not retryable error: Permanent error: rpc error: code = Unauthenticated desc = error exporting items, request to https://x/v1/logs responded with HTTP Status Code 401" dropped_items=1',
      { type: "auth_rejected", severity: "error" },
    ],
    [
      "a failed reload",
      'level=error msg="failed to reload config" service=http err="bad"',
      { type: "config_changed", severity: "error" },
    ],
    ["graph evaluation chatter", 'level=info msg="finished node evaluation" node_id=logging duration=1ms', null],
  ];
  it.each(cases)("%s", (_name, line, expected) => {
    const event = eventForJournalLine(entry(line));
    if (expected === null) expect(event).toBeNull();
    else expect(event).toMatchObject(expected);
  });

  it("names the component and the dropped count in the sentence", () => {
    const event = eventForJournalLine(
      entry(
        'level=error msg="Exporting failed. Dropping data." component_id=otelcol.exporter.otlphttp.a dropped_items=5',
      ),
    );
    expect(event?.message).toMatch(/^otelcol\.exporter\.otlphttp\.a dropped 5 items/);
  });
});

describe("an outage logging a retry every few seconds", () => {
  it("becomes one event per component per window, the next one carrying the count held back", () => {
    const t = new EventThrottle(60_000);
    expect(t.admit("retry:a", 0)).toEqual({ pass: true, suppressed: 0 });
    expect(t.admit("retry:a", 5_000).pass).toBe(false);
    expect(t.admit("retry:b", 5_000).pass).toBe(true);
    expect(t.admit("retry:a", 10_000).pass).toBe(false);
    expect(t.admit("retry:a", 61_000)).toEqual({ pass: true, suppressed: 2 });
  });
});

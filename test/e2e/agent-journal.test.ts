// The journal reader against real journal files (systemd-journal-remote) and the real journalctl.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClassifiedJournalEntry } from "../../agent/journal/index.js";
import { JournalReader } from "../../agent/journal/index.js";
import { JournalWriter, tempDir } from "../rig/index.js";
import { AlloySimulator } from "../sim/alloy.js";

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const RETRY_ERROR =
  'failed to make an HTTP request: Post "https://relay.example.net/v1/metrics": dial tcp 10.0.0.9:443: connect: connection refused';

describe("following the collector's journal", () => {
  let reader: JournalReader | null = null;
  afterEach(async () => {
    await reader?.stop();
    reader = null;
  });

  async function setup() {
    const dir = await tempDir("journal");
    const journal = new JournalWriter(dir);
    const alloy = new AlloySimulator({ hostname: "web-01", components: [], journal });
    await alloy.log("info", "Alloy is starting");
    const state = await tempDir("state");
    const entries: ClassifiedJournalEntry[] = [];
    const problems: string[] = [];
    const make = () =>
      new JournalReader({
        unit: "alloy.service",
        directory: dir,
        cursorFile: join(state, "journal.cursor"),
        onEntry: (e) => entries.push(e),
        onProblem: (p) => problems.push(p),
        initialBackoffMs: 100,
        maxBackoffMs: 400,
      });
    return { alloy, entries, problems, make, state };
  }

  it("classifies an Alloy export retry written to the journal within 2 s", async () => {
    const { alloy, entries, make } = await setup();
    reader = make();
    await reader.start();
    await until(() => (reader?.state === "following" ? true : undefined), 5_000);
    const written = Date.now();
    await alloy.log("info", "Exporting failed. Will retry the request after interval.", {
      component_path: "/",
      component_id: "otelcol.exporter.otlphttp.linkmesh",
      error: RETRY_ERROR,
      interval: "5.1s",
    });
    const retry = await until(() => entries.find((e) => e.kind === "export_retry"), 2_000);
    expect(Date.now() - written).toBeLessThan(2_000);
    expect(retry.component).toBe("otelcol.exporter.otlphttp.linkmesh");
  });

  it("survives journalctl being killed and does not deliver an entry twice", async () => {
    const { alloy, entries, problems, make } = await setup();
    reader = make();
    await reader.start();
    await until(() => (reader?.state === "following" ? true : undefined), 5_000);
    await alloy.log("error", "Exporting failed. Dropping data.", {
      component_path: "/",
      component_id: "otelcol.exporter.otlphttp.linkmesh",
      error: "not retryable error: Permanent error: responded with HTTP Status Code 400",
      dropped_items: "12",
    });
    await until(() => entries.find((e) => e.kind === "export_dropped"), 3_000);
    const pid = reader.pid;
    expect(pid).toBeDefined();
    process.kill(pid as number, "SIGKILL");
    await until(() => (reader?.restarts === 1 && reader.state === "following" ? true : undefined), 5_000);
    expect(problems.join("\n")).toMatch(/journalctl killed by SIGKILL; restarting/);
    await alloy.log("warn", "Partial success response", {
      component_path: "/",
      component_id: "otelcol.exporter.otlphttp.linkmesh",
      message: "some points were invalid",
      dropped_data_points: "3",
    });
    await until(() => entries.find((e) => e.kind === "partial_success"), 3_000);
    expect(entries.filter((e) => e.kind === "export_dropped")).toHaveLength(1);
  });

  it("resumes after the saved cursor when the agent starts again", async () => {
    const { alloy, entries, make, state } = await setup();
    reader = make();
    await reader.start();
    await until(() => (reader?.state === "following" ? true : undefined), 5_000);
    await alloy.log("info", "config reloaded", { service: "http" });
    await until(() => entries.find((e) => e.kind === "config_reloaded"), 3_000);
    await reader.stop();
    expect(await readFile(join(state, "journal.cursor"), "utf8")).toBe(entries.at(-1)?.cursor);
    // Written while the agent was down: must be read on the next start, and nothing before it again.
    await alloy.log("error", "failed to reload config", { service: "http", err: "bad config" });
    const before = entries.length;
    reader = make();
    await reader.start();
    const failed = await until(() => entries.find((e) => e.kind === "config_reload_failed"), 3_000);
    expect(failed.message).toBe("failed to reload config");
    expect(entries.slice(before).map((e) => e.kind)).toEqual(["config_reload_failed"]);
  });
});

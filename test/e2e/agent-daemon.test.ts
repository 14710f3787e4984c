// `linkmesh-agent run` as a real process against a real relay, a real journal and the Alloy stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayProcess, runAgent, startRelay } from "../rig/index.js";
import {
  EXPORTER,
  enrolledHost,
  events,
  type Host,
  startAgent,
  status,
  statusCli,
  stopAgent,
  until,
} from "./agent-host.js";

describe("the agent daemon", () => {
  let relay: RelayProcess;
  let host: Host;
  beforeAll(async () => {
    relay = await startRelay();
    host = await enrolledHost(relay);
  });
  afterAll(async () => {
    await stopAgent(host);
    await host.alloy.close();
    await relay.stop();
  });

  it("goes live, reports the graph and says so in `status`", async () => {
    const before = await runAgent(host.root, ["status"]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("linkmesh-agent run");
    startAgent(host);
    const live = await until(
      "status live",
      async () => {
        const s = await status(host);
        return s.code === 0 && s.status?.scrape.exportActivity === "exporting" ? s : undefined;
      },
      15_000,
    );
    expect(live.status?.link.state).toBe("live");
    expect(live.status?.config.bootstrap).toMatchObject({ drifted: false, exporterId: EXPORTER });
    expect(host.output).toMatch(/link: connecting -> hello/);
    expect(host.output).toMatch(/link: hello -> live/);
    const text = await runAgent(host.root, ["status"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("exports exporting");
    const json = await statusCli(host);
    expect(json.code).toBe(0);
    expect(json.status?.link.state).toBe("live");
  });

  it("flags a component self-telemetry names but the config does not declare, locally and at the relay", async () => {
    const s = await until(
      "mismatch in status",
      async () => {
        const r = await status(host);
        return r.status?.mismatches.some((m) => m.component === "otelcol.exporter.otlphttp.ghost") ? r : undefined;
      },
      10_000,
    );
    expect(s.status?.mismatches.find((m) => m.component === "otelcol.exporter.otlphttp.ghost")?.reason).toBe(
      "unknown component",
    );
    const text = await runAgent(host.root, ["status"]);
    expect(text.stdout).toContain("otelcol.exporter.otlphttp.ghost");
    await until(
      "mismatch event at the relay",
      async () => {
        const list = await events(relay, host.collectorId);
        return list.find((e) => e.type === "component_naming_mismatch" && e.message.includes("ghost"));
      },
      10_000,
    );
  });

  it("classifies an export retry written to the journal within 2 s and sends it to the relay", async () => {
    const line = await host.alloy.log("info", "Exporting failed. Will retry the request after interval.", {
      component_path: "/",
      component_id: EXPORTER,
      error: 'failed to make an HTTP request: Post "https://relay/v1/metrics": dial tcp: connection refused',
      interval: "3.2s",
    });
    expect(line).toContain("level=info");
    const seen = await until(
      "retry classified",
      async () => {
        const r = await status(host);
        return r.status?.journal.recent.find((l) => l.kind === "export_retry");
      },
      5_000,
    );
    expect(seen.component).toBe(EXPORTER);
    expect(seen.classifiedAtMs - seen.timeMs).toBeLessThan(2_000);
    await until(
      "export_failure at the relay",
      async () => {
        const list = await events(relay, host.collectorId);
        return list.find((e) => e.type === "export_failure" && e.detail.component === EXPORTER);
      },
      10_000,
    );
  });

  it("survives journalctl being killed", async () => {
    const before = (await status(host)).status;
    const pid = before?.journal.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, "SIGKILL");
    await until(
      "journalctl restarted",
      async () => {
        const r = await status(host);
        return r.status && r.status.journal.restarts >= 1 && r.status.journal.state === "following" ? true : undefined;
      },
      10_000,
    );
    await host.alloy.log("error", "Exporting failed. Dropping data.", {
      component_path: "/",
      component_id: EXPORTER,
      error: "not retryable error: Permanent error: responded with HTTP Status Code 400",
      dropped_items: "7",
    });
    const dropped = await until(
      "drop classified after the restart",
      async () => {
        const r = await status(host);
        return r.status?.journal.recent.find((l) => l.kind === "export_dropped");
      },
      5_000,
    );
    expect(dropped.classifiedAtMs - dropped.timeMs).toBeLessThan(2_000);
    expect(host.output).toContain("journalctl killed by SIGKILL");
  });
});

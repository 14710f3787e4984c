// `npm run demo` at small size (the built dist/demo.js, compressed time): the canvas API shows the healthy hosts
// live and every broken case the way the troubleshooting page describes it; SIGTERM leaves no process behind.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR } from "../rig/index.js";

interface Edge {
  from: string;
  to: string;
  state: string;
  ratePerSecond: number | null;
  failedPerSecond: number | null;
  reason: string | null;
  via: string | null;
}
interface Collector {
  id: string;
  hostname: string;
  type: string;
  status: { state: string; reason: string };
  lastPushAt: string | null;
  edges: Edge[];
}
interface Event {
  type: string;
  detail: Record<string, unknown>;
}

/** Every process below `pid` (children of children included), from /proc. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const walk = (p: number) => {
    let children: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        children = children.concat(
          readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
        );
      }
    } catch {
      return; // gone meanwhile
    }
    for (const c of children) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

describe("npm run demo", () => {
  let demo: ChildProcess;
  let output = "";
  let url = "";
  let secret = "";

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const topology = async () => (await api<{ collectors: Collector[] }>("/api/v1/topology")).collectors;
  const events = async (id: string) =>
    (await api<{ events: Event[] }>(`/api/v1/collectors/${id}/events?limit=500`)).events;

  /** Polls until `check` stops throwing (the fleet needs a few pushes), then returns its last result. */
  async function eventually<T>(check: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  const host = async (hostname: string) => {
    const found = (await topology()).find((c) => c.hostname === hostname);
    if (!found) throw new Error(`${hostname} is not in the topology`);
    return found;
  };

  beforeAll(async () => {
    demo = spawn(
      process.execPath,
      [join(DIST_DIR, "demo.js"), "--hosts", "9", "--fast", "--port", "0", "--fresh-hold", "600"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    demo.stdout?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    demo.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    const deadline = Date.now() + 150_000;
    while (!output.includes("fleet running")) {
      if (demo.exitCode !== null) throw new Error(`demo exited (${demo.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`the fleet did not start in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    url = /UI:\s+(http:\/\/\S+?)\/?\s/.exec(output)?.[1] ?? "";
    secret = /operator secret:\s+(\S+)/.exec(output)?.[1] ?? "";
  }, 180_000);
  afterAll(async () => {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
  });

  it("prints the UI URL and the operator secret, and the fleet is enrolled", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(secret.length).toBeGreaterThan(10);
    expect(output).toMatch(/\[9\/9\] /);
    const hostnames = (await topology()).map((c) => c.hostname).sort();
    expect(hostnames).toEqual(
      [
        "alloy-01",
        "deleted-destination-01",
        "exporter-failing-01",
        "fresh-collector-01",
        "no-bootstrap-01",
        "otel-01",
        "renamed-component-01",
        "revoked-token-01",
        "alloy-02",
      ].sort(),
    );
  });

  it("shows healthy Alloy and otelcol-contrib hosts with live numbers from their own pushes", async () => {
    for (const hostname of ["alloy-01", "alloy-02", "otel-01"]) {
      const c = await eventually(async () => {
        const found = await host(hostname);
        expect(found.status.state).toBe("healthy");
        expect(found.edges.some((e) => e.state === "live" && e.via === "otlp" && (e.ratePerSecond ?? 0) > 0)).toBe(
          true,
        );
        return found;
      });
      expect(c.lastPushAt).not.toBeNull();
    }
    expect((await host("otel-01")).type).toBe("otelcol-contrib");
  }, 120_000);

  it("no bootstrap marker: the collector never pushes, the agent's numbers stand in", async () => {
    const c = await eventually(async () => {
      const found = await host("no-bootstrap-01");
      expect(found.status.reason).toMatch(/no OTLP push/);
      expect(found.edges.some((e) => e.via === "agent")).toBe(true);
      return found;
    });
    expect(c.lastPushAt).toBeNull();
    expect(c.status.state).not.toBe("healthy");
  }, 120_000);

  it("exporter failing with retries: degraded with the failing rate, and export_failure events", async () => {
    const c = await eventually(async () => {
      const found = await host("exporter-failing-01");
      expect(found.status).toMatchObject({ state: "degraded" });
      expect(found.status.reason).toMatch(/otelcol\.exporter\.otlphttp\.backend is failing/);
      return found;
    });
    const edge = c.edges.find((e) => e.to === "otelcol.exporter.otlphttp.backend");
    expect(edge?.failedPerSecond).toBeCloseTo(35, 0);
    await eventually(async () => {
      const list = await events(c.id);
      expect(list.some((e) => e.type === "export_failure")).toBe(true);
    });
  }, 120_000);

  it("revoked token: pushes are rejected with 401 and the reason is on the collector", async () => {
    const c = await eventually(async () => {
      const found = await host("revoked-token-01");
      expect(found.status.state).toBe("no_telemetry");
      expect(found.status.reason).toContain("token_unknown_or_revoked_or_expired");
      return found;
    });
    expect(c.lastPushAt).toBeNull();
    const list = await events(c.id);
    expect(
      list.some((e) => e.type === "auth_rejected" && e.detail.reason === "token_unknown_or_revoked_or_expired"),
    ).toBe(true);
  }, 120_000);

  /** Waits until the host's Events tab has a component_naming_mismatch of this kind for this component. */
  async function expectMismatch(hostname: string, reason: string, component: string) {
    const c = await host(hostname);
    await eventually(async () => {
      const list = await events(c.id);
      expect(
        list.some(
          (e) =>
            e.type === "component_naming_mismatch" && e.detail.reason === reason && e.detail.component === component,
        ),
      ).toBe(true);
    });
  }

  it("renamed component: an unknown component mismatch names it", async () => {
    await expectMismatch("renamed-component-01", "unknown component", "prometheus.remote_write.mimir_eu");
  }, 120_000);

  it("deleted destination: its stored throughput is reported as orphan", async () => {
    await expectMismatch("deleted-destination-01", "orphan throughput", "loki.write.archive");
  }, 120_000);

  it("fresh collector: its pushed edges wait for the second sample", async () => {
    const c = await eventually(async () => {
      const found = await host("fresh-collector-01");
      const pushed = found.edges.filter((e) => e.via === "otlp");
      expect(pushed.length).toBeGreaterThan(0);
      for (const e of pushed) expect(e).toMatchObject({ state: "waiting", ratePerSecond: null });
      return found;
    });
    expect(c.edges.find((e) => e.via === "otlp")?.reason).toBe("waiting for second sample");
  }, 120_000);

  it("stops cleanly on SIGTERM and leaves no process running", async () => {
    const pid = demo.pid as number;
    const children = descendants(pid);
    expect(children.length).toBeGreaterThanOrEqual(8); // the relay and seven agents, at least
    const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
    demo.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("nothing left running");
    expect(children.filter(alive)).toEqual([]);
    const dataDir = /relay data in (\S+)/.exec(output)?.[1] ?? "";
    expect(dataDir).not.toBe("");
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});

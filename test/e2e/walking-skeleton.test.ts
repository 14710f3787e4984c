// The walking skeleton: relay -> token -> agent enroll -> Alloy pushes OTLP with its collector token -> fleet.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintEnrollmentToken, type RelayProcess, runAgent, startRelay, tempDir } from "../rig/index.js";
import { AlloySimulator } from "../sim/alloy.js";

describe("a new host goes from enrollment token to a collector in the fleet", () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay.stop();
  });

  it("enrolls with the agent CLI, pushes OTLP as Alloy does, and shows up in /api/v1/collectors", async () => {
    const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
    expect(token).toMatch(/^lme_/);

    const root = await tempDir("host");
    const enrolled = await runAgent(root, ["enroll", "--server", relay.url, "--token", token, "--hostname", "web-01"]);
    expect(enrolled.stderr).toBe("");
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toContain("enrolled: collector id");

    const settings = JSON.parse(await readFile(join(root, "etc/linkmesh/agent.json"), "utf8")) as {
      collectorId: string;
    };
    const collectorToken = await readFile(join(root, "etc/alloy/linkmesh.token"), "utf8");
    expect(collectorToken).toMatch(/^lmc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/); // no trailing newline
    expect((await stat(join(root, "etc/linkmesh/agent.token"))).mode & 0o777).toBe(0o600);

    const alloy = new AlloySimulator({
      hostname: "web-01",
      components: [{ id: "otelcol.exporter.otlphttp.linkmesh", ratePerSecond: 20 }],
    });
    const pushed = await alloy.push({ url: `${relay.url}/v1/metrics`, bearer: collectorToken });
    expect(pushed).toEqual({ ok: true });

    const fleet = await relay.api("/api/v1/collectors");
    expect(fleet.status).toBe(200);
    const collectors = (fleet.body as { collectors: { id: string; hostname: string; lastPushAt: string | null }[] })
      .collectors;
    expect(collectors).toHaveLength(1);
    expect(collectors[0]).toMatchObject({ id: settings.collectorId, hostname: "web-01" });
    expect(collectors[0]?.lastPushAt).not.toBeNull();

    // The same token cannot enroll a second host (maxUses 1).
    const again = await runAgent(await tempDir("host"), ["enroll", "--server", relay.url, "--token", token]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("used up");
  });

  it("refuses an unauthenticated push with 401 and logs the grep-able reason", async () => {
    const response = await fetch(`${relay.url}/v1/metrics`, {
      method: "POST",
      headers: { authorization: "Bearer test", "content-type": "application/x-protobuf" },
    });
    expect(response.status).toBe(401);
    await relay.waitForOutput("otlp.auth: rejected reason=missing_or_malformed_bearer");
  });
});

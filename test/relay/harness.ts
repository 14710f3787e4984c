// In-process relay for fast relay tests: `buildRelay` on an in-memory SQLite, a controllable clock,
// and helpers to enroll a collector through the real HTTP routes (app.inject).

import { buildRelay, type Relay, resolveRelayConfig } from "../../relay/index.js";

export const ADMIN = "relay-test-operator-secret-0123456789";

export interface TestRelay {
  relay: Relay;
  clock: { now: number };
  operator: { authorization: string };
  enroll(hostname: string, collectorType?: "alloy" | "otelcol-contrib"): Promise<Enrolled>;
}

export interface Enrolled {
  collectorId: string;
  collectorToken: string;
  agentToken: string;
}

export async function startTestRelay(
  options: { dbPath?: string; startMs?: number; agentHeartbeatTimeoutMs?: number; listen?: boolean } = {},
): Promise<TestRelay> {
  const config = resolveRelayConfig(
    { listen: "127.0.0.1:0", db: `sqlite:${options.dbPath ?? ":memory:"}` },
    { LINKMESH_ADMIN_TOKEN: ADMIN },
    "/nonexistent-ui",
  );
  const clock = { now: options.startMs ?? Date.UTC(2026, 0, 1) };
  const relay = await buildRelay(config, {
    now: () => clock.now,
    logger: false,
    ...(options.agentHeartbeatTimeoutMs === undefined
      ? {}
      : { agentHeartbeatTimeoutMs: options.agentHeartbeatTimeoutMs }),
  });
  if (options.listen) await relay.listen();
  const operator = { authorization: `Bearer ${ADMIN}` };
  return {
    relay,
    clock,
    operator,
    async enroll(hostname, collectorType = "alloy") {
      const minted = await relay.app.inject({ method: "POST", url: "/api/v1/tokens", headers: operator, payload: {} });
      const token = (minted.json() as { token: string }).token;
      const enrolled = await relay.app.inject({
        method: "POST",
        url: "/api/v1/enroll",
        payload: { token, hostname, collectorType },
      });
      if (enrolled.statusCode !== 201) throw new Error(`enroll failed: ${enrolled.statusCode} ${enrolled.body}`);
      return enrolled.json() as Enrolled;
    },
  };
}

export function baseUrl(relay: Relay): string {
  const address = relay.app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("relay is not listening");
  return `http://127.0.0.1:${address.port}`;
}

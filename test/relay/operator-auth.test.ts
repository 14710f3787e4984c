import { describe, expect, it } from "vitest";
import { ADMIN, startTestRelay } from "./harness.js";

function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? (setCookie[0] ?? "") : (setCookie ?? "");
  return header.split(";")[0] ?? "";
}

describe("operator UI session", () => {
  it("logs in with the operator secret: HttpOnly SameSite=Strict cookie that opens /api/v1, logout closes it", async () => {
    const { relay } = await startTestRelay();
    const login = await relay.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { "x-linkmesh-csrf": "1" },
      payload: { token: ADMIN },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers["set-cookie"]);
    expect(setCookie).toMatch(/^lm_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(ADMIN);
    const cookie = cookieOf(login.headers["set-cookie"]);

    expect((await relay.app.inject({ url: "/api/v1/collectors", headers: { cookie } })).statusCode).toBe(200);
    expect((await relay.app.inject({ url: "/api/v1/session", headers: { cookie } })).json()).toEqual({
      authenticated: true,
    });
    // The session is stored hashed: the cookie value is nowhere in the database.
    const value = cookie.split("=")[1] ?? "";
    expect(await relay.store.getSession(value)).toBeNull();

    const logout = await relay.app.inject({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie, "x-linkmesh-csrf": "1" },
    });
    expect(logout.statusCode).toBe(204);
    expect((await relay.app.inject({ url: "/api/v1/collectors", headers: { cookie } })).statusCode).toBe(401);
    await relay.close();
  });

  it("refuses a wrong secret (401) and expires sessions", async () => {
    const { relay, clock } = await startTestRelay();
    const bad = await relay.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { "x-linkmesh-csrf": "1" },
      payload: { token: "nope" },
    });
    expect(bad.statusCode).toBe(401);
    const login = await relay.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { "x-linkmesh-csrf": "1" },
      payload: { token: ADMIN },
    });
    const cookie = cookieOf(login.headers["set-cookie"]);
    clock.now += 13 * 3_600_000;
    expect((await relay.app.inject({ url: "/api/v1/collectors", headers: { cookie } })).statusCode).toBe(401);
    await relay.close();
  });

  it("blocks cross-site changes made with the cookie alone (CSRF), allows same-origin ones", async () => {
    const { relay } = await startTestRelay();
    const login = await relay.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { origin: "http://localhost:80", host: "localhost:80" },
      payload: { token: ADMIN },
    });
    expect(login.statusCode).toBe(200);
    const cookie = cookieOf(login.headers["set-cookie"]);
    const crossSite = await relay.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie, origin: "https://evil.example" },
      payload: {},
    });
    expect(crossSite.statusCode).toBe(403);
    const noProof = await relay.app.inject({ method: "POST", url: "/api/v1/tokens", headers: { cookie }, payload: {} });
    expect(noProof.statusCode).toBe(403);
    const fromUi = await relay.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie, "x-linkmesh-csrf": "1" },
      payload: {},
    });
    expect(fromUi.statusCode).toBe(201);
    const loginCrossSite = await relay.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { origin: "https://evil.example", host: "localhost:80" },
      payload: { token: ADMIN },
    });
    expect(loginCrossSite.statusCode).toBe(403);
    await relay.close();
  });
});

describe("failed authentication is rate-limited per source address", () => {
  it("answers 429 with Retry-After after 30 failures in a minute, even for the right secret, then recovers", async () => {
    const { relay, clock, operator } = await startTestRelay();
    for (let i = 0; i < 30; i++) {
      const r = await relay.app.inject({ url: "/api/v1/collectors", headers: { authorization: "Bearer wrong" } });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await relay.app.inject({ url: "/api/v1/collectors", headers: operator });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    const otlp = await relay.app.inject({
      method: "POST",
      url: "/v1/metrics",
      headers: { authorization: "Bearer x", "content-type": "application/x-protobuf" },
    });
    expect(otlp.statusCode).toBe(429);
    expect((await relay.app.inject({ url: "/healthz" })).statusCode).toBe(200);
    // Another address is not affected.
    const other = await relay.app.inject({ url: "/api/v1/collectors", headers: operator, remoteAddress: "10.1.2.3" });
    expect(other.statusCode).toBe(200);
    clock.now += 61_000;
    expect((await relay.app.inject({ url: "/api/v1/collectors", headers: operator })).statusCode).toBe(200);
    await relay.close();
  });
});

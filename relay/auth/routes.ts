import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Store } from "../store/index.js";
import { operatorSecretMatches } from "./operator.js";
import { checkSession, csrfSafe, endSession, sessionCookie, startSession } from "./sessions.js";

export interface SessionDeps {
  store: Store;
  envSecret: string | null;
  now: () => number;
  /** Adds `Secure` to the cookie (the public URL is https). */
  secureCookies: () => boolean;
}

export const SessionLoginSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
export const SessionStateSchema = Type.Object({
  authenticated: Type.Boolean(),
  expiresAt: Type.Optional(Type.String()),
});

/** POST/GET/DELETE /api/v1/session: UI login with the operator secret, session state, logout. */
export async function sessionRoutes(app: FastifyInstance, deps: SessionDeps): Promise<void> {
  const { store, now } = deps;

  app.post<{ Body: { token: string } }>(
    "/api/v1/session",
    {
      schema: { body: SessionLoginSchema, response: { 200: SessionStateSchema } },
      config: { access: "public" },
    },
    async (request, reply) => {
      // Login is itself a state change: a cross-site page must not be able to log the browser in.
      if (!csrfSafe(request)) {
        return reply.code(403).send({ error: "csrf_check_failed", message: "send the X-LinkMesh-CSRF header" });
      }
      if (!(await operatorSecretMatches(store, deps.envSecret, request.body.token))) {
        request.log.warn({ remote: request.ip }, "api.auth: rejected reason=operator_secret_mismatch");
        return reply.code(401).send({ error: "unauthorized", message: "that is not the operator secret" });
      }
      const { cookie, expiresAt } = await startSession(store, now(), deps.secureCookies());
      return reply
        .header("set-cookie", cookie)
        .header("cache-control", "no-store")
        .send({ authenticated: true, expiresAt: new Date(expiresAt).toISOString() });
    },
  );

  app.get(
    "/api/v1/session",
    { schema: { response: { 200: SessionStateSchema } }, config: { access: "public" } },
    async (request) => ({ authenticated: (await checkSession(store, request, now())) === "valid" }),
  );

  app.delete("/api/v1/session", { config: { access: "public" } }, async (request, reply) => {
    if (!csrfSafe(request)) {
      return reply.code(403).send({ error: "csrf_check_failed", message: "send the X-LinkMesh-CSRF header" });
    }
    await endSession(store, request);
    return reply
      .header("set-cookie", sessionCookie("", 0, deps.secureCookies()))
      .code(204)
      .send();
  });
}

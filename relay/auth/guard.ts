import type { FastifyInstance } from "fastify";
import type { AuthFailureLimiter } from "./limiter.js";

/**
 * Every 401 counts against the caller's address; past the limit the caller gets 429 with Retry-After on any
 * non-public route until the block passes. Public routes (health, UI shell) are never refused.
 */
export function guardAuthFailures(app: FastifyInstance, limiter: AuthFailureLimiter): void {
  app.addHook("onRequest", async (request, reply) => {
    const access = (request.routeOptions.config as { access?: string } | undefined)?.access;
    if (access === "public" && request.url !== "/api/v1/session") return;
    const wait = limiter.blockedFor(request.ip);
    if (wait <= 0) return;
    await reply
      .code(429)
      .header("retry-after", String(Math.ceil(wait / 1000)))
      .send({
        error: "too_many_auth_failures",
        message: `too many failed logins from this address; retry in ${Math.ceil(wait / 1000)} s`,
      });
  });
  app.addHook("onResponse", async (request, reply) => {
    if (reply.statusCode === 401) limiter.recordFailure(request.ip);
  });
}

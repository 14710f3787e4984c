import type { FastifyReply, FastifyRequest } from "fastify";
import type { Store } from "../store/index.js";
import { checkSession } from "./sessions.js";
import { bearerFrom, hashSecret, mintToken, parseToken, secretMatches } from "./tokens.js";

const OPERATOR_HASH_KEY = "operator_token_hash";

/**
 * Makes sure an operator secret exists. With LINKMESH_ADMIN_TOKEN set nothing is stored;
 * otherwise one is generated on first start and returned once so the caller can print it.
 */
export async function ensureOperatorSecret(
  store: Store,
  fromEnv: string | null,
): Promise<{ generated: string | null }> {
  // An operator-provided secret is checked against the environment directly: rotating it needs no migration.
  if (fromEnv) return { generated: null };
  const minted = mintToken("operator");
  const created = await store.setSettingIfAbsent(OPERATOR_HASH_KEY, hashSecret(minted.token));
  return { generated: created ? minted.token : null };
}

/** Checks a presented operator secret (the whole string is hashed: env-provided secrets need not be ours). */
export async function operatorSecretMatches(
  store: Store,
  envSecret: string | null,
  presented: string,
): Promise<boolean> {
  if (envSecret !== null) return secretMatches(presented, hashSecret(envSecret));
  const stored = await store.getSetting(OPERATOR_HASH_KEY);
  return (
    stored !== null && (parseToken(presented)?.kind ?? "operator") === "operator" && secretMatches(presented, stored)
  );
}

export type OperatorCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * A preHandler for operator-only routes: `Authorization: Bearer <operator secret>`, or a valid session cookie
 * (unsafe methods with a cookie also need the CSRF header or a same-origin Origin).
 */
export function requireOperator(store: Store, envSecret: string | null, now: () => number): OperatorCheck {
  return async (request, reply) => {
    const bearer = bearerFrom(request.headers.authorization);
    if (bearer && (await operatorSecretMatches(store, envSecret, bearer))) return;
    if (!bearer) {
      const session = await checkSession(store, request, now());
      if (session === "valid") return;
      if (session === "csrf") {
        await reply.code(403).send({
          error: "csrf_check_failed",
          message: "cookie-authenticated changes need the X-LinkMesh-CSRF header or a same-origin Origin",
        });
        return;
      }
    }
    await reply.code(401).send({
      error: "unauthorized",
      message: "operator login required: send the operator secret as a bearer token, or log in to the UI",
    });
  };
}

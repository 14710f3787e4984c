// Who may call what: operator secret and sessions for /api/v1, collector tokens for OTLP, agent tokens for the link.
// Tokens are random, prefixed, stored hashed, compared in constant time, expiring and revocable.

export type { CollectorCredentials, CredentialCheck, RejectReason } from "./credentials.js";
export { CREDENTIAL_TTL_MS, mintCollectorCredentials, verifyCredential } from "./credentials.js";
export { guardAuthFailures } from "./guard.js";
export { AuthFailureLimiter, type LimiterOptions } from "./limiter.js";
export type { OperatorCheck } from "./operator.js";
export { ensureOperatorSecret, operatorSecretMatches, requireOperator } from "./operator.js";
export { type SessionDeps, SessionLoginSchema, SessionStateSchema, sessionRoutes } from "./routes.js";
export { CSRF_HEADER, SESSION_COOKIE, type SessionCheck } from "./sessions.js";
export type { MintedToken, ParsedToken } from "./tokens.js";
export { bearerFrom, hashSecret, mintToken, parseDuration, parseToken, secretMatches } from "./tokens.js";

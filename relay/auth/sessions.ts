// Operator UI sessions: an opaque random cookie (HttpOnly, SameSite=Strict), stored only as a sha256 hash,
// expiring. Cookie-authenticated unsafe requests must prove they come from our own pages (CSRF).

import { randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Store } from "../store/index.js";
import { hashSecret } from "./tokens.js";

export const SESSION_COOKIE = "lm_session";
/** Header the UI sends on every unsafe request; a cross-site form cannot set it, a cross-site fetch is preflighted. */
export const CSRF_HEADER = "x-linkmesh-csrf";
export const SESSION_TTL_MS = 12 * 3_600_000;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export async function startSession(
  store: Store,
  now: number,
  secure: boolean,
): Promise<{ cookie: string; expiresAt: number }> {
  const value = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_TTL_MS;
  await store.deleteExpiredSessions(now);
  await store.createSession({ idHash: hashSecret(value), createdAt: now, expiresAt });
  return { cookie: sessionCookie(value, SESSION_TTL_MS / 1000, secure), expiresAt };
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export async function endSession(store: Store, request: FastifyRequest): Promise<void> {
  const value = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (value) await store.deleteSession(hashSecret(value));
}

/** Same-origin proof for unsafe methods: our CSRF header, or an Origin equal to the Host the request came to. */
export function csrfSafe(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  if (request.headers[CSRF_HEADER] !== undefined) return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    const from = new URL(origin);
    // Parse Host with the Origin's scheme so default ports compare equal (`host:80` vs `http://host`).
    return from.host === new URL(`${from.protocol}//${request.headers.host ?? ""}`).host;
  } catch {
    return false;
  }
}

export type SessionCheck = "none" | "valid" | "expired_or_unknown" | "csrf";

export async function checkSession(store: Store, request: FastifyRequest, now: number): Promise<SessionCheck> {
  const value = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (!value) return "none";
  const session = await store.getSession(hashSecret(value));
  if (!session || session.expiresAt <= now) return "expired_or_unknown";
  return csrfSafe(request) ? "valid" : "csrf";
}

// Credential tokens: random, recognisable by prefix, looked up by an id part, stored only as a hash.
// Format: `lm<kind>_<id>_<secret>`, e.g. `lmc_3k9d7a1b2c4e_Xy...`; the secret never leaves this module unhashed.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { TOKEN_PREFIX, type TokenKind } from "../../common/protocol/index.js";

export interface MintedToken {
  kind: TokenKind;
  id: string;
  /** The full bearer string, shown to its owner once. */
  token: string;
  /** sha256 of the secret part, hex: what the store keeps. */
  secretHash: string;
}

export interface ParsedToken {
  kind: TokenKind;
  id: string;
  secret: string;
}

const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const KIND_BY_PREFIX = new Map<string, TokenKind>(
  (Object.entries(TOKEN_PREFIX) as [TokenKind, string][]).map(([kind, prefix]) => [prefix, kind]),
);

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ID_ALPHABET[byte % ID_ALPHABET.length];
  return out;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function mintToken(kind: TokenKind): MintedToken {
  const id = randomId(12);
  const secret = randomBytes(32).toString("base64url");
  return { kind, id, token: `${TOKEN_PREFIX[kind]}_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a bearer into its parts; `null` when it is not one of ours (wrong prefix or shape). */
export function parseToken(token: string): ParsedToken | null {
  const match = /^(lm[a-z])_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const kind = KIND_BY_PREFIX.get(match[1] ?? "");
  if (!kind) return null;
  return { kind, id: match[2] ?? "", secret: match[3] ?? "" };
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Extracts the bearer from an Authorization header value; `null` when missing or malformed. */
export function bearerFrom(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** Parses durations like `30s`, `15m`, `24h`, `7d`; `null` when invalid. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

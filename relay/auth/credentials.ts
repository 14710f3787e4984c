import type { TokenKind } from "../../common/protocol/index.js";
import type { CredentialRecord, Store } from "../store/index.js";
import { type MintedToken, mintToken, parseToken, secretMatches } from "./tokens.js";

/** Why a bearer was refused; the strings are grep-able log reasons (see troubleshooting.md). */
export type RejectReason = "missing_or_malformed_bearer" | "token_unknown_or_revoked_or_expired";

export type CredentialCheck =
  | { ok: true; credential: CredentialRecord }
  | { ok: false; reason: RejectReason; credentialId?: string; collectorId?: string };

/** Verifies a collector or agent bearer: right prefix, known id, secret matches in constant time, live at `now`. */
export async function verifyCredential(
  store: Store,
  bearer: string | null,
  kind: Extract<TokenKind, "collector" | "agent">,
  now: number,
): Promise<CredentialCheck> {
  const parsed = bearer ? parseToken(bearer) : null;
  if (!parsed || parsed.kind !== kind) return { ok: false, reason: "missing_or_malformed_bearer" };
  const credential = await store.getCredential(parsed.id);
  if (!credential || credential.kind !== kind || !secretMatches(parsed.secret, credential.secretHash)) {
    return { ok: false, reason: "token_unknown_or_revoked_or_expired" };
  }
  if (credential.revokedAt !== null || credential.expiresAt <= now) {
    return {
      ok: false,
      reason: "token_unknown_or_revoked_or_expired",
      credentialId: credential.id,
      collectorId: credential.collectorId,
    };
  }
  return { ok: true, credential };
}

/** Collector and agent credentials live a year; re-enrolling replaces them, deregistering revokes them. */
export const CREDENTIAL_TTL_MS = 365 * 86_400_000;

export interface CollectorCredentials {
  /** For OTLP pushes; its bearer is handed to the host once. */
  collectorToken: MintedToken;
  /** For the agent link; its bearer is handed to the host once. */
  agentToken: MintedToken;
  /** Both, as the store keeps them (hashed, live for CREDENTIAL_TTL_MS from `at`); the store sets collectorId. */
  records: CredentialRecord[];
}

/** Mints the two least-privilege credentials an enrolling host gets (HTTP enrollment and OpAMP alike). */
export function mintCollectorCredentials(at: number): CollectorCredentials {
  const collectorToken = mintToken("collector");
  const agentToken = mintToken("agent");
  const records = [collectorToken, agentToken].map(
    (m): CredentialRecord => ({
      id: m.id,
      kind: m.kind as CredentialRecord["kind"],
      collectorId: "",
      secretHash: m.secretHash,
      createdAt: at,
      expiresAt: at + CREDENTIAL_TTL_MS,
      revokedAt: null,
    }),
  );
  return { collectorToken, agentToken, records };
}

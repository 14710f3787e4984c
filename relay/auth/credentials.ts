import type { TokenKind } from "../../common/protocol/index.js";
import type { CredentialRecord, Store } from "../store/index.js";
import { parseToken, secretMatches } from "./tokens.js";

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

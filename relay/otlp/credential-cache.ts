// A one-second memory of verified collector bearers, so a busy collector costs no database read per push.
// Revocation, expiry and deregistration still apply within `ttlMs`; `forgetCollector` makes it immediate.

import type { RejectReason } from "../auth/index.js";
import { verifyCredential } from "../auth/index.js";
import type { CollectorRecord, Store } from "../store/index.js";

export type PushAuth =
  | { ok: true; collector: CollectorRecord }
  | { ok: false; reason: RejectReason; collectorId?: string }
  | { ok: false; reason: "unknown_collector" };

interface Entry {
  collector: CollectorRecord;
  expiresAt: number;
  credentialExpiresAt: number;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1_000,
    private readonly maxEntries = 50_000,
  ) {}

  async authenticate(bearer: string | null, now: number): Promise<PushAuth> {
    if (bearer !== null) {
      const hit = this.entries.get(bearer);
      const mono = performance.now();
      if (hit && hit.expiresAt > mono && hit.credentialExpiresAt > now) return { ok: true, collector: hit.collector };
    }
    const check = await verifyCredential(this.store, bearer, "collector", now);
    if (!check.ok) {
      return check.collectorId === undefined
        ? { ok: false, reason: check.reason }
        : { ok: false, reason: check.reason, collectorId: check.collectorId };
    }
    const collector = await this.store.getCollector(check.credential.collectorId);
    if (!collector) return { ok: false, reason: "unknown_collector" };
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(bearer as string, {
      collector,
      expiresAt: performance.now() + this.ttlMs,
      credentialExpiresAt: check.credential.expiresAt,
    });
    return { ok: true, collector };
  }

  /** Drops cached entries of a collector (its graph changed, it was deregistered). */
  forgetCollector(collectorId: string): void {
    for (const [bearer, entry] of this.entries) if (entry.collector.id === collectorId) this.entries.delete(bearer);
  }
}

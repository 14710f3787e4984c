/** Every credential LinkMesh issues carries one of these prefixes, so scrubbers and humans recognise it. */
export const TOKEN_PREFIX = {
  enrollment: "lme",
  collector: "lmc",
  agent: "lma",
  operator: "lmo",
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

/** Matches any LinkMesh token inside free text (for scrubbing logs and snapshots). */
export const TOKEN_PATTERN = /\blm[ecao]_[a-z0-9]{12}_[A-Za-z0-9_-]{43}\b/g;

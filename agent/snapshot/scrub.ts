// Secret scrubbing for snapshots: LinkMesh tokens, Authorization/bearer values, secret-named keys in Alloy, YAML and
// JSON, and URL passwords are masked, keeping the last 4 characters so support can correlate. Pure; no I/O.

import { type DoctorVerdict, TOKEN_PATTERN } from "../../common/protocol/index.js";

export type ScrubKind = "alloy" | "yaml" | "json" | "log" | "text";

export interface ScrubRules {
  /** Characters of a secret kept at its end (support matches them against what the operator sees). */
  keepLast: number;
  /** Secrets shorter than this are masked completely: keeping 4 of 6 characters would give them away. */
  minLengthToKeep: number;
  /** Is this key (lower-cased, `-`/`.` folded to `_`) the name of a secret? */
  isSecretKey(key: string): boolean;
}

/** Keys ending in one of these name a secret (`api_key`, `client_secret`, `bearer_token`, `password`...). */
const SECRET_KEY =
  /(^|_)(password|passwd|pwd|secret|token|api_?key|access_?key|secret_?key|private_?key|credentials?)$/;
/** ...unless they name a place where a secret lives, which support needs to see. */
const NOT_A_SECRET = /(_file|_path|_env|_name|_type|_id)$/;
/** The plain `key` (otelcol `attributes` actions use it for attribute names) counts only for long values. */
const BARE_KEY = "key";
const BARE_KEY_MIN_LENGTH = 16;

export const DEFAULT_SCRUB_RULES: ScrubRules = {
  keepLast: 4,
  minLengthToKeep: 12,
  isSecretKey: (key) => !NOT_A_SECRET.test(key) && (SECRET_KEY.test(key) || key.endsWith("_key")),
};

const MASK = "****";
const ELLIPSIS = "…";

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-.]/g, "_");
}

/** References to a secret (`${env:X}`, `$X`, `env("X")`) are not the secret: keep them readable. */
function isReference(value: string): boolean {
  return /^\$\{[^}]*\}$/.test(value) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value) || /^(sys\.)?env\(/.test(value);
}

function alreadyMasked(value: string): boolean {
  return value.startsWith(MASK) || value.includes(ELLIPSIS);
}

/** `s3cr3t-value-Ab3x` -> `****Ab3x`; short secrets -> `****`. Empty values, references and masks stay. */
export function maskSecret(value: string, rules: ScrubRules = DEFAULT_SCRUB_RULES): string {
  if (value === "" || alreadyMasked(value) || isReference(value)) return value;
  if (value.length < rules.minLengthToKeep) return MASK;
  return `${MASK}${value.slice(-rules.keepLast)}`;
}

/** `lmc_abc..._xyz...Ab3x` -> `lmc_…Ab3x`: the kind stays visible, the rest goes. */
function maskToken(token: string, rules: ScrubRules): string {
  return `${token.slice(0, 4)}${ELLIPSIS}${token.slice(-rules.keepLast)}`;
}

function secretKey(key: string, value: string, rules: ScrubRules): boolean {
  const k = normalizeKey(key);
  if (k === BARE_KEY) return value.length >= BARE_KEY_MIN_LENGTH && !/\s/.test(value);
  return rules.isSecretKey(k);
}

type Rule = (text: string, rules: ScrubRules) => string;

/** Anything shaped like a LinkMesh token, also truncated or garbled (a broken token file is exactly what we ship). */
const TOKEN_LIKE = /\blm[ecao]_[a-z0-9]{12}_[A-Za-z0-9_-]{8,}/g;

const tokens: Rule = (text, rules) =>
  text
    .replace(new RegExp(TOKEN_PATTERN.source, "g"), (token) => maskToken(token, rules))
    .replace(TOKEN_LIKE, (token) => maskToken(token, rules));

/** `Authorization: Bearer x`, `"authorization": "Basic x"`, `"Authorization" = "Bearer x"` (headers maps). */
const authorizationHeaders: Rule = (text, rules) =>
  text.replace(
    /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|apikey)\s+)?([^\s"',;}]+)/gi,
    (_m, head: string, scheme: string | undefined, secret: string) =>
      `${head}${scheme ?? ""}${maskSecret(secret, rules)}`,
  );

/** A bearer anywhere in free text (`... Bearer eyJ...`). */
const bearerTokens: Rule = (text, rules) =>
  text.replace(
    /(\bbearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
    (_m, head: string, secret: string) => `${head}${maskSecret(secret, rules)}`,
  );

/** `https://user:pass@host` -> `https://user:****pass@host` (the user name helps support, the password does not). */
const urlCredentials: Rule = (text, rules) =>
  text.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"'<>]+):([^\s@/"'<>]+)@/gi,
    (_m, scheme: string, user: string, password: string) => `${scheme}${user}:${maskSecret(password, rules)}@`,
  );

/** JSON (and JSON inside log lines): `"password": "x"`. Escapes inside the value are kept intact. */
const jsonKeys: Rule = (text, rules) =>
  text.replace(/("([^"\\]*)"\s*:\s*)"((?:[^"\\]|\\.)*)"/g, (whole, head: string, key: string, value: string) =>
    secretKey(key, value, rules) ? `${head}"${maskSecret(value, rules)}"` : whole,
  );

/** Alloy attributes: `password = "x"` or a raw string `` password = `x` ``, also inside `{ ... }` on one line. */
const alloyAttributes: Rule = (text, rules) =>
  text.replace(
    /(^|[\s{,])([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)/gm,
    (whole, lead: string, key: string, eq: string, quoted: string | undefined, raw: string | undefined) => {
      const value = quoted ?? raw ?? "";
      if (!secretKey(key, value, rules)) return whole;
      const q = quoted === undefined ? "`" : '"';
      return `${lead}${key}${eq}${q}${maskSecret(value, rules)}${q}`;
    },
  );

/** YAML mappings: `password: x`, `- token: "x"`, `"api_key": 'x'`. Flow collections and block scalars are skipped. */
const yamlKeys: Rule = (text, rules) =>
  text.replace(
    /^(\s*(?:-\s+)?)(["']?)([A-Za-z0-9_.-]+)\2(\s*:[ \t]+)(.*?)[ \t]*$/gm,
    (whole, lead: string, q: string, key: string, colon: string, rest: string) => {
      const value = rest.replace(/\s+#.*$/, "");
      const unquoted = /^(["'])(.*)\1$/.exec(value);
      const inner = unquoted ? (unquoted[2] ?? "") : value;
      if (/^[|>&*{[!]/.test(value) || !secretKey(key, inner, rules)) return whole;
      const masked = unquoted ? `${unquoted[1]}${maskSecret(inner, rules)}${unquoted[1]}` : maskSecret(inner, rules);
      return `${lead}${q}${key}${q}${colon}${masked}`;
    },
  );

/** logfmt (`password=x`, `token="x y"`), as Alloy and many daemons log. */
const logfmtKeys: Rule = (text, rules) =>
  text.replace(
    /(^|\s)([A-Za-z0-9_.-]+)=(?:"((?:[^"\\\n]|\\.)*)"|([^\s"]+))/gm,
    (whole, lead: string, key: string, quoted: string | undefined, bare: string | undefined) => {
      const value = quoted ?? bare ?? "";
      if (!secretKey(key, value, rules)) return whole;
      return quoted === undefined
        ? `${lead}${key}=${maskSecret(value, rules)}`
        : `${lead}${key}="${maskSecret(value, rules)}"`;
    },
  );

/** `api_key: x` inside a log line (YAML-ish settings dumps, Go `%+v` structs): the value ends at a space or quote. */
const colonKeys: Rule = (text, rules) =>
  text.replace(
    /(^|[\s{,(])([A-Za-z0-9_.-]+)(:[ \t]*)([^\s"',;})]+)/gm,
    (whole, lead: string, key: string, colon: string, value: string) =>
      secretKey(key, value, rules) ? `${lead}${key}${colon}${maskSecret(value, rules)}` : whole,
  );

/** Which rules run for each kind of artefact; tokens, headers, bearers and URLs run for all. */
const RULES_BY_KIND: Record<ScrubKind, readonly Rule[]> = {
  alloy: [alloyAttributes],
  yaml: [yamlKeys, jsonKeys],
  json: [jsonKeys],
  log: [jsonKeys, logfmtKeys, colonKeys],
  text: [jsonKeys, logfmtKeys, yamlKeys, colonKeys],
};
const ALWAYS: readonly Rule[] = [tokens, urlCredentials, authorizationHeaders, bearerTokens];

/** Masks every secret the rules recognise in `text`; idempotent (scrubbing twice changes nothing more). */
export function scrubText(text: string, kind: ScrubKind, rules: ScrubRules = DEFAULT_SCRUB_RULES): string {
  let out = text;
  for (const rule of [...ALWAYS, ...RULES_BY_KIND[kind]]) out = rule(out, rules);
  return out;
}

/** A doctor verdict quotes journal lines: each evidence and fix string is scrubbed as a log line. */
export function scrubVerdict(verdict: DoctorVerdict, rules: ScrubRules = DEFAULT_SCRUB_RULES): DoctorVerdict {
  return {
    ...verdict,
    checks: verdict.checks.map((c) => ({
      ...c,
      evidence: c.evidence.map((e) => scrubText(e, "log", rules)),
      fix: scrubText(c.fix, "log", rules),
    })),
  };
}

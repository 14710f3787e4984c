// Support snapshots: a scrubbed .tar.gz of what support needs (config, journal, agent log, doctor verdict, host facts).
// scrub.ts is the pure secret scrubber; collecting and archiving are the shell around it.

export { DEFAULT_SCRUB_RULES, maskSecret, type ScrubKind, type ScrubRules, scrubText } from "./scrub.js";

// Support snapshots: a scrubbed .tar.gz of what support needs (config, journal, agent log, doctor verdict, host facts).
// scrub.ts (secret scrubber) and tar.ts (ustar writer) are pure; collect.ts gathers with timeouts and caps the size.

export {
  buildSnapshot,
  DEFAULT_SNAPSHOT_MAX_BYTES,
  parseSince,
  type Snapshot,
  SnapshotError,
  type SnapshotOptions,
  snapshotReply,
} from "./collect.js";
export { registerSnapshotCommand } from "./command.js";
export {
  DEFAULT_SCRUB_RULES,
  maskSecret,
  type ScrubKind,
  type ScrubRules,
  scrubText,
  scrubVerdict,
} from "./scrub.js";
export { readTar, type TarEntry, tarArchive } from "./tar.js";

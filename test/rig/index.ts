// The shared test rig: real relay and agent processes, real journal files, a byte-exact Alloy stand-in.
// Every end-to-end suite starts here.

export type { AgentRun } from "./agent.js";
export { runAgent, spawnAgent } from "./agent.js";
export type { SandboxHost, SandboxHostOptions } from "./host.js";
export { enrollSandboxHost, startHostAgent, stopHostAgent } from "./host.js";
export type { JournalEntry } from "./journal.js";
export { JournalWriter } from "./journal.js";
export { CORPUS_DIR, DIST_DIR, REPO_ROOT, tempDir } from "./paths.js";
export type { RelayProcess } from "./relay.js";
export { mintEnrollmentToken, startRelay } from "./relay.js";

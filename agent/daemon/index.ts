// The agent daemon (`linkmesh-agent run`): config watcher, journal reader, /metrics scraper and host health
// feeding the durable outbox, delivered by the relay link; state for `status` in a file under stateDir.

export { AGENT_VERSION, DaemonError, type DaemonOptions, type RunningDaemon, startDaemon } from "./daemon.js";
export { EventThrottle, eventForJournalLine } from "./events.js";

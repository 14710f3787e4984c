// The agent's view of the collector's journal: what each journald line means for data delivery.
// classify.ts is pure (one entry in, one classification out); reading journalctl lives next to it.
export type {
  ClassifiedJournalEntry,
  ClassifyEntryResult,
  JournalEntryError,
  JournalEntryErrorReason,
  JournalLineKind,
  LineClassification,
  LogLevel,
} from "./classify.js";
export { classifyJournalEntry, classifyJournalLine } from "./classify.js";
export { parseLogfmt } from "./logfmt.js";
export type { JournalReaderOptions, JournalReaderState } from "./reader.js";
export { backoffDelay, JournalReader, journalctlArgs } from "./reader.js";
export type { LineFormat } from "./structured.js";

// `linkmesh-agent doctor`: the troubleshooting page's checks run automatically, naming the broken link and its fix.
// checks.ts and render.ts are pure (gathered facts in, verdict out); gather.ts collects the facts with timeouts.

export {
  CHECK_IDS,
  CHECK_TITLES,
  type CheckId,
  type DoctorInput,
  type JournalLine,
  type Probe,
  RECENT_PUSH_MS,
  runChecks,
  type ScrapePoint,
} from "./checks.js";
export { registerDoctorCommand } from "./command.js";
export {
  collectorVersionOf,
  configFileOf,
  type DoctorOptions,
  defaultCollectorHttp,
  defaultUnit,
  gatherDoctorInput,
  readJournal,
  runDoctor,
  timed,
} from "./gather.js";
export { renderVerdict } from "./render.js";

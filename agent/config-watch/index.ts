// Config watching: the collector's config file -> parsed component graph -> what changed, on every edit.
// model.ts is pure (text in, graph and diff out); watcher.ts is the chokidar shell around it.

export {
  type ConfigReading,
  describeDiff,
  diffGraphs,
  type GraphDiff,
  isEmptyDiff,
  readCollectorConfig,
  sha256Hex,
} from "./model.js";
export { ConfigWatcher, type ConfigWatcherOptions } from "./watcher.js";

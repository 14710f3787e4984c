// Bootstrap: puts the LinkMesh self-telemetry blocks at the top of the collector's config and reloads it.
// Never rewrites the operator's config (kept verbatim below the end marker, backed up); a refused reload is undone.

export {
  type ApplyBootstrapOptions,
  applyBootstrap,
  type BootstrapOutcome,
  backupPath,
  hostVisiblePath,
  type RemoveBootstrapOutcome,
  reloadAlloy,
  removeBootstrap,
} from "./apply.js";
export {
  BOOTSTRAP_END_MARKER,
  BOOTSTRAP_MARKER,
  type BootstrapSettings,
  linkmeshExporterId,
  renderManagedSection,
  SCRAPE_INTERVAL,
  SELF_TELEMETRY_BLOCKS,
} from "./blocks.js";
export {
  BootstrapError,
  type BootstrapInspection,
  chooseLabel,
  inspectBootstrap,
  type MergeResult,
  mergeBootstrap,
  splitManagedSection,
} from "./merge.js";

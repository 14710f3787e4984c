// The operator UI's Lit components: shell, login, topology canvas host, collectors, collector page, diagnostics, enroll.
// Importing this module registers every custom element; components only render what they are given.
export { CollectorPage } from "./collector-page.js";
export { CollectorsList } from "./collectors-list.js";
export { RowActions } from "./deregister.js";
export { DiagnosticsPanel } from "./diagnostics.js";
export { problemHeadline, verdictAge, verdictAgeMs, verdictHeadline } from "./diagnostics-text.js";
export { EnrollPage, type TokensPort } from "./enroll-page.js";
export { installCommand, parseLabels } from "./enroll-text.js";
export { FirstHost } from "./first-host.js";
export { type CanvasHook, TopologyGraph } from "./graph.js";
export { ago, hostSummary } from "./host.js";
export { LoginForm } from "./login.js";
export { LinkmeshApp } from "./shell.js";
export { TopologyView } from "./topology-view.js";

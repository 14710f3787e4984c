// The Alloy component graph: which components a parsed Alloy config runs and how telemetry flows between them.
// Pure: takes an AlloyFile from ../alloy-syntax, returns the shared collector model (../model).

export { alloyComponentGraph } from "./graph.js";
export { ALLOY_KIND_RULES, classifyAlloyComponent, isNonTelemetrySource } from "./kinds.js";

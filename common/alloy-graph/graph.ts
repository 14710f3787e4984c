// Builds the component graph of an Alloy config: its components and the data-flow edges between them.
// Mirrors the runtime loader: references in attributes become edges whose direction depends on the export type.

import type { AlloyFile, BlockStmt, Expr, Stmt } from "../alloy-syntax/index.js";
import type { Component, ComponentGraph, GraphEdge, Signal } from "../model/index.js";
import {
  CONFIG_BLOCK_PREFIXES,
  CONFIG_BLOCKS,
  classifyAlloyComponent,
  isNonTelemetrySource,
  SERVICE_BLOCKS,
} from "./kinds.js";

/**
 * Exports whose value is a consumer (otelcol.Consumer, storage.Appendable, loki.LogsReceiver,
 * pyroscope.Appendable): the referrer sends data *to* the referenced component.
 */
const CONSUMER_EXPORTS: ReadonlySet<string> = new Set(["receiver", "input"]);
/** Attributes whose values are always consumers, whatever the export is called (custom components). */
const CONSUMER_ATTRIBUTES: ReadonlySet<string> = new Set(["forward_to"]);
const OUTPUT_SIGNALS: Readonly<Record<string, Signal>> = { metrics: "metrics", logs: "logs", traces: "traces" };

interface Reference {
  path: string[];
  /** Set when the reference sits where a consumer is expected (`forward_to`, an `output { }` block). */
  consumerContext: boolean;
  signal: Signal | undefined;
}

function isConfigOrService(name: string): boolean {
  return CONFIG_BLOCKS.has(name) || SERVICE_BLOCKS.has(name) || CONFIG_BLOCK_PREFIXES.some((p) => name.startsWith(p));
}

/** Single-identifier names usable as custom components: `declare "x" { }` makes `x "label" { }` one. */
function declaredNames(body: Stmt[]): Set<string> {
  const declared = new Set<string>();
  for (const s of body) {
    if (s.type === "block" && s.label !== "" && s.name.join(".") === "declare") declared.add(s.label);
  }
  return declared;
}

/** Dotted names with a label are builtin (`a.b "x"`) or imported (`lib.comp "x"`) components. */
function isComponentBlock(b: BlockStmt, declared: Set<string>): boolean {
  if (b.label === "") return false;
  const name = b.name.join(".");
  if (isConfigOrService(name)) return false;
  return b.name.length > 1 || declared.has(name);
}

/** The identifier path of `a.b.c`, or undefined for anything that is not a plain access chain. */
function accessPath(e: Expr): string[] | undefined {
  if (e.type === "ident") return [e.ident.name];
  if (e.type === "access") {
    const base = accessPath(e.value);
    return base ? [...base, e.name.name] : undefined;
  }
  return undefined;
}

function collectExprRefs(e: Expr, ctx: Omit<Reference, "path">, out: Reference[]): void {
  const path = accessPath(e);
  if (path) {
    out.push({ path, ...ctx });
    return;
  }
  switch (e.type) {
    case "access":
      collectExprRefs(e.value, ctx, out);
      break;
    case "index":
      collectExprRefs(e.value, ctx, out);
      collectExprRefs(e.index, ctx, out);
      break;
    case "call":
      collectExprRefs(e.value, ctx, out);
      for (const a of e.args) collectExprRefs(a, ctx, out);
      break;
    case "unary":
      collectExprRefs(e.value, ctx, out);
      break;
    case "binary":
      collectExprRefs(e.left, ctx, out);
      collectExprRefs(e.right, ctx, out);
      break;
    case "paren":
      collectExprRefs(e.inner, ctx, out);
      break;
    case "array":
      for (const x of e.elements) collectExprRefs(x, ctx, out);
      break;
    case "object":
      for (const f of e.fields) collectExprRefs(f.value, ctx, out);
      break;
    case "ident":
    case "literal":
      break;
  }
}

function collectBodyRefs(body: Stmt[], inOutput: boolean, out: Reference[]): void {
  for (const s of body) {
    if (s.type === "block") {
      collectBodyRefs(s.body, s.name.length === 1 && s.name[0] === "output", out);
      continue;
    }
    const signal = inOutput ? OUTPUT_SIGNALS[s.name.name] : undefined;
    const consumerContext = inOutput || CONSUMER_ATTRIBUTES.has(s.name.name);
    collectExprRefs(s.value, { consumerContext, signal }, out);
  }
}

/** The component a reference names (longest prefix that is a component id) and the export after it. */
function resolve(path: string[], ids: ReadonlySet<string>): { id: string; field: string | undefined } | undefined {
  for (let n = path.length; n >= 2; n--) {
    const id = path.slice(0, n).join(".");
    if (ids.has(id)) return { id, field: path[n] };
  }
  return undefined;
}

/**
 * Components of the root module (not inside `declare` or `foreach`) and the data-flow edges between them.
 * Edges from config-only components (local.file, otelcol.auth.*) are left out: no telemetry flows on them.
 */
export function alloyComponentGraph(file: AlloyFile): ComponentGraph {
  const declared = declaredNames(file.body);
  const blocks = file.body.filter((s): s is BlockStmt => s.type === "block" && isComponentBlock(s, declared));
  const components: Component[] = blocks.map((b) => {
    const type = b.name.join(".");
    return { id: `${type}.${b.label}`, kind: classifyAlloyComponent(type), type, signals: [] };
  });
  const ids = new Set(components.map((c) => c.id));
  const typeOf = new Map(components.map((c) => [c.id, c.type]));

  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    const referrer = components[i]?.id ?? "";
    const refs: Reference[] = [];
    collectBodyRefs(b.body, false, refs);
    for (const ref of refs) {
      const target = resolve(ref.path, ids);
      if (!target || target.id === referrer) continue;
      const consumer = ref.consumerContext || (target.field !== undefined && CONSUMER_EXPORTS.has(target.field));
      const [from, to] = consumer ? [referrer, target.id] : [target.id, referrer];
      if (isNonTelemetrySource(typeOf.get(from) ?? "")) continue;
      const key = `${from}\u0000${to}\u0000${ref.signal ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push(ref.signal ? { from, to, signal: ref.signal } : { from, to });
    }
  });
  return { components, edges };
}

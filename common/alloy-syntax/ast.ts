// The Alloy syntax tree: statements, expressions and comments with their byte positions in the source.
// Plain data (no methods), so callers can walk or build it freely; positions are NO_POS for built nodes.

import { LineTable, NO_POS, type Pos } from "./source.js";
import type { BinaryOp, LiteralKind, UnaryOp } from "./token.js";

export interface Ident {
  name: string;
  pos: Pos;
}

export interface Comment {
  pos: Pos;
  /** Full text, including `//` or the surrounding slash-star delimiters. */
  text: string;
}

/** Adjacent comments (no blank line between them). */
export type CommentGroup = Comment[];

export interface AttributeStmt {
  type: "attribute";
  name: Ident;
  value: Expr;
}

export interface BlockStmt {
  type: "block";
  /** Dotted name fragments: `prometheus.scrape` is ["prometheus", "scrape"]. */
  name: string[];
  namePos: Pos;
  /** Label without quotes; "" when the block has none. */
  label: string;
  labelPos: Pos;
  body: Stmt[];
  lcurlyPos: Pos;
  rcurlyPos: Pos;
}

export type Stmt = AttributeStmt | BlockStmt;

export interface IdentifierExpr {
  type: "ident";
  ident: Ident;
}

export interface LiteralExpr {
  type: "literal";
  kind: LiteralKind;
  /** Source text: strings keep their quotes and escapes (`"a\n"`, `` `raw` ``). */
  value: string;
  pos: Pos;
}

export interface ArrayExpr {
  type: "array";
  elements: Expr[];
  lbrackPos: Pos;
  rbrackPos: Pos;
}

export interface ObjectField {
  name: Ident;
  /** True when the key was written as a string (`"key" = 1`); name holds it without quotes. */
  quoted: boolean;
  value: Expr;
}

export interface ObjectExpr {
  type: "object";
  fields: ObjectField[];
  lcurlyPos: Pos;
  rcurlyPos: Pos;
}

export interface AccessExpr {
  type: "access";
  value: Expr;
  name: Ident;
}

export interface IndexExpr {
  type: "index";
  value: Expr;
  index: Expr;
  lbrackPos: Pos;
  rbrackPos: Pos;
}

export interface CallExpr {
  type: "call";
  value: Expr;
  args: Expr[];
  lparenPos: Pos;
  rparenPos: Pos;
}

export interface UnaryExpr {
  type: "unary";
  op: UnaryOp;
  opPos: Pos;
  value: Expr;
}

export interface BinaryExpr {
  type: "binary";
  op: BinaryOp;
  opPos: Pos;
  left: Expr;
  right: Expr;
}

export interface ParenExpr {
  type: "paren";
  inner: Expr;
  lparenPos: Pos;
  rparenPos: Pos;
}

export type Expr =
  | IdentifierExpr
  | LiteralExpr
  | ArrayExpr
  | ObjectExpr
  | AccessExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ParenExpr;

export interface AlloyFile {
  filename: string;
  body: Stmt[];
  comments: CommentGroup[];
  /** Byte offsets where each line starts (first is 0); turns positions into lines. */
  lineStarts: number[];
}

export type Node = AlloyFile | Stmt | Expr | Ident | Comment;

export function lineTableOf(file: AlloyFile): LineTable {
  return new LineTable(file.lineStarts);
}

/** UTF-8 length of a string, the unit of every offset in the tree. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isStmtOrExpr(n: Node): n is Stmt | Expr {
  return "type" in n;
}

/** Offset of the first byte of a node. */
export function startPos(n: Node): Pos {
  if ("body" in n && !("type" in n)) {
    const first = n.body[0];
    return first ? startPos(first) : NO_POS;
  }
  if (!isStmtOrExpr(n)) return n.pos;
  switch (n.type) {
    case "attribute":
      return n.name.pos;
    case "block":
      return n.namePos;
    case "ident":
      return n.ident.pos;
    case "literal":
      return n.pos;
    case "array":
      return n.lbrackPos;
    case "object":
      return n.lcurlyPos;
    case "access":
    case "index":
    case "call":
      return startPos(n.value);
    case "unary":
      return n.opPos;
    case "binary":
      return startPos(n.left);
    case "paren":
      return n.lparenPos;
  }
}

function addPos(p: Pos, n: number): Pos {
  return p < 0 ? NO_POS : p + n;
}

/** Offset of the last byte of a node. */
export function endPos(n: Node): Pos {
  if ("body" in n && !("type" in n)) {
    const last = n.body[n.body.length - 1];
    return last ? endPos(last) : NO_POS;
  }
  if (!isStmtOrExpr(n)) {
    return "text" in n ? addPos(n.pos, byteLength(n.text) - 1) : addPos(n.pos, byteLength(n.name) - 1);
  }
  switch (n.type) {
    case "attribute":
      return endPos(n.value);
    case "block":
      return n.rcurlyPos;
    case "ident":
      return endPos(n.ident);
    case "literal":
      return addPos(n.pos, byteLength(n.value) - 1);
    case "array":
      return n.rbrackPos;
    case "object":
      return n.rcurlyPos;
    case "access":
      return endPos(n.name);
    case "index":
      return n.rbrackPos;
    case "call":
      return n.rparenPos;
    case "unary":
      return endPos(n.value);
    case "binary":
      return endPos(n.right);
    case "paren":
      return n.rparenPos;
  }
}

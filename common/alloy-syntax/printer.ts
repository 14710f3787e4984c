// Printer: AlloyFile -> canonical text, byte-identical to `alloy fmt` (TAB indent, aligned `=`, comments kept).
// A port of grafana/alloy syntax/printer: a walker emits tokens and whitespace hints, comments are merged in
// by position, and the tabwriter aligns the result.

import {
  type AlloyFile,
  type ArrayExpr,
  type BlockStmt,
  byteLength,
  type CallExpr,
  type Comment,
  type CommentGroup,
  type Expr,
  endPos,
  lineTableOf,
  type Node,
  type ObjectExpr,
  type Stmt,
  startPos,
} from "./ast.js";
import { goQuote } from "./quote.js";
import { type LineTable, type Pos, type Position, UNKNOWN_POSITION } from "./source.js";
import { alignAndTrim, ESCAPE } from "./tabwriter.js";
import type { Token } from "./token.js";

type Whitespace = "ignore" | " " | "\v" | "\n" | "\f" | ">" | "<";
type Arg = Whitespace | { at: Pos } | { ident: string } | { lit: string; kind: Token } | { tok: Token };

const WS_BLANK: Whitespace = " ";
const WS_VTAB: Whitespace = "\v";
const WS_NEWLINE: Whitespace = "\n";
const WS_FORMFEED: Whitespace = "\f";
const WS_INDENT: Whitespace = ">";
const WS_UNINDENT: Whitespace = "<";
const MAX_NEWLINES = 2;
const END_POSITION: Position = {
  offset: Number.MAX_SAFE_INTEGER,
  line: Number.MAX_SAFE_INTEGER,
  column: Number.MAX_SAFE_INTEGER,
};

function newlineLimit(n: number): number {
  return Math.min(n, MAX_NEWLINES);
}

function valid(p: Position): boolean {
  return p.line > 0;
}

class Printer {
  private readonly output: string[] = [];
  private outputLength = 0;
  private indent = 0;
  private lastTok: Token = "ILLEGAL";
  private whitespace: Whitespace[] = [];
  private comments: CommentGroup[] = [];
  private commentIdx = 0;
  private curComments: CommentGroup = [];
  private commentPos: Pos = -1;
  /** Approximate position in source space; decides where comments go. */
  private pos: Position = { offset: 0, line: 1, column: 1 };
  private last: Position = { ...UNKNOWN_POSITION };
  /** Exact position in output space; decides indentation. */
  private out: Position = { offset: 0, line: 1, column: 1 };

  constructor(private readonly lines: LineTable) {}

  position(p: Pos): Position {
    return this.lines.position(p);
  }

  setComments(groups: CommentGroup[]): void {
    this.comments = groups;
    this.commentIdx = 0;
    this.nextComment();
  }

  private nextComment(): void {
    while (this.commentIdx < this.comments.length) {
      const c = this.comments[this.commentIdx++] ?? [];
      const first = c[0];
      if (first) {
        this.curComments = c;
        this.commentPos = first.pos;
        return;
      }
    }
    this.commentPos = -1;
  }

  private commentBefore(next: Position): boolean {
    return this.commentPos >= 0 && this.commentPos <= next.offset;
  }

  write(...args: Arg[]): void {
    for (const arg of args) {
      let data: string;
      if (typeof arg === "string") {
        if (arg === "ignore") continue;
        if (this.whitespace.length === 16) this.writeWhitespace(16);
        this.whitespace.push(arg);
        this.lastTok = "LITERAL";
        continue;
      } else if ("at" in arg) {
        if (arg.at >= 0) this.pos = this.position(arg.at);
        continue;
      } else if ("ident" in arg) {
        data = arg.ident;
        this.lastTok = "IDENT";
      } else if ("lit" in arg) {
        data = arg.lit;
        this.lastTok = arg.kind;
      } else {
        data = arg.tok;
        // Keep `1 .` and `/ *` apart so the output scans back to the same tokens.
        if ((this.lastTok === "NUMBER" && data[0] === ".") || (this.lastTok === "/" && data[0] === "*")) {
          this.whitespace = [WS_BLANK];
        }
        this.lastTok = arg.tok;
      }
      const next = { ...this.pos };
      this.flush(next, this.lastTok);
      this.writeString(next, data, false);
    }
  }

  flush(next: Position, tok: Token): void {
    if (this.commentBefore(next)) this.injectComments(next, tok);
    else if (tok !== "EOF") this.writeWhitespace(this.whitespace.length);
  }

  private injectComments(next: Position, tok: Token): void {
    let lastComment: Comment | undefined;
    while (this.commentBefore(next)) {
      for (const c of this.curComments) {
        this.writeCommentPrefix(next, c);
        this.writeString(this.position(c.pos), c.text, true);
        lastComment = c;
      }
      this.nextComment();
    }
    if (lastComment) this.writeCommentSuffix(next, tok, lastComment);
  }

  private writeCommentPrefix(next: Position, c: Comment): void {
    if (this.outputLength === 0) return;
    const cPos = this.position(c.pos);
    if (cPos.line === this.last.line) {
      // Same line as the previous token: a block comment before the next token gets a space, else a tab.
      this.writeByte(cPos.line === next.line ? " " : "\t", 1);
      return;
    }
    let wsCount = 0;
    for (let i = 0; i < this.whitespace.length; i++) {
      const ws = this.whitespace[i];
      if (ws === WS_INDENT || ws === WS_UNINDENT) continue;
      this.whitespace[i] = "ignore";
      wsCount = i;
      break;
    }
    this.writeWhitespace(wsCount);
    const newlines = valid(cPos) && valid(this.last) ? cPos.line - this.last.line : 0;
    if (newlines > 0) this.writeByte("\f", newlineLimit(newlines));
  }

  private writeCommentSuffix(next: Position, tok: Token, lastComment: Comment): void {
    if (tok === "EOF") return;
    let droppedFF = false;
    const lastCommentPos = this.position(endPos(lastComment));
    if (lastComment.text[1] === "*" && next.line === lastCommentPos.line) this.writeByte(" ", 1);
    const newlines = next.line - this.last.line;
    for (let i = 0; i < this.whitespace.length; i++) {
      const ws = this.whitespace[i];
      if (ws === WS_INDENT || ws === WS_UNINDENT) continue;
      if (ws === WS_FORMFEED) droppedFF = true;
      this.whitespace[i] = "ignore";
    }
    this.writeWhitespace(this.whitespace.length);
    if (newlines > 0) this.writeByte(droppedFF ? "\f" : "\n", newlineLimit(newlines));
  }

  private push(s: string): void {
    this.output.push(s);
    this.outputLength += s.length;
  }

  private writeString(pos: Position, s: string, isLit: boolean): void {
    if (this.out.column === 1) this.writeIndent();
    if (valid(pos)) this.pos = { ...pos };
    if (isLit) this.push(ESCAPE);
    this.push(s);
    if (isLit) this.push(ESCAPE);

    let newlines = 0;
    let lastNewlineIdx = -1;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === "\n" || ch === "\f") {
        newlines++;
        lastNewlineIdx = i;
      }
    }
    const len = byteLength(s);
    this.pos.offset += len;
    if (newlines > 0) {
      this.pos.line += newlines;
      this.out.line += newlines;
      const column = byteLength(s.slice(lastNewlineIdx));
      this.pos.column = column;
      this.out.column = column;
    } else {
      this.pos.column += len;
      this.out.column += len;
    }
    this.last = { ...this.pos };
  }

  private writeIndent(): void {
    const depth = this.indent;
    if (depth > 0) this.push("\t".repeat(depth));
    this.pos.offset += depth;
    this.pos.column += depth;
    this.out.column += depth;
  }

  private writeByte(ch: string, n: number): void {
    if (this.out.column === 1) this.writeIndent();
    this.push(ch.repeat(n));
    this.pos.offset += n;
    if (ch === "\n" || ch === "\f") {
      this.pos.line += n;
      this.out.line += n;
      this.pos.column = 1;
      this.out.column = 1;
      return;
    }
    this.pos.column += n;
    this.out.column += n;
  }

  private writeWhitespace(n: number): void {
    for (let i = 0; i < n; i++) {
      const ws = this.whitespace[i];
      if (ws === undefined || ws === "ignore") continue;
      if (ws === WS_INDENT) this.indent++;
      else if (ws === WS_UNINDENT) this.indent = Math.max(0, this.indent - 1);
      else this.writeByte(ws, 1);
    }
    this.whitespace = this.whitespace.slice(n);
  }

  result(): string {
    return this.output.join("");
  }
}

/** Emits a tree's tokens and whitespace hints in the order Alloy's walker does. */
class Walker {
  constructor(private readonly p: Printer) {}

  private line(pos: Pos): number {
    return this.p.position(pos).line;
  }

  private differentLines(a: Pos, b: Pos): boolean {
    return this.line(a) !== this.line(b);
  }

  private nodeLines(n: Node): number {
    return this.line(endPos(n)) - this.line(startPos(n)) + 1;
  }

  walkFile(f: AlloyFile): void {
    this.p.setComments(f.comments);
    this.walkStmts(f.body);
  }

  private walkStmts(ss: Stmt[]): void {
    ss.forEach((s, i) => {
      let addedSpacing = false;
      if (i > 0 && s.type === "block") {
        this.p.write(WS_FORMFEED);
        addedSpacing = true;
      }
      const prev = ss[i - 1];
      if (prev && !addedSpacing && this.line(startPos(s)) - this.line(endPos(prev)) > 1) {
        this.p.write(WS_FORMFEED);
      }
      if (s.type === "attribute") {
        this.p.write({ at: s.name.pos }, { ident: s.name.name }, WS_VTAB, { tok: "=" }, WS_BLANK);
        this.walkExpr(s.value);
      } else {
        this.walkBlock(s);
      }
      this.p.write(this.nodeLines(s) > 1 ? WS_FORMFEED : WS_NEWLINE);
    });
  }

  private walkBlock(s: BlockStmt): void {
    this.p.write({ at: s.namePos }, { ident: s.name.join(".") });
    if (s.label !== "") this.p.write(WS_BLANK, { at: s.labelPos }, { lit: goQuote(s.label), kind: "STRING" });
    this.p.write(WS_BLANK, { at: s.lcurlyPos }, { tok: "{" }, WS_INDENT);
    if (s.body.length > 0) {
      this.p.write(WS_FORMFEED);
      this.walkStmts(s.body);
    } else {
      this.p.write(WS_BLANK);
    }
    this.p.write(WS_UNINDENT, { at: s.rcurlyPos }, { tok: "}" });
  }

  walkExpr(e: Expr): void {
    switch (e.type) {
      case "literal":
        this.p.write({ at: e.pos }, { lit: e.value, kind: e.kind });
        break;
      case "array":
        this.walkArray(e);
        break;
      case "object":
        this.walkObject(e);
        break;
      case "ident":
        this.p.write({ at: e.ident.pos }, { ident: e.ident.name });
        break;
      case "access":
        this.walkExpr(e.value);
        this.p.write({ tok: "." }, { ident: e.name.name });
        break;
      case "index":
        this.walkExpr(e.value);
        this.p.write({ at: e.lbrackPos }, { tok: "[" });
        this.walkExpr(e.index);
        this.p.write({ at: e.rbrackPos }, { tok: "]" });
        break;
      case "call":
        this.walkCall(e);
        break;
      case "unary":
        this.p.write({ at: e.opPos }, { tok: e.op });
        this.walkExpr(e.value);
        break;
      case "binary":
        this.walkExpr(e.left);
        this.p.write(WS_BLANK, { at: e.opPos }, { tok: e.op }, WS_BLANK);
        this.walkExpr(e.right);
        break;
      case "paren":
        this.p.write({ tok: "(" });
        this.walkExpr(e.inner);
        this.p.write({ tok: ")" });
        break;
    }
  }

  private walkArray(e: ArrayExpr): void {
    this.p.write({ at: e.lbrackPos }, { tok: "[" });
    let prevPos = e.lbrackPos;
    e.elements.forEach((el, i) => {
      let addedNewline = false;
      if (this.differentLines(prevPos, startPos(el))) {
        // Indent before the newline so comments written before it are indented too.
        this.p.write(WS_INDENT, WS_FORMFEED);
        addedNewline = true;
      } else if (i > 0) {
        this.p.write(WS_BLANK);
      }
      prevPos = endPos(el);
      this.walkExpr(el);
      if (i + 1 < e.elements.length) this.p.write({ tok: "," });
      if (addedNewline) this.p.write(WS_UNINDENT);
    });
    if (e.elements.length > 0 && this.differentLines(prevPos, e.rbrackPos)) {
      this.p.write({ tok: "," }, WS_INDENT, WS_FORMFEED, WS_UNINDENT);
    }
    this.p.write({ at: e.rbrackPos }, { tok: "]" });
  }

  private walkObject(e: ObjectExpr): void {
    this.p.write({ at: e.lcurlyPos }, { tok: "{" }, WS_INDENT);
    let prevPos = e.lcurlyPos;
    e.fields.forEach((field, i) => {
      if (this.differentLines(prevPos, startPos(field.name))) {
        // Keep `=` aligned with the previous field only when that field fit on one line.
        const prev = e.fields[i - 1];
        this.p.write(prev && this.nodeLines(prev.value) === 1 ? WS_NEWLINE : WS_FORMFEED);
      } else if (i > 0) {
        this.p.write(WS_BLANK);
      }
      prevPos = endPos(field.name);
      this.p.write({ at: field.name.pos });
      if (field.quoted) this.p.write({ lit: goQuote(field.name.name), kind: "STRING" });
      else this.p.write({ ident: field.name.name });
      this.p.write(WS_VTAB, { tok: "=" }, WS_BLANK);
      this.walkExpr(field.value);
      if (i + 1 < e.fields.length) this.p.write({ tok: "," });
    });
    if (e.fields.length > 0 && this.differentLines(prevPos, e.rcurlyPos)) {
      this.p.write({ tok: "," }, WS_FORMFEED);
    }
    this.p.write(WS_UNINDENT, { at: e.rcurlyPos }, { tok: "}" });
  }

  private walkCall(e: CallExpr): void {
    this.walkExpr(e.value);
    this.p.write({ tok: "(" });
    let prevPos = e.lparenPos;
    e.args.forEach((arg, i) => {
      let addedNewline = false;
      if (this.differentLines(prevPos, startPos(arg))) {
        this.p.write(WS_FORMFEED, WS_INDENT);
        addedNewline = true;
      }
      this.walkExpr(arg);
      prevPos = endPos(arg);
      if (i + 1 < e.args.length) this.p.write({ tok: "," }, WS_BLANK);
      if (addedNewline) this.p.write(WS_UNINDENT);
    });
    if (this.differentLines(prevPos, e.rparenPos)) this.p.write({ tok: "," }, WS_FORMFEED);
    this.p.write({ tok: ")" });
  }
}

/** Prints a parsed file the way `alloy fmt` does, including the final newline. */
export function printAlloyFile(file: AlloyFile): string {
  const p = new Printer(lineTableOf(file));
  new Walker(p).walkFile(file);
  p.flush(END_POSITION, "EOF");
  return `${alignAndTrim(p.result())}\n`;
}

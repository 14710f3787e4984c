// Parser: tokens -> AlloyFile, collecting every error it can instead of stopping at the first.
// Mirrors grafana/alloy syntax/parser (same recovery and messages); never throws, never loops forever.

import type {
  AlloyFile,
  ArrayExpr,
  BlockStmt,
  Comment,
  CommentGroup,
  Expr,
  ObjectExpr,
  ObjectField,
  Stmt,
} from "./ast.js";
import { byteLength, startPos } from "./ast.js";
import { goQuote } from "./quote.js";
import { isValidIdentifier, Scanner } from "./scanner.js";
import { LineTable, NO_POS, type Pos } from "./source.js";
import { type BinaryOp, binaryPrecedence, isBinaryOp, type LiteralKind, type Token } from "./token.js";

/** One syntax error, positioned like Alloy's own diagnostics (1-based line, 1-based byte column). */
export interface AlloySyntaxError {
  filename: string;
  line: number;
  column: number;
  offset: number;
  message: string;
}

export type ParseResult = { ok: true; file: AlloyFile } | { ok: false; errors: AlloySyntaxError[] };

/** Deeper nesting than this is reported as an error rather than risking the JS stack. */
const MAX_DEPTH = 400;

class ParseAborted extends Error {}

interface RawDiag {
  offset: number;
  message: string;
}

interface BlockName {
  fragments: string[];
  label: string;
  start: Pos;
  labelPos: Pos;
}

const STATEMENT_END: ReadonlySet<Token> = new Set<Token>(["TERMINATOR", ")", "}", "]", ","]);

class Parser {
  readonly lines = new LineTable();
  readonly diags: RawDiag[] = [];
  readonly comments: CommentGroup[] = [];
  private readonly scanner: Scanner;
  private pos: Pos = 0;
  private tok: Token = "EOF";
  private lit = "";
  private lastErrorLine = 0;
  private depth = 0;
  private steps = 0;
  private readonly maxSteps: number;

  constructor(src: Uint8Array) {
    this.scanner = new Scanner(src, this.lines, (offset, message) => this.diags.push({ offset, message }));
    // Each scanned token costs one step; the parser never needs more than a few passes per token.
    this.maxSteps = 8 * (src.length + 16);
    this.next();
  }

  /** Current token, read through a call so TypeScript does not narrow it across next(). */
  private cur(): Token {
    return this.tok;
  }

  private line(pos: Pos): number {
    return this.lines.position(pos).line;
  }

  private next(): void {
    this.next0();
    while (this.tok === "COMMENT") this.consumeCommentGroup();
  }

  private next0(): void {
    if (++this.steps > this.maxSteps) {
      this.diags.push({ offset: this.pos, message: "parser made no progress (internal error)" });
      throw new ParseAborted();
    }
    const t = this.scanner.scan();
    this.pos = t.pos;
    this.tok = t.tok;
    this.lit = t.lit;
  }

  private consumeCommentGroup(): void {
    const list: Comment[] = [];
    let endline = this.line(this.pos);
    while (this.tok === "COMMENT" && this.line(this.pos) <= endline + 1) {
      let end = this.line(this.pos);
      if (this.lit[1] === "*") for (const ch of this.lit) if (ch === "\n") end++;
      list.push({ pos: this.pos, text: this.lit });
      endline = end;
      this.next0();
    }
    this.comments.push(list);
  }

  private advance(to: Token): void {
    while (this.tok !== "EOF") {
      if (this.tok === to) return;
      this.next();
    }
  }

  private advanceAny(to: ReadonlySet<Token>): void {
    while (this.tok !== "EOF") {
      if (to.has(this.tok)) return;
      this.next();
    }
  }

  expect(t: Token): { pos: Pos; tok: Token; lit: string } {
    const got = { pos: this.pos, tok: this.tok, lit: this.lit };
    if (got.tok !== t) this.addError(`expected ${t}, got ${this.tok}`);
    this.next();
    return got;
  }

  private addError(message: string): void {
    const line = this.line(this.pos);
    // Like upstream: only the first error on a line is kept, later ones are usually noise.
    if (this.lastErrorLine === line) return;
    this.lastErrorLine = line;
    this.diags.push({ offset: this.pos, message });
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.diags.push({ offset: this.pos, message: `nesting deeper than ${MAX_DEPTH} levels is not supported` });
      throw new ParseAborted();
    }
  }

  parseFile(filename: string): AlloyFile {
    const body = this.parseBody("EOF");
    return { filename, body, comments: this.comments, lineStarts: this.lines.lines };
  }

  private parseBody(until: Token): Stmt[] {
    const body: Stmt[] = [];
    while (this.tok !== until && this.tok !== "EOF") {
      const stmt = this.parseStatement();
      if (stmt) body.push(stmt);
      if (this.tok === until) break;
      if (this.tok !== "TERMINATOR") {
        this.addError(`expected TERMINATOR, got ${this.tok}`);
        this.consumeStatement();
      }
      this.next();
    }
    return body;
  }

  private consumeStatement(): void {
    let curly = 0;
    let brack = 0;
    let paren = 0;
    while (this.tok !== "EOF") {
      switch (this.tok) {
        case "{":
          curly++;
          break;
        case "}":
          curly--;
          break;
        case "[":
          brack++;
          break;
        case "]":
          brack--;
          break;
        case "(":
          paren++;
          break;
        case ")":
          paren--;
          break;
        default:
          break;
      }
      if (this.tok === "TERMINATOR" && curly <= 0 && brack <= 0 && paren <= 0) return;
      this.next();
    }
  }

  private parseStatement(): Stmt | undefined {
    const bn = this.parseBlockName();
    if (!bn) {
      this.advance("IDENT");
      return undefined;
    }
    const first = bn.fragments[0] ?? "";
    switch (this.tok) {
      case "=": {
        this.next();
        if (bn.fragments.length !== 1) {
          this.diags.push({
            offset: bn.start,
            message: `attribute names may only consist of a single identifier with no "."`,
          });
        } else if (bn.labelPos !== NO_POS) {
          this.diags.push({ offset: bn.labelPos, message: "attribute names may not have labels" });
        }
        return { type: "attribute", name: { name: first, pos: bn.start }, value: this.parseExpression() };
      }
      case "{": {
        const lcurly = this.expect("{").pos;
        this.enter();
        const body = this.parseBody("}");
        this.depth--;
        const rcurly = this.expect("}").pos;
        const block: BlockStmt = {
          type: "block",
          name: bn.fragments,
          namePos: bn.start,
          label: bn.label,
          labelPos: bn.labelPos,
          body,
          lcurlyPos: lcurly,
          rcurlyPos: rcurly,
        };
        return block;
      }
      default:
        if (bn.fragments.length === 1 && bn.label === "") {
          this.addError(`expected attribute assignment or block body, got ${this.tok}`);
        } else {
          this.addError(`expected block body, got ${this.tok}`);
        }
        this.advance("IDENT");
        return undefined;
    }
  }

  private parseBlockName(): BlockName | undefined {
    if (this.tok !== "IDENT") {
      this.addError(`expected identifier, got ${this.tok}`);
      return undefined;
    }
    const bn: BlockName = { fragments: [this.lit], label: "", start: this.pos, labelPos: NO_POS };
    this.next();
    while (this.cur() === ".") {
      this.next();
      if (this.cur() !== "IDENT") this.addError(`expected identifier, got ${this.tok}`);
      bn.fragments.push(this.lit);
      this.next();
    }
    if (this.cur() !== "=" && this.cur() !== "{") {
      if (this.cur() === "STRING") {
        if (!this.lit.startsWith('"')) {
          this.addError(`expected block label to be a double quoted string, but got ${goQuote(this.lit)}`);
        }
        if (byteLength(this.lit) > 2) {
          bn.label = this.lit.slice(1, -1);
          if (!isValidIdentifier(bn.label)) {
            this.addError(`expected block label to be a valid identifier, but got ${goQuote(bn.label)}`);
          }
        }
        bn.labelPos = this.pos;
      } else {
        this.addError(`expected block label, got ${this.tok}`);
      }
      this.next();
    }
    return bn;
  }

  parseExpression(): Expr {
    this.enter();
    const e = this.parseBinOp(1);
    this.depth--;
    return e;
  }

  private parseBinOp(inPrec: number): Expr {
    let lhs = this.parsePowExpr();
    for (;;) {
      const tok = this.tok;
      const pos = this.pos;
      const prec = binaryPrecedence(tok);
      if (prec < inPrec || !isBinaryOp(tok)) return lhs;
      this.next();
      const rhs = this.parseBinOp(prec + 1);
      lhs = { type: "binary", op: tok, opPos: pos, left: lhs, right: rhs };
    }
  }

  private parsePowExpr(): Expr {
    const lhs = this.parseUnaryExpr();
    if (this.tok === "^") {
      const pos = this.pos;
      this.next();
      this.enter();
      const right = this.parsePowExpr();
      this.depth--;
      const op: BinaryOp = "^";
      return { type: "binary", op, opPos: pos, left: lhs, right };
    }
    return lhs;
  }

  private parseUnaryExpr(): Expr {
    if (this.tok === "!" || this.tok === "-") {
      const op = this.tok;
      const pos = this.pos;
      this.next();
      this.enter();
      const value = this.parseUnaryExpr();
      this.depth--;
      return { type: "unary", op, opPos: pos, value };
    }
    let primary = this.parsePrimaryExpr();
    for (;;) {
      switch (this.tok) {
        case ".": {
          this.next();
          const name = this.expect("IDENT");
          primary = { type: "access", value: primary, name: { name: name.lit, pos: name.pos } };
          break;
        }
        case "[": {
          const lbrack = this.expect("[").pos;
          const index = this.parseExpression();
          const rbrack = this.expect("]").pos;
          primary = { type: "index", value: primary, index, lbrackPos: lbrack, rbrackPos: rbrack };
          break;
        }
        case "(": {
          const lparen = this.expect("(").pos;
          const args = this.cur() !== ")" ? this.parseExpressionList(")") : [];
          const rparen = this.expect(")").pos;
          primary = { type: "call", value: primary, args, lparenPos: lparen, rparenPos: rparen };
          break;
        }
        case "STRING":
        case "{": {
          // Someone wrote `attr = some.block "label" { ... }`: parse it as a block to say so clearly.
          if (this.tok === "STRING") this.next();
          if (this.expect("{").tok !== "{") {
            this.consumeStatement();
            return primary;
          }
          this.enter();
          this.parseBody("}");
          this.depth--;
          if (this.expect("}").tok !== "}") {
            this.consumeStatement();
            return primary;
          }
          this.diags.push({ offset: startPos(primary), message: "cannot use a block as an expression" });
          break;
        }
        default:
          return primary;
      }
    }
  }

  private parsePrimaryExpr(): Expr {
    switch (this.tok) {
      case "IDENT": {
        const res: Expr = { type: "ident", ident: { name: this.lit, pos: this.pos } };
        this.next();
        return res;
      }
      case "STRING":
      case "NUMBER":
      case "FLOAT":
      case "BOOL":
      case "NULL": {
        const kind: LiteralKind = this.tok;
        const res: Expr = { type: "literal", kind, value: this.lit, pos: this.pos };
        this.next();
        return res;
      }
      case "(": {
        const lparen = this.expect("(").pos;
        const inner = this.parseExpression();
        const rparen = this.expect(")").pos;
        return { type: "paren", inner, lparenPos: lparen, rparenPos: rparen };
      }
      case "[": {
        const lbrack = this.expect("[").pos;
        const elements = this.cur() !== "]" ? this.parseExpressionList("]") : [];
        const rbrack = this.expect("]").pos;
        const res: ArrayExpr = { type: "array", elements, lbrackPos: lbrack, rbrackPos: rbrack };
        return res;
      }
      case "{": {
        const lcurly = this.expect("{").pos;
        const fields = this.parseFieldList("}");
        const rcurly = this.expect("}").pos;
        const res: ObjectExpr = { type: "object", fields, lcurlyPos: lcurly, rcurlyPos: rcurly };
        return res;
      }
      default: {
        this.addError(`expected expression, got ${this.tok}`);
        const res: Expr = { type: "literal", kind: "NULL", value: "null", pos: this.pos };
        this.advanceAny(STATEMENT_END);
        return res;
      }
    }
  }

  private parseExpressionList(until: Token): Expr[] {
    const exprs: Expr[] = [];
    while (this.tok !== until && this.tok !== "EOF") {
      exprs.push(this.parseExpression());
      if (this.tok === until) break;
      if (this.tok !== ",") this.addError("missing ',' in expression list");
      this.next();
    }
    return exprs;
  }

  private parseFieldList(until: Token): ObjectField[] {
    const fields: ObjectField[] = [];
    while (this.tok !== until && this.tok !== "EOF") {
      fields.push(this.parseField());
      if (this.tok === until) break;
      if (this.tok !== ",") this.addError("missing ',' in field list");
      this.next();
    }
    return fields;
  }

  private parseField(): ObjectField {
    let name = { name: "", pos: NO_POS };
    let quoted = false;
    if (this.tok === "STRING" || this.tok === "IDENT") {
      name = { name: this.lit, pos: this.pos };
      if (this.tok === "STRING" && byteLength(this.lit) > 2) {
        name.name = this.lit.slice(1, -1);
        quoted = true;
      }
      this.next();
    } else {
      this.addError(`expected field name (string or identifier), got ${this.tok}`);
      this.advance("=");
    }
    this.expect("=");
    return { name, quoted, value: this.parseExpression() };
  }
}

function toErrors(p: Parser, filename: string): AlloySyntaxError[] {
  return p.diags.map((d) => {
    const pos = p.lines.position(d.offset);
    return { filename, line: pos.line, column: pos.column, offset: d.offset, message: d.message };
  });
}

/**
 * Parses an Alloy file. Returns every syntax error found (positions are 1-based line and byte column);
 * never throws, whatever the input.
 */
export function parseAlloy(src: string | Uint8Array, filename = ""): ParseResult {
  const bytes = typeof src === "string" ? new TextEncoder().encode(src) : src;
  const p = new Parser(bytes);
  let file: AlloyFile | undefined;
  try {
    file = p.parseFile(filename);
  } catch (err) {
    if (!(err instanceof ParseAborted) && !(err instanceof RangeError)) throw err;
    if (err instanceof RangeError) p.diags.push({ offset: 0, message: "input nested too deeply to parse" });
  }
  if (file && p.diags.length === 0) return { ok: true, file };
  return { ok: false, errors: toErrors(p, filename) };
}

/** Parses a single expression (e.g. `[a.b, "x"]`); the input must hold nothing else. */
export function parseAlloyExpression(
  src: string,
): { ok: true; expr: Expr } | { ok: false; errors: AlloySyntaxError[] } {
  const p = new Parser(new TextEncoder().encode(src));
  let expr: Expr | undefined;
  try {
    expr = p.parseExpression();
    p.expect("TERMINATOR");
  } catch (err) {
    if (!(err instanceof ParseAborted) && !(err instanceof RangeError)) throw err;
  }
  if (expr && p.diags.length === 0) return { ok: true, expr };
  return { ok: false, errors: toErrors(p, "") };
}

/** `file:line:col: message`, the way Alloy prints diagnostics. */
export function formatSyntaxError(e: AlloySyntaxError): string {
  const where = e.line > 0 ? `${e.filename ? `${e.filename}:` : ""}${e.line}:${e.column}` : e.filename || "-";
  return `${where}: ${e.message}`;
}

// Scanner: turns UTF-8 source bytes into tokens, inserting TERMINATORs after line ends like Go does.
// Mirrors grafana/alloy syntax/scanner, including its error messages; never throws on any input.

import { LineTable, type Pos } from "./source.js";
import { lookupKeyword, type Token } from "./token.js";

export type ScanErrorHandler = (offset: number, message: string) => void;

export interface ScannedToken {
  pos: Pos;
  tok: Token;
  /** Literal text for IDENT/NUMBER/FLOAT/STRING/BOOL/NULL/COMMENT/ILLEGAL, "\n" for TERMINATOR. */
  lit: string;
}

const EOF_CH = -1;
const BOM = 0xfeff;
const RUNE_ERROR = 0xfffd;
const decoder = new TextDecoder("utf-8");

export function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** Decodes one UTF-8 rune at `at`: [rune, width]; invalid sequences give [RUNE_ERROR, 1]. */
function decodeRune(b: Uint8Array, at: number): [number, number] {
  const c0 = b[at] ?? 0;
  if (c0 < 0x80) return [c0, 1];
  const cont = (i: number): number => {
    const c = b[at + i];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    if (c1 >= 0) return [((c0 & 0x1f) << 6) | c1, 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
    }
  }
  return [RUNE_ERROR, 1];
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const PRINT = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

function isLetter(ch: number): boolean {
  if (ch < 0) return false;
  if ((ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f) return true;
  return ch >= 0x80 && LETTER.test(String.fromCodePoint(ch));
}

function isDecimal(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}

function isDigit(ch: number): boolean {
  return isDecimal(ch) || (ch >= 0x80 && DIGIT.test(String.fromCodePoint(ch)));
}

function lower(ch: number): number {
  return ch | 0x20;
}

function digitVal(ch: number): number {
  if (isDecimal(ch)) return ch - 0x30;
  const l = lower(ch);
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return 16;
}

/** Go's `%#U` rendering of a rune, used in "illegal character" messages. */
function formatRune(ch: number): string {
  const hex = ch.toString(16).toUpperCase().padStart(4, "0");
  const printable = ch >= 0 && ch <= 0x10ffff && PRINT.test(String.fromCodePoint(ch));
  return printable ? `U+${hex} '${String.fromCodePoint(ch)}'` : `U+${hex}`;
}

export class Scanner {
  private ch = EOF_CH;
  private offset = 0;
  private readOffset = 0;
  private insertTerm = false;

  constructor(
    private readonly input: Uint8Array,
    private readonly lines: LineTable,
    private readonly onError: ScanErrorHandler,
    private readonly includeComments = true,
  ) {
    this.next();
    if (this.ch === BOM) this.next();
  }

  /** Current character, read through a call so TypeScript does not narrow it across next(). */
  private cur(): number {
    return this.ch;
  }

  private peek(): number {
    return this.input[this.readOffset] ?? 0;
  }

  private next(): void {
    if (this.readOffset >= this.input.length) {
      this.offset = this.input.length;
      if (this.ch === 0x0a) this.lines.addLine(this.offset);
      this.ch = EOF_CH;
      return;
    }
    this.offset = this.readOffset;
    if (this.ch === 0x0a) this.lines.addLine(this.offset);
    let r = this.input[this.readOffset] ?? 0;
    let width = 1;
    if (r === 0) {
      this.onError(this.offset, "illegal character NUL");
    } else if (r >= 0x80) {
      [r, width] = decodeRune(this.input, this.readOffset);
      if (r === RUNE_ERROR && width === 1) this.onError(this.offset, "illegal UTF-8 encoding");
      else if (r === BOM && this.offset > 0) this.onError(this.offset, "illegal byte order mark");
    }
    this.readOffset += width;
    this.ch = r;
  }

  scan(): ScannedToken {
    // Comments that are skipped loop back here; every pass consumes input, so this terminates.
    for (;;) {
      this.skipWhitespace();
      const pos = this.offset;
      let insertTerm = false;
      let tok: Token;
      let lit = "";
      const ch = this.ch;

      if (isLetter(ch)) {
        lit = this.scanIdentifier();
        tok = lit.length > 1 ? lookupKeyword(lit) : "IDENT";
        insertTerm = true;
      } else if (isDecimal(ch) || (ch === 0x2e && isDecimal(this.peek()))) {
        insertTerm = true;
        [tok, lit] = this.scanNumber();
      } else {
        this.next();
        switch (ch) {
          case EOF_CH:
            if (this.insertTerm) {
              this.insertTerm = false;
              return { pos, tok: "TERMINATOR", lit: "\n" };
            }
            tok = "EOF";
            break;
          case 0x0a:
            this.insertTerm = false;
            return { pos, tok: "TERMINATOR", lit: "\n" };
          case 0x27: // '
            this.onError(pos, "illegal single-quoted string; use double quotes");
            insertTerm = true;
            tok = "ILLEGAL";
            lit = this.scanString(0x27, true, false);
            break;
          case 0x22: // "
            insertTerm = true;
            tok = "STRING";
            lit = this.scanString(0x22, true, false);
            break;
          case 0x60: // `
            insertTerm = true;
            tok = "STRING";
            lit = this.scanString(0x60, false, true);
            break;
          case 0x7c: // |
            if (this.ch !== 0x7c) this.onError(this.offset, "missing second | in ||");
            else this.next();
            tok = "||";
            break;
          case 0x26: // &
            if (this.ch !== 0x26) this.onError(this.offset, "missing second & in &&");
            else this.next();
            tok = "&&";
            break;
          case 0x21:
            tok = this.switch2("!", "!=");
            break;
          case 0x3d:
            tok = this.switch2("=", "==");
            break;
          case 0x3c:
            tok = this.switch2("<", "<=");
            break;
          case 0x3e:
            tok = this.switch2(">", ">=");
            break;
          case 0x2b:
            tok = "+";
            break;
          case 0x2d:
            tok = "-";
            break;
          case 0x2a:
            tok = "*";
            break;
          case 0x2f: // /
            if (this.ch === 0x2f || this.ch === 0x2a) {
              if (this.insertTerm && this.findLineEnd()) {
                // Rewind to the comment start: the terminator comes first, the comment is scanned next.
                this.ch = 0x2f;
                this.offset = pos;
                this.readOffset = pos + 1;
                this.insertTerm = false;
                return { pos, tok: "TERMINATOR", lit: "\n" };
              }
              const comment = this.scanComment();
              if (!this.includeComments) {
                this.insertTerm = false;
                continue;
              }
              tok = "COMMENT";
              lit = comment;
            } else {
              tok = "/";
            }
            break;
          case 0x25:
            tok = "%";
            break;
          case 0x5e:
            tok = "^";
            break;
          case 0x7b:
            tok = "{";
            break;
          case 0x7d:
            insertTerm = true;
            tok = "}";
            break;
          case 0x28:
            tok = "(";
            break;
          case 0x29:
            insertTerm = true;
            tok = ")";
            break;
          case 0x5b:
            tok = "[";
            break;
          case 0x5d:
            insertTerm = true;
            tok = "]";
            break;
          case 0x2c:
            tok = ",";
            break;
          case 0x2e:
            tok = ".";
            break;
          default:
            if (ch !== BOM) this.onError(pos, `illegal character ${formatRune(ch)}`);
            insertTerm = this.insertTerm;
            tok = "ILLEGAL";
            lit = String.fromCodePoint(ch);
        }
      }
      this.insertTerm = insertTerm;
      return { pos, tok, lit };
    }
  }

  private skipWhitespace(): void {
    while (this.ch === 0x20 || this.ch === 0x09 || this.ch === 0x0d || (this.ch === 0x0a && !this.insertTerm)) {
      this.next();
    }
  }

  private scanIdentifier(): string {
    const off = this.offset;
    while (isLetter(this.ch) || isDigit(this.ch)) this.next();
    return decodeBytes(this.input, off, this.offset);
  }

  private scanNumber(): [Token, string] {
    let tok: Token = "NUMBER";
    const off = this.offset;
    if (this.ch !== 0x2e) this.digits();
    if (this.ch === 0x2e) {
      tok = "FLOAT";
      this.next();
      this.digits();
    }
    if (this.ch >= 0 && lower(this.ch) === 0x65) {
      tok = "FLOAT";
      this.next();
      if (this.ch === 0x2b || this.ch === 0x2d) this.next();
      if (this.digits() === 0) this.onError(off, "exponent has no digits");
    }
    return [tok, decodeBytes(this.input, off, this.offset)];
  }

  private digits(): number {
    let count = 0;
    while (isDecimal(this.ch)) {
      this.next();
      count++;
    }
    return count;
  }

  private scanString(until: number, escapes: boolean, multiline: boolean): string {
    const off = this.offset - 1;
    for (;;) {
      const ch = this.ch;
      if ((!multiline && ch === 0x0a) || ch === EOF_CH) {
        this.onError(off, "string literal not terminated");
        break;
      }
      this.next();
      if (ch === until) break;
      if (escapes && ch === 0x5c) this.scanEscape();
    }
    return decodeBytes(this.input, off, this.offset);
  }

  private scanEscape(): void {
    const off = this.offset;
    let n: number;
    let base: number;
    let max: number;
    switch (this.ch) {
      case 0x61: // a b f n r t v \ "
      case 0x62:
      case 0x66:
      case 0x6e:
      case 0x72:
      case 0x74:
      case 0x76:
      case 0x5c:
      case 0x22:
        this.next();
        return;
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
        [n, base, max] = [3, 8, 255];
        break;
      case 0x78: // x
        this.next();
        [n, base, max] = [2, 16, 255];
        break;
      case 0x75: // u
        this.next();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case 0x55: // U
        this.next();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      default:
        this.onError(off, this.ch === EOF_CH ? "escape sequence not terminated" : "unknown escape sequence");
        return;
    }
    let x = 0;
    while (n > 0) {
      const d = digitVal(this.ch);
      if (d >= base) {
        const msg =
          this.cur() === EOF_CH
            ? "escape sequence not terminated"
            : `illegal character ${formatRune(this.ch)} in escape sequence`;
        this.onError(off, msg);
        return;
      }
      x = x * base + d;
      this.next();
      n--;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) this.onError(off, "escape sequence is invalid Unicode code point");
  }

  private scanComment(): string {
    const off = this.offset - 1;
    let numCR = 0;
    let blockComment = false;
    let terminated = true;
    if (this.ch === 0x2f) {
      this.next();
      while (this.cur() !== 0x0a && this.cur() !== EOF_CH) {
        if (this.cur() === 0x0d) numCR++;
        this.next();
      }
    } else {
      blockComment = true;
      terminated = false;
      this.next();
      while (this.ch !== EOF_CH) {
        const ch = this.ch;
        if (ch === 0x0d) numCR++;
        this.next();
        if (ch === 0x2a && this.ch === 0x2f) {
          this.next();
          terminated = true;
          break;
        }
      }
      if (!terminated) this.onError(off, "block comment not terminated");
    }
    let lit = this.input.subarray(off, this.offset);
    if (numCR > 0 && lit.length >= 1 && lit[lit.length - 1] === 0x0d) {
      lit = lit.subarray(0, lit.length - 1);
      numCR--;
    }
    if (numCR > 0) lit = stripCR(lit, blockComment);
    return decoder.decode(lit);
  }

  /** Whether the comment starting here runs to the end of the line (so a terminator goes before it). */
  private findLineEnd(): boolean {
    const start = this.offset - 1;
    const result = this.lookForLineEnd();
    this.ch = 0x2f;
    this.offset = start;
    this.readOffset = start + 1;
    this.next();
    return result;
  }

  private lookForLineEnd(): boolean {
    while (this.ch === 0x2f || this.ch === 0x2a) {
      if (this.ch === 0x2f) return true;
      this.next();
      while (this.cur() !== EOF_CH) {
        const ch = this.cur();
        if (ch === 0x0a) return true;
        this.next();
        if (ch === 0x2a && this.cur() === 0x2f) {
          this.next();
          break;
        }
      }
      this.skipWhitespace();
      if (this.cur() === EOF_CH || this.cur() === 0x0a) return true;
      if (this.cur() !== 0x2f) return false;
      this.next();
    }
    return false;
  }

  private switch2(a: Token, b: Token): Token {
    if (this.ch === 0x3d) {
      this.next();
      return b;
    }
    return a;
  }
}

function stripCR(b: Uint8Array, blockComment: boolean): Uint8Array {
  const c = new Uint8Array(b.length);
  let i = 0;
  for (let j = 0; j < b.length; j++) {
    const ch = b[j] ?? 0;
    if (ch !== 0x0d || (blockComment && i > 2 && c[i - 1] === 0x2a && j + 1 < b.length && b[j + 1] === 0x2f)) {
      c[i++] = ch;
    }
  }
  return c.subarray(0, i);
}

/** True when `s` scans as exactly one identifier (block labels must be). */
export function isValidIdentifier(s: string): boolean {
  const sc = new Scanner(new TextEncoder().encode(s), new LineTable(), () => {});
  const t = sc.scan();
  return t.tok === "IDENT" && t.lit === s;
}

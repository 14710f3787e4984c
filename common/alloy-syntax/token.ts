// Lexical tokens of the Alloy syntax and their binary precedence (mirrors grafana/alloy syntax/token).

/** A token kind. Operators are spelled as themselves, which is also how error messages name them. */
export type Token =
  | "ILLEGAL"
  | "LITERAL"
  | "EOF"
  | "COMMENT"
  | "IDENT"
  | "NUMBER"
  | "FLOAT"
  | "STRING"
  | "BOOL"
  | "NULL"
  | "||"
  | "&&"
  | "!"
  | "="
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "{"
  | "}"
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "."
  | "TERMINATOR";

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%" | "^";
export type UnaryOp = "!" | "-";
export type LiteralKind = "STRING" | "NUMBER" | "FLOAT" | "BOOL" | "NULL";

const PRECEDENCE: Partial<Record<Token, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  "^": 6,
};

/** Binary precedence of a token; 0 for tokens that are not binary operators. */
export function binaryPrecedence(t: Token): number {
  return PRECEDENCE[t] ?? 0;
}

export function isBinaryOp(t: Token): t is BinaryOp {
  return binaryPrecedence(t) > 0;
}

/** Keyword lookup for a scanned identifier. */
export function lookupKeyword(ident: string): Token {
  if (ident === "true" || ident === "false") return "BOOL";
  if (ident === "null") return "NULL";
  return "IDENT";
}

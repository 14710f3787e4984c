// Alloy configuration syntax: scanner -> parser -> AST -> printer, modelled on grafana/alloy `syntax/`.
// Parses without throwing (all errors with positions), formats byte-identical to `alloy fmt`, builds configs.

export type {
  AccessExpr,
  AlloyFile,
  ArrayExpr,
  AttributeStmt,
  BinaryExpr,
  BlockStmt,
  CallExpr,
  Comment,
  CommentGroup,
  Expr,
  Ident,
  IdentifierExpr,
  IndexExpr,
  LiteralExpr,
  ObjectExpr,
  ObjectField,
  ParenExpr,
  Stmt,
  UnaryExpr,
} from "./ast.js";
export { endPos, startPos } from "./ast.js";
export type { AlloyItem, AlloyValue } from "./builder.js";
export {
  AlloyBuildError,
  AlloyExpression,
  alloyExpr,
  alloyRef,
  attr,
  blankLine,
  block,
  comment,
  InlineObject,
  inlineObject,
  renderAlloy,
} from "./builder.js";
export { AlloySyntaxErrors, formatAlloy } from "./format.js";
export type { AlloySyntaxError, ParseResult } from "./parser.js";
export { formatSyntaxError, parseAlloy, parseAlloyExpression } from "./parser.js";
export { alloyString, goQuote, unquoteAlloyString } from "./quote.js";
export { isValidIdentifier } from "./scanner.js";
export type { Pos, Position } from "./source.js";
export { NO_POS } from "./source.js";
export type { BinaryOp, LiteralKind, UnaryOp } from "./token.js";

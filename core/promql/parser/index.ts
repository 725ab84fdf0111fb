/**
 * @module core/promql/parser
 * Public entry of the PromQL parser: parseExpr, formatExpr, the AST types, the function table and
 * ParseError.
 */
export * from "./ast.ts";
export { parseExpr, parseSeriesSelector, type ParseOptions } from "./parser.ts";
export { formatExpr, goQuote } from "./printer.ts";
export { ParseError } from "./errors.ts";
export { FUNCTIONS, type FunctionSignature } from "./functions.ts";

/**
 * @module core/promql/parser/errors
 * ParseError: a PromQL syntax or type error with the offending position range. Its message reads like
 * Prometheus's: `1:5: parse error: unexpected end of input` (line and 1-based column of `pos.start`).
 */
import { QuiverError } from "../../util/errors.ts";
import type { PosRange } from "./ast.ts";

/** A parse or static type-check error (API error type bad_data). */
export class ParseError extends QuiverError {
  /** The reason without the position prefix, e.g. `unexpected end of input`. */
  readonly reason: string;
  /** Where in the query the error is (character offsets). */
  readonly pos: PosRange;
  /** The query text the error refers to. */
  readonly query: string;

  constructor(query: string, pos: PosRange, reason: string) {
    super("bad_data", `${positionString(query, pos.start)} parse error: ${reason}`);
    this.reason = reason;
    this.pos = pos;
    this.query = query;
  }
}

/** Formats `line:col:` (1-based) for an offset into the query, as Prometheus does. */
export function positionString(query: string, offset: number): string {
  if (offset < 0 || offset > query.length) return "invalid position:";
  const { line, col } = lineCol(query, offset);
  return `${line}:${col}:`;
}

/** Converts a character offset into a 1-based line and column. */
export function lineCol(query: string, offset: number): { line: number; col: number } {
  let line = 1, lastBreak = -1;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return { line, col: offset - lastBreak };
}

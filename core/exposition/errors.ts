/**
 * @module core/exposition/errors
 * The error a parser throws for malformed exposition text. It always names the position (1-based line and
 * column, counted in UTF-16 code units of the decoded text) and the reason, like Prometheus's
 * `expected label name, got "@"`-style messages, so a scrape error tells the target owner where to look.
 */
import { QuiverError } from "../util/errors.ts";

/** Malformed exposition input: `line` and `column` are 1-based; `offset` is the 0-based string index. */
export class ExpositionParseError extends QuiverError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
  ) {
    super("bad_data", `line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * Builds an {@link ExpositionParseError} for position `offset` in `text`, computing line and column by
 * scanning backwards for newlines (only done on the error path, so the hot path keeps no line counter).
 */
export function parseErrorAt(text: string, offset: number, reason: string): ExpositionParseError {
  if (offset > text.length) offset = text.length;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return new ExpositionParseError(reason, line, offset - lineStart + 1, offset);
}

/** Quotes a fragment of input for an error message, shortening long ones. */
export function quoteFragment(s: string): string {
  const short = s.length > 40 ? s.slice(0, 40) + "…" : s;
  return JSON.stringify(short);
}

/**
 * @module core/promql/promqltest/known-gaps
 * Evals that are known not to pass yet, with the reason. The runner still runs and counts them as
 * failed, but `bun run test:promql` exits non-zero only for failures outside this list and outside the
 * automatically detected native-histogram evals, so CI catches regressions. Keys: `<file>` (every eval
 * of the file) or `<file>:<line>`.
 */

/** Known gaps by file or file:line. */
export const KNOWN_GAPS: ReadonlyMap<string, string> = new Map([
  ["start_timestamps.test", "sample start timestamps (@st lines, start_timestamp()) are not kept by the storage interface"],
]);

/** The known-gap reason for an eval, or undefined. */
export function knownGap(file: string, line: number): string | undefined {
  const base = file.split(/[\\/]/).pop() ?? file;
  return KNOWN_GAPS.get(`${base}:${line}`) ?? KNOWN_GAPS.get(base);
}

/**
 * @module core/promql/promqltest/values
 * Parsing of the promqltest value notation: `1 _ 3 stale 5`, `0+10x10`, `1-2x3`, `_x4`, `vxN`, and
 * native histogram items `{{...}}` (recognised so that slots line up; their contents are kept as
 * opaque text because the engine handles float samples only). Expansion adds the increment
 * repeatedly (not multiplication), matching the upstream runner bit for bit.
 */

/** One expanded slot: a float, a stale marker (as STALE_NAN), a histogram (opaque), or nothing. */
export type SlotValue = { kind: "float"; v: number } | { kind: "stale" } | { kind: "histogram"; text: string } | { kind: "none" };

const NUM = "(?:[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[iI][nN][fF]|[nN][aA][nN]))";
const SERIES_RE = new RegExp(`^(${NUM})([+-])(${NUM})x(\\d+)$`);
const REPEAT_RE = new RegExp(`^(${NUM})x(\\d+)$`);
const SINGLE_RE = new RegExp(`^${NUM}$`);

/** Parses a number in test notation (decimal, exponent, Inf, NaN; no hex). Returns null if invalid. */
export function parseTestNumber(s: string): number | null {
  if (!SINGLE_RE.test(s)) return null;
  const l = s.toLowerCase();
  if (l.endsWith("inf")) return l.startsWith("-") ? -Infinity : Infinity;
  if (l.endsWith("nan")) return NaN;
  return Number(s);
}

/** Splits a values string into items, keeping `{{...}}` histogram items (which contain spaces) whole. */
export function splitItems(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let j = i;
    let depth = 0;
    while (j < s.length) {
      const c = s[j]!;
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (/\s/.test(c) && depth === 0) break;
      j++;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Expands a values string into slots. Throws Error on malformed items. */
export function expandValues(s: string): SlotValue[] {
  const out: SlotValue[] = [];
  for (const item of splitItems(s)) {
    if (item === "_") {
      out.push({ kind: "none" });
      continue;
    }
    let m = /^_x(\d+)$/.exec(item);
    if (m) {
      for (let k = 0; k < Number(m[1]); k++) out.push({ kind: "none" });
      continue;
    }
    if (item === "stale") {
      out.push({ kind: "stale" });
      continue;
    }
    if (item.startsWith("{{")) {
      const hm = /^(\{\{.*?\}\})(?:([+-])(\{\{.*?\}\}))?(?:x(\d+))?$/.exec(item);
      if (!hm) throw new Error(`invalid histogram value ${JSON.stringify(item)}`);
      const times = hm[4] !== undefined ? Number(hm[4]) + 1 : 1;
      for (let k = 0; k < times; k++) out.push({ kind: "histogram", text: item });
      continue;
    }
    m = SERIES_RE.exec(item);
    if (m) {
      const start = parseTestNumber(m[1]!)!, inc = parseTestNumber(m[3]!)!, n = Number(m[4]);
      let v = start;
      for (let k = 0; k <= n; k++) {
        out.push({ kind: "float", v });
        v = m[2] === "+" ? v + inc : v - inc;
      }
      continue;
    }
    m = REPEAT_RE.exec(item);
    if (m) {
      const v = parseTestNumber(m[1]!)!;
      for (let k = 0; k <= Number(m[2]); k++) out.push({ kind: "float", v });
      continue;
    }
    const v = parseTestNumber(item);
    if (v === null) throw new Error(`invalid value ${JSON.stringify(item)}`);
    out.push({ kind: "float", v });
  }
  return out;
}

/** Splits a `<series> <values>` line at the end of the series selector. */
export function splitSeriesLine(line: string): [string, string] {
  let i = 0;
  let inQuote: string | null = null;
  let depth = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (inQuote) {
      if (c === "\\") i++;
      else if (c === inQuote) inQuote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") inQuote = c;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    } else if (/\s/.test(c) && depth === 0) break;
  }
  return [line.slice(0, i).trim(), line.slice(i).trim()];
}

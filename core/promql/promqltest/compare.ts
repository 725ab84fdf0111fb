/**
 * @module core/promql/promqltest/compare
 * Result comparison for promqltest evals: float equality with the upstream tolerance (relative 1e-6,
 * NaN equals NaN except the stale marker), label-set parsing for expected lines, and annotation
 * matching (`expect warn|info` with msg/regex, two-way).
 */
import { Labels } from "../../model/labels.ts";
import { isStaleNaN } from "../../model/value.ts";
import { lex } from "../parser/lexer.ts";
import { compileUnanchored } from "../../model/regex.ts";
import type { Expectation } from "./script.ts";

const MIN_NORMAL = 2.2250738585072014e-308;

/** Float equality as the upstream test runner defines it. */
export function floatEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) {
    if (!(Number.isNaN(a) && Number.isNaN(b))) return false;
    return isStaleNaN(a) === isStaleNaN(b);
  }
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < 1e-6 * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

/** Parses a label set in series notation: `name{a="b"}`, `{}`, `name`, `{"utf8.name", a="b"}`. */
export function parseLabelSet(s: string): Labels {
  const toks = lex(s);
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const t = () => toks[i]!;
  if (t().kind === "IDENT") {
    pairs.push(["__name__", t().text]);
    i++;
  }
  if (t().kind === "{") {
    i++;
    while (t().kind !== "}") {
      const n = t();
      if (n.kind !== "IDENT" && n.kind !== "STRING") throw new Error(`invalid label set ${s}`);
      const name = n.kind === "IDENT" ? n.text : (n.value as string);
      i++;
      if (t().kind === "=") {
        i++;
        const v = t();
        if (v.kind !== "STRING") throw new Error(`invalid label set ${s}`);
        pairs.push([name, v.value as string]);
        i++;
      } else {
        pairs.push(["__name__", name]);
      }
      if (t().kind === ",") i++;
      else if (t().kind !== "}") throw new Error(`invalid label set ${s}`);
    }
    i++;
  }
  if (t().kind !== "EOF") throw new Error(`invalid label set ${s}`);
  return Labels.fromPairs(pairs);
}

/** Checks annotations of one kind against the expectations; returns an error text or null. */
export function checkAnnotations(kind: "warn" | "info", actual: string[], expects: Expectation[]): string | null {
  const mine = expects.filter((e) => e.kind === kind);
  const none = expects.some((e) => e.kind === (kind === "warn" ? "no_warn" : "no_info"));
  if (none && actual.length > 0) return `expected no ${kind} annotations, got ${JSON.stringify(actual)}`;
  if (mine.length === 0) return null;
  const matches = (e: Expectation, a: string) =>
    e.msg !== undefined ? a === e.msg : e.regex !== undefined ? compileUnanchored(e.regex).test(a) : true;
  for (const e of mine) {
    if (!actual.some((a) => matches(e, a))) {
      return `expected ${kind} annotation ${e.msg ?? e.regex ?? "(any)"} not found in ${JSON.stringify(actual)}`;
    }
  }
  for (const a of actual) {
    if (!mine.some((e) => matches(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(a)}`;
  }
  return null;
}

/**
 * @module core/api/v1/selectors
 * Prometheus's parser.ExtractSelectors: the matcher sets of every vector selector in an expression
 * (matrix selectors included through their inner selector), in tree order.
 */
import type { Matcher } from "../../model/matcher.ts";
import { walk, type Expr } from "../../promql/parser/index.ts";

/** Returns the matchers of each vector selector in `e`. */
export function extractSelectors(e: Expr): Matcher[][] {
  const out: Matcher[][] = [];
  walk(e, (n) => {
    if (n.type === "VectorSelector") out.push([...n.matchers]);
  });
  return out;
}

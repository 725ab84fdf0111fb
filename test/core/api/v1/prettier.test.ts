import { describe, expect, test } from "bun:test";
import { prettyExpr } from "../../../../core/api/v1/prettier.ts";
import { formatExpr, parseExpr } from "../../../../core/promql/parser/index.ts";
import { buildApi, call } from "./helpers.ts";

const pretty = (q: string) => prettyExpr(parseExpr(q));
const long = (name: string) => `${name}{job="${"a".repeat(40)}",instance="${"b".repeat(40)}"}`;
/** How the one-line printer writes {@link long}'s selector. */
const printed = (name: string) => formatExpr(parseExpr(long(name)));

describe("prettier (format_query)", () => {
  test("short expressions stay on one line", () => {
    expect(pretty("sum(rate(x[5m]))by(job)")).toBe("sum by (job) (rate(x[5m]))");
  });

  test("long aggregation with a call splits per level", () => {
    const sel = long("http_requests_total");
    expect(pretty(`sum by (job) (rate(${sel}[5m]))`)).toBe(
      "sum by (job) (\n" +
        "  rate(\n" +
        `    ${printed("http_requests_total")}[5m]\n` +
        "  )\n" +
        ")",
    );
  });

  test("long binary expression puts the operator on its own line", () => {
    const a = long("a_metric"), b = long("b_metric");
    const out = pretty(`${a} / ${b}`);
    const lines = out.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]!.startsWith("  a_metric{")).toBe(true);
    expect(lines[1]).toBe("/");
    expect(lines[2]!.startsWith("  b_metric{")).toBe(true);
  });

  test("parameters of topk and parenthesised bodies", () => {
    const out = pretty(`topk(5, (${long("x")}))`);
    expect(out.split("\n")).toEqual(["topk(", "  5,", "  (", `    ${printed("x")}`, "  )", ")"]);
  });

  test("the endpoint answers the prettified text", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/format_query", "query=" + encodeURIComponent(`sum(rate(${long("x")}[5m]))`));
    expect(a.body.data.split("\n")[0]).toBe("sum(");
  });
});

import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { formatExpr, parseExpr } from "../../../core/promql/parser/index.ts";
import { loadRuleFile, parseRuleFile } from "../../../core/rules/index.ts";
import { sharedPath } from "../../helpers/shared.ts";

const checkExpr = (q: string) => formatExpr(parseExpr(q));
const dir = sharedPath("conformance", "configs", "prometheus", "rules", "rulefmt");

describe.skipIf(!dir)("rulefmt conformance (promtool check rules verdicts)", () => {
  const files = dir ? readdirSync(dir).filter((f) => f.endsWith(".yaml")) : [];
  for (const f of files) {
    const legacy = f.startsWith("legacy_validation");
    const bad = f.endsWith(".bad.yaml");
    test(`${f} ${bad ? "is rejected" : "loads"}`, () => {
      const load = () => loadRuleFile(join(dir!, f), { checkExpr, nameValidation: legacy ? "legacy" : "utf8" });
      if (bad) expect(load).toThrow();
      else expect(load().length).toBeGreaterThan(0);
    });
  }
  test("node_exporter example rules load", () => {
    const p = sharedPath("conformance", "configs", "prometheus", "rules", "node_exporter-example-rules.yml")!;
    const gs = loadRuleFile(p, { checkExpr });
    expect(gs[0]!.rules.length).toBe(4);
  });
  test("aliases: every expr is the same text", () => {
    const gs = loadRuleFile(join(dir!, "test_aliases.yaml"), { checkExpr });
    const exprs = new Set(gs.flatMap((g) => g.rules.map((r) => r.expr)));
    expect(exprs.size).toBe(1);
    expect(gs[0]!.rules[3]!.alert).toBe("HighAlert2");
  });
});

describe("rulefmt errors name file, position, group, rule and reason", () => {
  test.each([
    ["groups:\n  - name: g\n    rules:\n      - record: r\n        expr: rate(x)\n", 'f.yml: 5:15: group "g", rule 1, "r": could not parse expression: '],
    ["groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          s: '{{ humanise $value }}'\n", 'group "g", rule 1, "A": annotation "s": template: __alert_A:1: function "humanise" not defined'],
    ["groups:\n  - name: g\n    rules:\n      - record: a\n        alert: b\n        expr: up\n", "only one of 'record' and 'alert' must be set"],
    ["groups:\n  - name: g\n  - name: g\n", 'groupname: "g" is repeated in the same file'],
    ["groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        for: 1m\n", "invalid field 'for' in recording rule"],
    ["groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5\n", "for: not a valid duration string"],
    ["groups:\n  - name: g\n    interval: 1x\n", 'group "g": interval: not a valid duration string: "1x"'],
    ["groups:\n  - name: g\n    bogus: 1\n", "field bogus not found in type rulefmt.RuleGroup"],
  ])("%#", (text, msg) => {
    expect(() => parseRuleFile(text, "f.yml", { checkExpr })).toThrow(msg);
  });

  test("a valid file with group options", () => {
    const [g] = parseRuleFile("groups:\n  - name: g\n    interval: 30s\n    query_offset: 1m\n    limit: 10\n    labels: {team: a}\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5m\n        keep_firing_for: 10m\n", "f.yml", { checkExpr });
    expect(g).toMatchObject({ name: "g", intervalMs: 30_000, queryOffsetMs: 60_000, limit: 10, labels: { team: "a" } });
    expect(g!.rules[0]).toMatchObject({ alert: "A", query: "up == 0", forMs: 300_000, keepFiringForMs: 600_000 });
  });
});

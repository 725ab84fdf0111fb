import { describe, expect, test } from "bun:test";
import { Labels } from "../../../core/model/labels.ts";
import {
  Executor, formatFloat, goBuiltins, humanizeFuncs, parseTemplate, RuleTemplate, sprintf, stringFuncs, TemplateParseError,
} from "../../../core/template/index.ts";

const funcs = new Map([...goBuiltins(), ...humanizeFuncs(), ...stringFuncs()]);
async function run(src: string, data: unknown = {}): Promise<string> {
  const t = parseTemplate("t", src, new Set(funcs.keys()));
  return new Executor(funcs, t.defines).execute(t, data);
}

describe("go fmt", () => {
  test.each([
    [1234567, "g", -1, "1.234567e+06"], [123456, "g", -1, "123456"], [0.5, "g", -1, "0.5"], [1e-5, "g", -1, "1e-05"],
    [1234.5, "g", 4, "1234"], [12345, "g", 4, "1.234e+04"], [1000, "g", 4, "1000"], [1.5, "g", 4, "1.5"],
    [3.14159, "f", 2, "3.14"], [2.5, "e", 3, "2.500e+00"], [NaN, "g", -1, "NaN"], [Infinity, "g", -1, "+Inf"],
  ] as const)("formatFloat(%p, %p, %p) = %p", (v, verb, prec, want) => {
    expect(formatFloat(v, verb, prec)).toBe(want);
  });
  test("sprintf verbs", () => {
    expect(sprintf("%s=%d %.2f %v %q %5s|%-4d|%05.1f %x %%", ["a", 42n, 3.14159, 1e21, "q\"", "ab", 7n, 2.25, 255n]))
      .toBe('a=42 3.14 1e+21 "q\\""    ab|7   |002.2 ff %');
    expect(sprintf("%d", [])).toBe("%!d(MISSING)");
    expect(sprintf("%d", ["x"])).toBe("%!d(string=x)");
  });
});

describe("executor", () => {
  test.each([
    ["plain {{ .a }}", { a: "x" }, "plain x"],
    ["{{ if eq .n 1 }}one{{ else if eq .n 2 }}two{{ else }}many{{ end }}", { n: 2n }, "two"],
    ["{{ range $i, $e := .xs }}{{ $i }}={{ $e }},{{ end }}", { xs: ["a", "b"] }, "0=a,1=b,"],
    ["{{ range .m }}{{ . }}{{ end }}", { m: { b: "2", a: "1" } }, "12"],
    ["{{ range .xs }}x{{ else }}empty{{ end }}", { xs: [] }, "empty"],
    ["{{ with .a }}[{{ . }}]{{ else }}none{{ end }}", { a: "" }, "none"],
    ["{{ .a | toUpper | printf \"%s!\" }}", { a: "hi" }, "HI!"],
    ["a {{- \"b\" -}} c", {}, "abc"],
    ["{{/* comment */}}x", {}, "x"],
    ["{{ define \"T\" }}<{{ . }}>{{ end }}{{ template \"T\" .a }}", { a: "z" }, "<z>"],
    ["{{ block \"B\" . }}default{{ end }}", {}, "default"],
    ["{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", {}, "2"],
    ["{{ len .xs }} {{ index .xs 1 }} {{ index .m \"k\" }}", { xs: ["a", "b"], m: { k: "v" } }, "2 b v"],
    ["{{ and 1 0 }} {{ or 0 \"\" \"x\" }} {{ not false }}", {}, "0 x true"],
    ["{{ range .xs }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", { xs: [1n, 2n, 3n] }, "1"],
    ["{{ .m.missing }}|{{ (.f) }}", { m: { a: "b" }, f: () => "called" }, "|called"],
    ["{{ .o.Join \",\" }}", { o: { parts: ["a", "b"], Join(this: { parts: string[] }, s: string) { return this.parts.join(s); } } }, "a,b"],
    ["{{ humanize 1234567 }} {{ humanize 0.001234 }} {{ humanize1024 1048576 }} {{ humanizePercentage 0.1234567 }}", {}, "1.235M 1.234m 1Mi 12.35%"],
    ["{{ humanizeDuration 899.99 }} {{ humanizeDuration 90061 }} {{ humanizeDuration 0.25 }} {{ humanizeTimestamp 1.5 }}", {}, "14m 59s 1d 1h 1m 1s 250ms 1970-01-01 00:00:01.5 +0000 UTC"],
    ["{{ reReplaceAll \"(a+)b\" \"${1}X\" \"aab ab\" }} {{ match \"^a.c$\" \"abc\" }} {{ title \"hello world\" }}", {}, "aaX aX true Hello World"],
  ] as const)("%p", async (src, data, want) => {
    expect(await run(src, data)).toBe(want);
  });

  test.each([
    ["{{ nosuchfunc }}", 'function "nosuchfunc" not defined'],
    ["{{ $nope }}", 'undefined variable "$nope"'],
    ["{{ if true }}x", "unexpected EOF"],
    ["{{ end }}", "unexpected {{end}}"],
    ["{{ .a", "unclosed action"],
    ["{{ break }}", "outside {{range}}"],
  ])("parse error %p", (src, msg) => {
    expect(() => parseTemplate("t", src, new Set(funcs.keys()))).toThrow(TemplateParseError);
    expect(() => parseTemplate("t", src, new Set(funcs.keys()))).toThrow(msg);
  });
});

describe("RuleTemplate", () => {
  const data = { labels: Labels.from({ instance: "h:9100", job: "node" }), externalLabels: { dc: "eu" }, externalURL: "http://prom:9090/p", value: 0.9 };
  test("prometheus variables and functions", async () => {
    const t = new RuleTemplate("__alert_X", "{{ $labels.instance }} of {{ $labels.job }} in {{ $externalLabels.dc }} is {{ $value | humanizePercentage }} ({{ $value }}) {{ $externalURL }} {{ pathPrefix }} [{{ $labels.nope }}]");
    expect(await t.expand(data)).toBe("h:9100 of node in eu is 90% (0.9) http://prom:9090/p /p []");
  });
  test("query, first, value, label, sortByLabel", async () => {
    const query = async (q: string) => {
      expect(q).toBe("up");
      return [{ labels: Labels.from({ i: "b" }), value: 2 }, { labels: Labels.from({ i: "a" }), value: 1 }];
    };
    const t = new RuleTemplate("x", '{{ query "up" | first | value }} {{ range query "up" | sortByLabel "i" }}{{ label "i" . }}{{ end }} {{ with query "up" }}{{ . | first | label "i" }}{{ end }}');
    expect(await t.expand(data, query)).toBe("2 ab b");
  });
  test("errors at load and at expansion", async () => {
    expect(() => new RuleTemplate("x", "{{ humanise $value }}")).toThrow('function "humanise" not defined');
    expect(() => new RuleTemplate("x", '{{ template "nope" . }}')).toThrow('no such template "nope"');
    expect(await new RuleTemplate("x", '{{ define "a" }}[{{ . }}]{{ end }}{{ template "a" $value }}').expand(data)).toBe("[0.9]");
    const t = new RuleTemplate("x", "{{ query \"up\" | first }}");
    expect(await t.expand(data, async () => [])).toMatch(/^<error expanding template: .*first\(\) called on vector with no elements>$/);
  });
  test("text without actions is returned verbatim", async () => {
    expect(await new RuleTemplate("x", "no {braces}").expand(data)).toBe("no {braces}");
  });
});

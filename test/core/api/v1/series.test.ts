import { describe, expect, test } from "bun:test";
import { unescapeName } from "../../../../core/api/v1/series.ts";
import { buildApi, call, NOW } from "./helpers.ts";

describe("/api/v1/labels", () => {
  test("all label names, sorted", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/labels")).body).toEqual({ status: "success", data: ["__name__", "code", "instance", "job", "kind"] });
  });

  test("union over several match[] (GET and POST), limit with warning", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/labels?match[]=up&match[]=weird")).body.data).toEqual(["__name__", "instance", "job", "kind"]);
    expect((await call(app, "/api/v1/labels", "match[]=http_requests_total")).body.data).toEqual(["__name__", "code", "job"]);
    const lim = await call(app, "/api/v1/labels?limit=2");
    expect(lim.body).toEqual({ status: "success", data: ["__name__", "code"], warnings: ["results truncated due to limit"] });
  });

  test("time range excludes series without samples in it", async () => {
    const app = await buildApi();
    const a = await call(app, `/api/v1/labels?start=${NOW / 1000 + 3600}&end=${NOW / 1000 + 7200}`);
    expect(a.body.data).toEqual([]);
  });

  const errors: Array<[string, string]> = [
    ["/api/v1/labels?match[]=%7Bjob%3D~%22.*%22%7D", "1:1: parse error: vector selector must contain at least one non-empty matcher"],
    ["/api/v1/labels?start=abc", `invalid parameter "start": Invalid time value for 'start': cannot parse "abc" to a valid timestamp`],
    ["/api/v1/labels?limit=x", 'invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [path, msg] of errors) {
    test(`bad_data: ${path}`, async () => {
      const a = await call(await buildApi(), path);
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ status: "error", errorType: "bad_data", error: msg });
    });
  }
});

describe("/api/v1/label/<name>/values", () => {
  test("values of __name__ (Grafana's metric list) and of a label with match[]", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/label/__name__/values")).body.data).toEqual(["http_requests_total", "up", "weird"]);
    expect((await call(app, "/api/v1/label/job/values?match[]=up")).body.data).toEqual(["node", "prometheus"]);
    expect((await call(app, "/api/v1/label/nope/values")).body).toEqual({ status: "success", data: [] });
  });

  test("U__ escaped names are unescaped", async () => {
    expect(unescapeName("U__job")).toBe("job");
    expect(unescapeName("U__my_2e_label")).toBe("my.label");
    expect(unescapeName("U__a__b")).toBe("a_b");
    expect(unescapeName("U__bad_zz_")).toBe("U__bad_zz_");
    const app = await buildApi();
    expect((await call(app, "/api/v1/label/U__job/values")).body.data).toEqual(["api", "node", "prometheus"]);
  });
});

describe("/api/v1/series", () => {
  test("label sets of matching series, deduplicated across match[] and sorted", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/series?match[]=up&match[]=up%7Bjob%3D%22node%22%7D");
    expect(a.body).toEqual({
      status: "success",
      data: [
        { __name__: "up", instance: "localhost:9090", job: "prometheus" },
        { __name__: "up", instance: "localhost:9100", job: "node" },
      ],
    });
  });

  test("form POST with repeated match[]", async () => {
    const app = await buildApi();
    const a = await call(app, "/api/v1/series", "match[]=weird%7Bkind%3D%22nan%22%7D&match[]=weird%7Bkind%3D%22inf%22%7D");
    expect(a.body.data).toEqual([{ __name__: "weird", kind: "inf" }, { __name__: "weird", kind: "nan" }]);
  });

  test("errors", async () => {
    const app = await buildApi();
    expect((await call(app, "/api/v1/series")).body).toEqual({ status: "error", errorType: "bad_data", error: "no match[] parameter provided" });
    const bad = await call(app, "/api/v1/series?match[]=up%7B");
    expect(bad.status).toBe(400);
    expect(bad.body.error.startsWith('invalid parameter "match[]": ')).toBe(true);
    const empty = await call(app, "/api/v1/series?match[]=%7Bjob%3D%22%22%7D");
    expect(empty.body.error).toBe('invalid parameter "match[]": 1:1: parse error: vector selector must contain at least one non-empty matcher');
  });
});

describe("envelope details", () => {
  test("DELETE /api/v1/series is not implemented, as in Prometheus", async () => {
    const a = await call(await buildApi(), "/api/v1/series?match[]=up", "", "DELETE");
    expect(a.status).toBe(500);
    expect(a.body).toEqual({ status: "error", errorType: "internal", error: "not implemented" });
  });

  test("at most 10 warnings, then a count of the omitted ones", async () => {
    const { render } = await import("../../../../core/api/v1/envelope.ts");
    const res = render({ data: 1, warnings: Array.from({ length: 13 }, (_, i) => `w${i}`), infos: ["i"] });
    const body = await res.json() as { warnings: string[]; infos: string[] };
    expect(body.warnings).toHaveLength(11);
    expect(body.warnings[10]).toBe("3 more warning annotations omitted");
    expect(body.infos).toEqual(["i"]);
  });
});

import { describe, expect, test } from "bun:test";
import { formatApiFloat, formatApiTime, formatGoExp, formatRfc3339, toJson } from "../../../../core/api/v1/json.ts";
import { MAX_TIME_FORMATTED, MAX_TIME_MS, MIN_TIME_FORMATTED, MIN_TIME_MS, parseDurationParam, parseTime, readParams } from "../../../../core/api/v1/params.ts";
import { Labels } from "../../../../core/model/labels.ts";

describe("parseTime (Prometheus's parseTime)", () => {
  const good: Array<[string, number]> = [
    ["0", 0],
    ["1767361020", 1767361020000],
    ["1767361020.5", 1767361020500],
    ["1767361020.1234", 1767361020123],
    ["1767361020.9996", 1767361021000],
    ["-1.5", -1500],
    ["1e3", 1_000_000],
    ["2026-01-02T13:37:00Z", Date.UTC(2026, 0, 2, 13, 37)],
    ["2026-01-02T13:37:00.123456789Z", Date.UTC(2026, 0, 2, 13, 37) + 123],
    ["2026-01-02T15:37:00+02:00", Date.UTC(2026, 0, 2, 13, 37)],
    [MIN_TIME_FORMATTED, MIN_TIME_MS],
    [MAX_TIME_FORMATTED, MAX_TIME_MS],
  ];
  for (const [s, ms] of good) test(`${s} → ${ms}`, () => expect(parseTime(s)).toBe(ms));
  for (const s of ["", "abc", "2026-13-02T00:00:00Z", "2026-01-02 13:37:00Z", "2026-02-30T00:00:00Z", "NaN", "Inf", "0x10", " 1"]) {
    test(`rejects ${JSON.stringify(s)}`, () => expect(() => parseTime(s)).toThrow(`cannot parse ${JSON.stringify(s)} to a valid timestamp`));
  }
});

describe("parseDurationParam", () => {
  test("float seconds and Prometheus durations", () => {
    expect(parseDurationParam("15")).toBe(15_000);
    expect(parseDurationParam("0.5")).toBe(500);
    expect(parseDurationParam("1m30s")).toBe(90_000);
    expect(parseDurationParam("1d")).toBe(86_400_000);
  });
  test("errors", () => {
    expect(() => parseDurationParam("x")).toThrow('cannot parse "x" to a valid duration');
    expect(() => parseDurationParam("1e10")).toThrow('cannot parse "1e10" to a valid duration. It overflows int64');
  });
});

describe("value and time rendering", () => {
  test("floats as Go's API codec writes them", () => {
    const cases: Array<[number, string]> = [
      [1, "1"], [0.1, "0.1"], [-2.5, "-2.5"], [1e-7, "1e-07"], [1.5e-7, "1.5e-07"], [0.000001, "0.000001"],
      [1e20, "100000000000000000000"], [1e21, "1e+21"], [123456789012, "123456789012"], [NaN, "NaN"],
      [Infinity, "+Inf"], [-Infinity, "-Inf"], [0, "0"],
    ];
    for (const [v, s] of cases) expect(formatApiFloat(v)).toBe(s);
  });
  test("Go %e for alert values", () => {
    expect(formatGoExp(1)).toBe("1e+00");
    expect(formatGoExp(0.5)).toBe("5e-01");
    expect(formatGoExp(12345)).toBe("1.2345e+04");
  });
  test("timestamps", () => {
    expect(formatApiTime(1795539223507)).toBe("1795539223.507");
    expect(formatApiTime(1000)).toBe("1");
    expect(formatApiTime(1050)).toBe("1.05");
    expect(formatApiTime(5)).toBe("0.005");
    expect(formatApiTime(-1500)).toBe("-1.5");
    expect(formatRfc3339(Date.UTC(2026, 10, 24, 16, 53, 41, 700))).toBe("2026-11-24T16:53:41.7Z");
    expect(formatRfc3339(0)).toBe("0001-01-01T00:00:00Z");
  });
  test("labels keep label order even for integer-like names; maps are key-sorted", () => {
    expect(toJson(Labels.from({ b: "1", "10": "x", a: "2" }))).toBe('{"10":"x","a":"2","b":"1"}');
    expect(toJson(new Map([["z", 1], ["a", 2]]))).toBe('{"a":2,"z":1}');
    expect(toJson({ x: undefined, y: [1, "s", null] })).toBe('{"y":[1,"s",null]}');
  });
});

describe("readParams", () => {
  test("body values come before URL values; match[] repeats", async () => {
    const req = new Request("http://x/api?match[]=a&query=url", { method: "POST", body: "match[]=b&match[]=c&query=body", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });
    const p = await readParams(req);
    expect(p.get("query")).toBe("body");
    expect(p.getAll("match[]")).toEqual(["b", "c", "a"]);
  });
  test("other content types are not parsed; bad escapes are bad_data", async () => {
    const p = await readParams(new Request("http://x/?q=1", { method: "POST", body: "q=2", headers: { "content-type": "text/plain" } }));
    expect(p.get("q")).toBe("1");
    const bad = readParams(new Request("http://x/", { method: "POST", body: "q=%zz", headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(bad).rejects.toThrow("error parsing form values");
  });
});

describe("compression", () => {
  test("gzip when accepted, identity otherwise", async () => {
    const { gunzipSync } = await import("node:zlib");
    const { buildApi } = await import("./helpers.ts");
    const app = await buildApi();
    const res = await app.handle(new Request("http://localhost/api/v1/labels", { headers: { "accept-encoding": "br, gzip" } }));
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const raw = new Uint8Array(await res.arrayBuffer());
    expect(JSON.parse(gunzipSync(raw).toString()).data).toContain("__name__");
    const plain = await app.handle(new Request("http://localhost/api/v1/labels", { headers: { "accept-encoding": "br" } }));
    expect(plain.headers.get("content-encoding")).toBeNull();
  });
});

describe("parseTime follows Go's float arithmetic", () => {
  test("sub-millisecond fractions round half away from zero, negatives normalise", () => {
    expect(parseTime("0.0005")).toBe(1);
    expect(parseTime("-0.0005")).toBe(-1);
    expect(parseTime("1.0005")).toBe(1000); // 1.0005 - 1 is 0.00049999… in binary, as in Go
    expect(parseTime("-0.5")).toBe(-500);
    expect(parseTime("1969-12-31T23:59:59.5Z")).toBe(-500);
    expect(parseTime("2026-01-02T13:37:00.9999Z")).toBe(Date.UTC(2026, 0, 2, 13, 37) + 999);
  });
});

import { describe, expect, test } from "bun:test";
import { decodeBase64Url, encodeBase64Url, parseGroupingPath } from "../../../core/push/grouping.ts";

describe("grouping key paths", () => {
  test.each([
    ["job/backup", { job: "backup" }],
    ["job/backup/", { job: "backup" }],
    ["job/directory_cleaner/path@base64/L3Zhci90bXA", { job: "directory_cleaner", path: "/var/tmp" }],
    ["job/example/first_label@base64/=/second_label/foobar", { job: "example", first_label: "", second_label: "foobar" }],
    ["job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82", { job: "titan", name: "Προμηθεύς" }],
    ["job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C", { job: "titan", name: "Προμηθεύς" }],
    ["job@base64/YS9i/instance/x", { job: "a/b", instance: "x" }],
  ])("%s", (path, want) => {
    expect(parseGroupingPath(path)).toEqual(want);
  });

  test.each([
    ["job", "must start with /metrics/job/<JOB>"],
    ["instance/x", "must start with /metrics/job/<JOB>"],
    ["job/a/instance", "odd number of components"],
    ["job/a/1bad/x", "improper label name"],
    ["job/a/__x/y", "reserved"],
    ["job/a/x/1/x/2", "duplicate label name"],
    ["job@base64/=", "job name is required"],
    ["job/a/x@base64/!!", "invalid base64"],
  ])("rejects %s", (path, msg) => {
    expect(() => parseGroupingPath(path)).toThrow(msg);
  });

  test("base64url round trip (padding optional)", () => {
    for (const s of ["", "/var/tmp", "a", "ab", "abc", "Προμηθεύς"]) expect(decodeBase64Url(encodeBase64Url(s))).toBe(s);
    expect(decodeBase64Url("L3Zhci90bXA=")).toBe("/var/tmp");
  });
});

import { describe, expect, test } from "bun:test";
import { ApiError, classifyError, errorResponse, STATUS_BY_ERROR_TYPE } from "../../../core/api/errors.ts";
import { ExecutionError, QueryCanceledError, QueryTimeoutError, StorageError, TooManySamplesError } from "../../../core/promql/index.ts";
import { ParseError } from "../../../core/promql/parser/index.ts";
import { StorageError as StoreError } from "../../../core/storage/errors.ts";
import { BadDataError, BugError, ConfigError, NotFoundError, UnavailableError } from "../../../core/util/errors.ts";

describe("error mapping (one place)", () => {
  const cases: Array<[unknown, string, number]> = [
    [new BadDataError("x"), "bad_data", 400],
    [new ParseError("up{", { start: 3, end: 3 }, "unexpected end of input"), "bad_data", 400],
    [new ExecutionError("many-to-many matching not allowed"), "execution", 422],
    [new TooManySamplesError(), "execution", 422],
    [new QueryCanceledError(), "canceled", 499],
    [new QueryTimeoutError(), "timeout", 503],
    [new StorageError("disk"), "internal", 500],
    [new StoreError("disk"), "internal", 500],
    [new BugError("oops"), "internal", 500],
    [new ConfigError("bad"), "internal", 500],
    [new NotFoundError("nope"), "not_found", 404],
    [new UnavailableError("TSDB not ready"), "unavailable", 503],
    [new ApiError("not_acceptable", "cannot encode"), "not_acceptable", 406],
    [new DOMException("aborted", "AbortError"), "canceled", 499],
    [new DOMException("t", "TimeoutError"), "timeout", 503],
    [new Error("plain"), "internal", 500],
  ];
  for (const [e, type, status] of cases) {
    test(`${(e as Error).constructor.name} → ${type} ${status}`, () => {
      const c = classifyError(e);
      expect(c.errorType).toBe(type as never);
      expect(c.status).toBe(status);
      expect(STATUS_BY_ERROR_TYPE[c.errorType]).toBe(status);
    });
  }

  test("untyped query errors fall back to execution", () => {
    expect(classifyError(new Error("x"), "execution")).toEqual({ errorType: "execution", message: "x", status: 422 });
  });

  test("the error envelope", async () => {
    const r = errorResponse(new BadDataError('invalid parameter "query": x'));
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(await r.text()).toBe('{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": x"}');
  });
});

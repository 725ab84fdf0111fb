/**
 * @module core/api/v1/admin
 * The TSDB admin endpoints (POST or PUT): /api/v1/admin/tsdb/delete_series, clean_tombstones and
 * snapshot. They answer `unavailable` "admin APIs disabled" unless --web.enable-admin-api is set, as
 * Prometheus does; success without data is 204 No Content. Snapshots are written to
 * <dataDir>/snapshots/<UTC time>-<16 hex digits> and the name is returned.
 */
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Elysia } from "elysia";
import { BadDataError, UnavailableError } from "../../util/errors.ts";
import { ApiError } from "../errors.ts";
import { parseSeriesSelector } from "../../promql/parser/index.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { invalidParam, MAX_TIME_MS, MIN_TIME_MS, timeParam, type Params } from "./params.ts";
import type { ApiV1Deps, TSDBAdmin } from "./types.ts";

/** Builds the admin area (`api-v1-admin`). */
export function adminApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1/admin/tsdb`;
  const now = deps.now ?? Date.now;
  let app = new Elysia({ name: "api-v1-admin", prefix });
  const guard = (fn: (db: TSDBAdmin, p: Params) => Promise<ApiOutcome>) => async (p: Params): Promise<ApiOutcome> => {
    if (!deps.enableAdminApi) return { error: new UnavailableError("admin APIs disabled") };
    if (!deps.tsdb) return { error: new UnavailableError("TSDB not ready") };
    return fn(deps.tsdb, p);
  };
  app = mount(app, ["POST", "PUT"], "/delete_series", guard(deleteSeries), o);
  app = mount(app, ["POST", "PUT"], "/clean_tombstones", guard(async (db) => {
    try {
      await db.cleanTombstones();
    } catch (e) {
      return { error: e, fallback: "internal" };
    }
    return { noContent: true };
  }), o);
  app = mount(app, ["POST", "PUT"], "/snapshot", guard((db, p) => snapshot(db, p, deps.dataDir, now)), o);
  return app;
}

async function deleteSeries(db: TSDBAdmin, p: Params): Promise<ApiOutcome> {
  const selectors = p.getAll("match[]");
  if (selectors.length === 0) throw new BadDataError("no match[] parameter provided");
  const start = timeParam(p, "start", MIN_TIME_MS);
  const end = timeParam(p, "end", MAX_TIME_MS);
  const sets = selectors.map((s) => {
    try {
      return parseSeriesSelector(s).matchers;
    } catch (e) {
      throw invalidParam("match[]", e);
    }
  });
  for (const ms of sets) {
    try {
      await db.delete(start, end, ms);
    } catch (e) {
      return { error: e, fallback: "internal" };
    }
  }
  return { noContent: true };
}

/** Go's time format 20060102T150405Z0700 in UTC. */
function snapshotTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 19).replace(/[-:]/g, "") + "Z";
}

async function snapshot(db: TSDBAdmin, p: Params, dataDir: string | undefined, now: () => number): Promise<ApiOutcome> {
  let skipHead = false;
  const v = p.get("skip_head");
  if (v !== "") {
    const t = ["1", "t", "T", "TRUE", "true", "True"], f = ["0", "f", "F", "FALSE", "false", "False"];
    if (t.includes(v)) skipHead = true;
    else if (!f.includes(v)) throw invalidParam("skip_head", `unable to parse boolean: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  if (!dataDir) return { error: new ApiError("internal", "create snapshot directory: no data directory configured") };
  const name = `${snapshotTime(now())}-${randomBytes(8).toString("hex")}`;
  const dir = join(dataDir, "snapshots", name);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    return { error: new ApiError("internal", `create snapshot directory: ${(e as Error).message}`) };
  }
  try {
    await db.snapshot(dir, !skipHead);
  } catch (e) {
    return { error: new ApiError("internal", `create snapshot: ${(e as Error).message}`) };
  }
  return { data: { name } };
}

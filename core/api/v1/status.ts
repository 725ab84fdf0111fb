/**
 * @module core/api/v1/status
 * The status area: /api/v1/status/config, flags, runtimeinfo, buildinfo, tsdb (head statistics and
 * cardinality: top metric names, label names and label pairs by series count; `limit`, default 10) and
 * walreplay, in Prometheus's shapes. tsdb and walreplay need the TSDB; without one they answer
 * `unavailable` ("TSDB not ready"), as Prometheus does before its storage opens.
 */
import { Elysia } from "elysia";
import { BadDataError, UnavailableError } from "../../util/errors.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { Rfc3339 } from "./json.ts";
import type { Params } from "./params.ts";
import type { ApiV1Deps } from "./types.ts";

/** Builds the status area (`api-v1-status`). */
export function statusApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  const s = deps.status;
  let app = new Elysia({ name: "api-v1-status", prefix });
  app = mount(app, ["GET"], "/status/config", async () => ({ data: { yaml: s.configYaml() } }), o);
  app = mount(app, ["GET"], "/status/flags", async () => ({ data: new Map(Object.entries(s.flags())) }), o);
  app = mount(app, ["GET"], "/status/buildinfo", async () => ({ data: { ...s.buildInfo() } }), o);
  app = mount(app, ["GET"], "/status/runtimeinfo", async () => runtimeInfo(deps), o);
  app = mount(app, ["GET"], "/status/tsdb", async (p) => tsdbStatus(deps, p), o);
  app = mount(app, ["GET"], "/status/walreplay", async () => walReplay(deps), o);
  return app;
}

async function runtimeInfo(deps: ApiV1Deps): Promise<ApiOutcome> {
  const r = await deps.status.runtimeInfo();
  return {
    data: {
      startTime: new Rfc3339(r.startTime),
      CWD: r.CWD,
      hostname: r.hostname,
      serverTime: new Rfc3339(r.serverTime),
      reloadConfigSuccess: r.reloadConfigSuccess,
      lastConfigTime: new Rfc3339(r.lastConfigTime),
      corruptionCount: r.corruptionCount,
      goroutineCount: r.goroutineCount,
      GOMAXPROCS: r.GOMAXPROCS,
      GOMEMLIMIT: r.GOMEMLIMIT,
      GOGC: r.GOGC,
      GODEBUG: r.GODEBUG,
      storageRetention: r.storageRetention,
    },
  };
}

async function tsdbStatus(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  let limit = 10;
  const ls = p.get("limit");
  if (ls !== "") {
    limit = /^[+-]?\d+$/.test(ls) ? Number(ls) : NaN;
    if (!(limit >= 1)) throw new BadDataError("limit must be a positive number");
  }
  if (!deps.tsdb) return { error: new UnavailableError("TSDB not ready") };
  let st;
  try {
    st = await deps.tsdb.stats(limit);
  } catch (e) {
    return { error: e, fallback: "internal" };
  }
  const top = (l: Array<{ name: string; value: number }>) => l.slice(0, limit).map((x) => ({ name: x.name, value: x.value }));
  return {
    data: {
      headStats: { numSeries: st.numSeries, numLabelPairs: st.numLabelPairs, chunkCount: st.chunkCount, minTime: st.minTime, maxTime: st.maxTime },
      seriesCountByMetricName: top(st.seriesCountByMetricName),
      labelValueCountByLabelName: top(st.labelValueCountByLabelName),
      memoryInBytesByLabelName: top(st.memoryInBytesByLabelName),
      seriesCountByLabelValuePair: top(st.seriesCountByLabelValuePair),
    },
  };
}

function walReplay(deps: ApiV1Deps): ApiOutcome {
  if (!deps.tsdb) return { error: new UnavailableError("TSDB not ready") };
  const w = deps.tsdb.walReplayStatus();
  return { data: { min: w.min, max: w.max, current: w.current } };
}

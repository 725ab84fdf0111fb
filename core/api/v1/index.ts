/**
 * @module core/api/v1
 * The Prometheus HTTP API (/api/v1): composes one named Elysia area per concern (query, series,
 * targets, rules, status, admin) built from the narrow dependencies in {@link ApiV1Deps}, plus the
 * `OPTIONS /api/v1/*` answer Prometheus gives CORS preflights (204), with Prometheus's CORS headers when
 * `corsOrigin` is given. The lead mounts the result with
 * `buildApp({ areas: [apiV1(deps), …] })`.
 */
import { Elysia } from "elysia";
import { adminApi } from "./admin.ts";
import { queryApi } from "./query.ts";
import { rulesApi } from "./rules.ts";
import { seriesApi } from "./series.ts";
import { statusApi } from "./status.ts";
import { targetsApi } from "./targets.ts";
import { setCors } from "./envelope.ts";
import type { ApiV1Deps } from "./types.ts";

export type * from "./types.ts";
export { MAX_POINTS_PER_SERIES } from "./query.ts";
export { parseTime, parseDurationParam, MIN_TIME_MS, MAX_TIME_MS } from "./params.ts";
export { formatApiFloat, formatApiTime, formatRfc3339 } from "./json.ts";

/** Builds the whole /api/v1 (`api-v1`), prefixed by `deps.routePrefix`. */
export function apiV1(deps: ApiV1Deps) {
  const o = { isReady: deps.isReady, corsOrigin: deps.corsOrigin };
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  return new Elysia({ name: "api-v1" })
    .use(queryApi(deps, o))
    .use(seriesApi(deps, o))
    .use(targetsApi(deps, o))
    .use(rulesApi(deps, o))
    .use(statusApi(deps, o))
    .use(adminApi(deps, o))
    .options(`${prefix}/*`, ({ request }) => setCors(request, new Response(null, { status: 204 }), deps.corsOrigin));
}

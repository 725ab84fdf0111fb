/**
 * @module core/alerting/api
 * Alertmanager's HTTP API v2 (the shapes of api/v2/openapi.yaml) as one Elysia instance with prefix
 * /api/v2: POST/GET /alerts, GET /alerts/groups, GET/POST /silences, GET/DELETE /silence/{id},
 * GET /status, GET /receivers, and Quiver's GET /quiver/cluster/state?since=<ms> (nflog and silences for HA
 * peers, cluster.ts). Real Prometheus servers send alerts here, amtool-style clients manage
 * silences. Times are printed as strfmt.DateTime (`2006-01-02T15:04:05.000Z`); errors are a JSON string
 * body with status 400 (bad input), 404 (unknown silence) or 500.
 */
import { Elysia } from "elysia";
import type { Matcher } from "../model/matcher.ts";
import { Labels } from "../model/labels.ts";
import { matchAll } from "../model/matcher.ts";
import { errorMessage, QuiverError } from "../util/errors.ts";
import { isResolved, type StoredAlert } from "./alerts.ts";
import type { AlertingManager } from "./manager.ts";
import { parseMatchers } from "./matchers.ts";
import { silenceMatchers, type Silence } from "./silences.ts";
import { sortedRecord } from "./http.ts";

/** Options of {@link alertmanagerApi}. */
export interface AlertmanagerApiOptions {
  /** versionInfo of /api/v2/status. */
  version?: { version: string; revision: string; branch: string; buildUser: string; buildDate: string; goVersion: string };
}

const DATE = (ms: number) => new Date(ms).toISOString();

function parseTime(v: unknown, field: string): number {
  if (v === undefined || v === null || v === "") return 0;
  if (typeof v !== "string") throw new ApiError(400, `${field} in body must be of type date-time`);
  if (v.startsWith("0001-01-01")) return 0;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ApiError(400, `${field} in body must be of type date-time: ${JSON.stringify(v)}`);
  return t;
}

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? "" : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function fail(e: unknown): Response {
  if (e instanceof ApiError) return json(e.status, e.message);
  if (e instanceof QuiverError) return json(e.code === "not_found" ? 404 : e.code === "bad_data" ? 400 : 500, e.message);
  return json(500, errorMessage(e));
}

async function readJSON(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `parsing body: ${errorMessage(e)}`);
  }
}

function filterOf(url: URL): Matcher[] {
  const out: Matcher[] = [];
  for (const f of url.searchParams.getAll("filter")) {
    try {
      out.push(...parseMatchers(f));
    } catch (e) {
      throw new ApiError(400, errorMessage(e));
    }
  }
  return out;
}

function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  if (v === null || v === "") return true;
  if (v !== "true" && v !== "false") throw new ApiError(400, `${name} in query must be of type boolean: ${JSON.stringify(v)}`);
  return v === "true";
}

function silenceJSON(am: AlertingManager, s: Silence) {
  return {
    id: s.id,
    status: { state: am.silences.state(s) },
    updatedAt: DATE(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: DATE(s.endsAt),
    matchers: s.matchers.map((m) => ({ isEqual: m.isEqual, isRegex: m.isRegex, name: m.name, value: m.value })),
    startsAt: DATE(s.startsAt),
  };
}

function alertJSON(am: AlertingManager, a: StoredAlert) {
  const silencedBy = am.silences.mutes(a.labels);
  const inhibitedBy = am.inhibitedBy(a);
  return {
    annotations: sortedRecord(a.annotations),
    endsAt: DATE(a.endsAt),
    fingerprint: a.fingerprint,
    receivers: am.receiversFor(a.labels).map((name) => ({ name })),
    startsAt: DATE(a.startsAt),
    status: { inhibitedBy, silencedBy, state: silencedBy.length || inhibitedBy.length ? "suppressed" : "active" },
    updatedAt: DATE(a.updatedAt),
    generatorURL: a.generatorURL,
    labels: sortedRecord(a.labels),
  };
}

type AlertOut = ReturnType<typeof alertJSON>;

function selectAlerts(am: AlertingManager, url: URL, alerts: StoredAlert[]): AlertOut[] {
  const ms = filterOf(url);
  const active = flag(url, "active"), silenced = flag(url, "silenced"), inhibited = flag(url, "inhibited");
  flag(url, "unprocessed");
  let receiverRe: RegExp | null = null;
  const rp = url.searchParams.get("receiver");
  if (rp) {
    try {
      receiverRe = new RegExp(`^(?:${rp})$`);
    } catch (e) {
      throw new ApiError(400, `failed to parse receiver param: ${errorMessage(e)}`);
    }
  }
  const now = am.clock.now();
  const out: AlertOut[] = [];
  for (const a of alerts) {
    if (isResolved(a, now)) continue;
    if (ms.length && !matchAll(ms, Labels.from(a.labels))) continue;
    const j = alertJSON(am, a);
    if (receiverRe && !j.receivers.some((r) => receiverRe!.test(r.name))) continue;
    if (!silenced && j.status.silencedBy.length) continue;
    if (!inhibited && j.status.inhibitedBy.length) continue;
    if (!active && j.status.state === "active") continue;
    out.push(j);
  }
  return out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
}

/** The `cluster` object of /api/v2/status (clusterStatus in the OpenAPI spec). */
function clusterStatus(am: AlertingManager): { name?: string; status: string; peers: Array<{ name: string; address: string }> } {
  const c = am.cluster;
  if (!c || !c.enabled) return { peers: [], status: "disabled" };
  const peers = c.peerStatus();
  return {
    name: c.name,
    status: peers.some((p) => p.ok === false) ? "settling" : "ready",
    peers: [{ name: c.name, address: c.name }, ...peers.filter((p) => p.ok !== false).map((p) => ({ name: p.name, address: p.name }))],
  };
}

/** Builds the API v2 Elysia instance for `am`; the lead mounts it. */
export function alertmanagerApi(am: AlertingManager, opts: AlertmanagerApiOptions = {}) {
  const version = opts.version ?? { version: "0.27.0", revision: "quiver", branch: "main", buildUser: "quiver", buildDate: "", goVersion: "n/a" };
  return new Elysia({ name: "alertmanager-api-v2", prefix: "/api/v2" })
    .get("/status", () => json(200, {
      cluster: clusterStatus(am),
      config: { original: am.currentConfig?.original ?? "" },
      uptime: DATE(am.startedAt),
      versionInfo: version,
    }))
    .get("/quiver/cluster/state", ({ request }) => {
      const since = new URL(request.url).searchParams.get("since") ?? "0";
      if (!/^\d+$/.test(since)) return json(400, `since in query must be a non-negative integer (ms): ${JSON.stringify(since)}`);
      if (!am.cluster) return json(404, "clustering is disabled: no --cluster.peer given");
      return json(200, am.cluster.state(Number(since)));
    })
    .get("/receivers", () => json(200, (am.currentConfig?.receivers ?? []).map((r) => ({ name: r.name }))))
    .get("/alerts", ({ request }) => {
      try {
        return json(200, selectAlerts(am, new URL(request.url), am.store.list()));
      } catch (e) {
        return fail(e);
      }
    })
    .post("/alerts", async ({ request }) => {
      try {
        const body = await readJSON(request);
        if (!Array.isArray(body)) throw new ApiError(400, "body must be a list of alerts");
        const alerts = body.map((x, i) => {
          if (!x || typeof x !== "object") throw new ApiError(400, `${i}: alert must be an object`);
          const o = x as Record<string, unknown>;
          const labels = o.labels;
          if (!labels || typeof labels !== "object" || Array.isArray(labels)) throw new ApiError(400, `${i}.labels in body is required`);
          for (const v of Object.values(labels)) if (typeof v !== "string") throw new ApiError(400, `${i}.labels in body must be a map of strings`);
          return {
            labels: labels as Record<string, string>,
            annotations: (o.annotations ?? {}) as Record<string, string>,
            startsAt: parseTime(o.startsAt, `${i}.startsAt`),
            endsAt: parseTime(o.endsAt, `${i}.endsAt`),
            generatorURL: typeof o.generatorURL === "string" ? o.generatorURL : "",
          };
        });
        am.receive(alerts);
        return json(200, undefined);
      } catch (e) {
        return fail(e);
      }
    }, { parse: "none" })
    .get("/alerts/groups", ({ request }) => {
      try {
        const url = new URL(request.url);
        const out = [];
        for (const g of am.aggrGroups()) {
          const alerts = selectAlerts(am, url, [...g.alerts.values()]);
          if (alerts.length === 0) continue;
          out.push({ alerts, labels: sortedRecord(g.labels), receiver: { name: g.route.cfg.receiver }, ...(g.routeLabels && Object.keys(g.routeLabels).length ? { routeLabels: g.routeLabels } : {}) });
        }
        return json(200, out);
      } catch (e) {
        return fail(e);
      }
    })
    .get("/silences", ({ request }) => {
      try {
        const ms = filterOf(new URL(request.url));
        const list = am.silences.list().filter((s) => ms.every((m) => s.matchers.some((x) => x.name === m.name && m.matches(x.value))));
        const rank = { active: 0, pending: 1, expired: 2 } as const;
        list.sort((a, b) => {
          const sa = am.silences.state(a), sb = am.silences.state(b);
          if (sa !== sb) return rank[sa] - rank[sb];
          if (sa === "active") return a.endsAt - b.endsAt;
          if (sa === "pending") return a.startsAt - b.startsAt;
          return b.endsAt - a.endsAt;
        });
        return json(200, list.map((s) => silenceJSON(am, s)));
      } catch (e) {
        return fail(e);
      }
    })
    .post("/silences", async ({ request }) => {
      try {
        const o = (await readJSON(request)) as Record<string, unknown>;
        if (!o || typeof o !== "object") throw new ApiError(400, "body must be a silence object");
        const matchers = Array.isArray(o.matchers) ? o.matchers.map((m: Record<string, unknown>) => ({
          name: String(m.name ?? ""), value: String(m.value ?? ""), isRegex: m.isRegex === true, isEqual: m.isEqual === undefined ? true : m.isEqual === true,
        })) : [];
        const input = {
          id: typeof o.id === "string" && o.id ? o.id : undefined,
          matchers,
          startsAt: parseTime(o.startsAt, "startsAt"),
          endsAt: parseTime(o.endsAt, "endsAt"),
          createdBy: String(o.createdBy ?? ""),
          comment: String(o.comment ?? ""),
        };
        try {
          silenceMatchers({ ...input, id: "", updatedAt: 0 });
        } catch (e) {
          throw new ApiError(400, `invalid silence: ${errorMessage(e)}`);
        }
        return json(200, { silenceID: am.silences.set(input) });
      } catch (e) {
        return fail(e);
      }
    }, { parse: "none" })
    .get("/silence/:id", ({ params }) => {
      const s = am.silences.get(params.id);
      return s ? json(200, silenceJSON(am, s)) : json(404, `silence ${params.id} not found`);
    })
    .delete("/silence/:id", ({ params }) => {
      try {
        am.silences.expire(params.id);
        return json(200, undefined);
      } catch (e) {
        return fail(e);
      }
    });
}

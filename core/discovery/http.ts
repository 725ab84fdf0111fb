/**
 * @module core/discovery/http
 * http_sd_configs: polls a URL serving a JSON list of target groups every refresh_interval. As in
 * Prometheus: the response must be 200 with Content-Type application/json; each group gets `__meta_url`
 * and the source `<url>:<index>`; groups beyond the new length are emitted empty; a failed refresh
 * keeps the previous groups and is logged.
 */
import type { Logger } from "../log/logger.ts";
import type { HTTPSDConfig } from "./config.ts";
import { decodeTargetGroups } from "./groups.ts";
import { httpRequestInit } from "./http-client.ts";
import { sleep, type CountFn, type Discoverer, type TargetGroup } from "./types.ts";

const CONTENT_TYPE_RE = /^application\/json(;\s*charset=("utf-8"|utf-8))?$/i;

/** The User-Agent Quiver sends for discovery requests. */
export const HTTP_SD_USER_AGENT = "Quiver/0.1.0";

/** Fetches and decodes the target groups once. Throws on any failure. */
export async function fetchHTTPTargetGroups(cfg: HTTPSDConfig, configDir: string, signal: AbortSignal): Promise<TargetGroup[]> {
  const init = httpRequestInit(cfg, configDir);
  const res = await fetch(cfg.url, {
    headers: {
      ...init.headers, "Accept": "application/json", "User-Agent": HTTP_SD_USER_AGENT,
      "X-Prometheus-Refresh-Interval-Seconds": String(cfg.refresh_interval / 1000),
    },
    redirect: init.redirect, signal, ...init.extra,
  } as RequestInit);
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
  }
  const ct = (res.headers.get("content-type") ?? "").trim();
  if (!CONTENT_TYPE_RE.test(ct)) {
    await res.body?.cancel();
    throw new Error(`unsupported content type ${JSON.stringify(ct)}`);
  }
  const doc = JSON.parse(await res.text());
  return decodeTargetGroups(doc, cfg.url, { __meta_url: cfg.url });
}

/** Creates an http_sd discoverer. */
export function httpDiscoverer(cfg: HTTPSDConfig, opts: { logger: Logger; configDir: string; count?: CountFn }): Discoverer {
  let lastLength = 0;
  return {
    async run(signal, emit) {
      while (!signal.aborted) {
        try {
          const groups = await fetchHTTPTargetGroups(cfg, opts.configDir, signal);
          const n = groups.length;
          for (let i = n; i < lastLength; i++) groups.push({ targets: [], labels: {}, source: `${cfg.url}:${i}` });
          lastLength = n;
          if (!signal.aborted) emit(groups);
        } catch (e) {
          if (!signal.aborted) {
            opts.logger.error("Unable to refresh target groups", { url: cfg.url, err: (e as Error).message });
            opts.count?.("prometheus_sd_http_failures_total");
          }
        }
        await sleep(cfg.refresh_interval, signal);
      }
    },
  };
}

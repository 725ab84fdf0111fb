/**
 * @module core/api/server
 * Composes the HTTP areas (lifecycle, /metrics, the Prometheus API, Alertmanager API, UI) into one Elysia
 * app and serves it through core/runtime. Each area is its own named Elysia instance; this module only
 * orders them, adds HTTP instrumentation, CORS, and the route prefix.
 */
import { Elysia } from "elysia";
import type { Registry } from "../../exporters/service/index.ts";
import type { Runtime, Server } from "../runtime/index.ts";
import { httpMetrics } from "./http-metrics.ts";

/** An API area: any Elysia instance (kept loose so areas stay independent). */
export type Area = Elysia<any, any, any, any, any, any, any>;

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** Registry receiving the HTTP self-metrics. */
  registry: Registry;
  /** Areas to mount, in order. */
  areas: Area[];
  /** Fully anchored regex of allowed CORS origins (--web.cors.origin). */
  corsOrigin?: string;
}

/** Builds the app. Use `app.handle(req)` in tests; {@link serve} to listen. */
export function buildApp(opts: AppOptions): Area {
  const cors = new RegExp(`^(?:${opts.corsOrigin ?? ".*"})$`);
  let app: Area = new Elysia({ name: "quiver" }).use(httpMetrics(opts.registry));
  app = app.onAfterHandle({ as: "global" }, ({ request, set }) => {
    const origin = request.headers.get("origin");
    if (origin && cors.test(origin) && new URL(request.url).pathname.startsWith("/api/")) {
      set.headers["access-control-allow-origin"] = origin;
      set.headers["vary"] = "Origin";
    }
  });
  for (const a of opts.areas) app = app.use(a);
  return app;
}

/** Parses `host:port` (`:9090` means all interfaces) into parts. Throws on a malformed address. */
export function parseListenAddress(addr: string): { hostname: string; port: number } {
  const i = addr.lastIndexOf(":");
  if (i < 0) throw new Error(`invalid listen address ${JSON.stringify(addr)}: missing port`);
  let host = addr.slice(0, i);
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address ${JSON.stringify(addr)}: bad port`);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { hostname: host === "" ? "0.0.0.0" : host, port };
}

/** Serves `app` on `listenAddress` through the runtime adapter. */
export async function serve(runtime: Runtime, app: Area, listenAddress: string, tls?: { cert: string; key: string }): Promise<Server> {
  const { hostname, port } = parseListenAddress(listenAddress);
  return runtime.serve((req) => app.handle(req), { hostname, port, tls });
}

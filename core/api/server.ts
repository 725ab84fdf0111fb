/**
 * @module core/api/server
 * Composes the HTTP areas (lifecycle, /metrics, the Prometheus API, Alertmanager API, UI) into one Elysia
 * app and serves it through core/runtime. Each area is its own named Elysia instance; this module only
 * orders them and adds HTTP instrumentation; CORS lives in the API envelope (core/api/v1/envelope.ts),
 * authentication and TLS in core/api/web-config.ts, applied around the app's handler by {@link serve}.
 */
import { Elysia } from "elysia";
import type { Registry } from "../../exporters/service/index.ts";
import type { Runtime, Server, ServeOptions } from "../runtime/index.ts";
import { httpMetrics } from "./http-metrics.ts";

/** An API area: any Elysia instance (kept loose so areas stay independent). */
export type Area = Elysia<any, any, any, any, any, any, any>;

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** Registry receiving the HTTP self-metrics. */
  registry: Registry;
  /** Areas to mount, in order. */
  areas: Area[];
}

/** Builds the app. Use `app.handle(req)` in tests; {@link serve} to listen. */
export function buildApp(opts: AppOptions): Area {
  let app: Area = new Elysia({ name: "quiver" }).use(httpMetrics(opts.registry));
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

/**
 * Serves `handler` on `listenAddress` through the runtime adapter. `wrap` may decorate the handler (basic
 * auth from --web.config.file); `tls` enables HTTPS.
 */
export async function serve(
  runtime: Runtime,
  handler: (req: Request) => Promise<Response>,
  listenAddress: string,
  opts: { tls?: ServeOptions["tls"]; wrap?: (h: (req: Request) => Promise<Response>) => (req: Request) => Promise<Response> } = {},
): Promise<Server> {
  const { hostname, port } = parseListenAddress(listenAddress);
  const h = opts.wrap ? opts.wrap(handler) : handler;
  return runtime.serve((req) => h(req), { hostname, port, tls: opts.tls });
}

/**
 * @module core/ui
 * The web UI area: an Elysia instance serving the server-rendered page shells (query, targets, service
 * discovery, alerts, rules, status pages, node dashboard), the browser ES modules and CSS under
 * `/static/`, the vendored uPlot build under `/static/vendor/`, and `GET /ui/api/functions` (the PromQL
 * function table the engine's parser uses, for completion). The browser code reads everything else from
 * the Prometheus HTTP API (`/api/v1/...`) on the same port, so the UI works offline with no build step.
 *
 * Invariants: every route lives below `routePrefix`; `/` redirects to the node dashboard (the home
 * page); static files never escape their folder and always carry a Content-Type.
 */
import { Elysia } from "elysia";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { FUNCTIONS } from "../promql/parser/functions.ts";
import { PAGES, renderPage, type ShellOptions } from "./pages.ts";
import { serveFile } from "./static-files.ts";

export { PAGES, type UiPage } from "./pages.ts";

/** Options of {@link uiRoutes}. */
export interface UiOptions {
  /** Path prefix of every route (--web.route-prefix); "" or "/" for none. */
  routePrefix?: string;
  /** The URL users reach Quiver under (--web.external-url); shown and used for absolute links. */
  externalUrl?: string;
  /** Suffix of every page's `<title>` (--web.page-title). */
  pageTitle?: string;
  /** Folder holding the UI's own static files; defaults to core/ui/static beside this module. */
  staticDir?: string;
  /** Folder holding uPlot's dist files; defaults to uplot's folder in node_modules. */
  uplotDir?: string;
}

/** Default `<title>` suffix. */
export const DEFAULT_PAGE_TITLE = "Quiver Time Series Collection and Processing Server";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The default folder of the UI's own assets. */
export const DEFAULT_STATIC_DIR = join(HERE, "static");

/** Finds uPlot's dist folder: the repository's node_modules (walking up from this module). */
export function findUplotDir(start = HERE): string | undefined {
  let dir = start;
  for (;;) {
    const cand = join(dir, "node_modules", "uplot", "dist");
    if (existsSync(join(cand, "uPlot.esm.js"))) return cand;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Normalises a route prefix to "" or "/a/b" (leading slash, no trailing slash). */
export function normalizePrefix(p: string | undefined): string {
  if (!p) return "";
  let s = p.trim();
  if (!s.startsWith("/")) s = "/" + s;
  while (s.endsWith("/")) s = s.slice(0, -1);
  return s;
}

/** The function list served to the completion: name, argument types, variadic count, return type, experimental. */
export function functionList() {
  return [...FUNCTIONS.values()]
    .map((f) => ({ name: f.name, argTypes: [...f.argTypes], variadic: f.variadic, returnType: f.returnType, experimental: f.experimental }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const html = (body: string) =>
  new Response(body, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" } });

/**
 * Builds the UI area. Mount it next to the API areas (it must not shadow `/api/`).
 *
 * @example
 * buildApp({ registry, areas: [apiV1(...), uiRoutes({ routePrefix: flags.routePrefix, externalUrl, pageTitle })] })
 */
export function uiRoutes(opts: UiOptions = {}) {
  const prefix = normalizePrefix(opts.routePrefix);
  const shell: ShellOptions = { prefix, pageTitle: opts.pageTitle ?? DEFAULT_PAGE_TITLE, externalUrl: opts.externalUrl ?? "" };
  const staticDir = resolve(opts.staticDir ?? DEFAULT_STATIC_DIR);
  const uplotDir = opts.uplotDir ?? findUplotDir();
  const rendered = new Map(PAGES.map((p) => [p.path, renderPage(p, shell)]));
  const staticPath = (request: Request, mount: string): string => {
    const path = new URL(request.url).pathname.slice(prefix.length + mount.length);
    try {
      return decodeURIComponent(path);
    } catch {
      return "\0"; // undecodable: refused by safeJoin
    }
  };

  // Loosely typed: routes are added in a loop below, and the area only needs to be mountable.
  let app: Elysia<any, any, any, any, any, any, any> = new Elysia({ name: "ui", seed: prefix, prefix })
    .get("/", ({ request }) => new Response(null, { status: 302, headers: { location: `${prefix}/node${new URL(request.url).search}` } }))
    .get("/ui/api/functions", () =>
      new Response(JSON.stringify({ status: "success", data: functionList() }), {
        headers: { "content-type": "application/json; charset=utf-8" },
      }))
    .get("/static/vendor/*", ({ request }) => {
      if (!uplotDir) return new Response("uPlot is not installed (npm install)\n", { status: 404 });
      return serveFile(uplotDir, staticPath(request, "/static/vendor/"), request.headers.get("if-none-match"));
    })
    .get("/static/*", ({ request }) => serveFile(staticDir, staticPath(request, "/static/"), request.headers.get("if-none-match")));
  for (const [path, body] of rendered) app = app.get(path, () => html(body));
  return app;
}

/**
 * @module core/ui/pages
 * The UI's page table and the server-rendered HTML shell every page shares: header with navigation, an
 * empty `<main>` the page's ES module fills from the HTTP API, and the settings the browser code needs
 * (route prefix, page id) as `<meta>` tags. Invariant: every interpolated string is HTML-escaped.
 */

/** One UI page: its path below the route prefix, the id the browser code dispatches on, and its title. */
export interface UiPage {
  path: string;
  id: string;
  title: string;
  /** Shown in the header's navigation ("main") or under "Status" ("status"); absent: not in the menu. */
  nav?: "main" | "status";
  /** The page's ES module and the library modules it imports (below static/js/), preloaded by the shell. */
  modules: readonly string[];
}

const BASE = ["lib/dom.js", "lib/api.js"];
const CHARTS = [...BASE, "lib/chart.js"];

/** Every page the UI serves, in menu order. `/graph` is Prometheus's older name of the query page. */
export const PAGES: readonly UiPage[] = [
  { path: "/node", id: "node", title: "Node dashboard", nav: "main", modules: ["pages/node.js", ...CHARTS, "lib/node-panels.js"] },
  { path: "/query", id: "query", title: "Query", nav: "main", modules: ["pages/query.js", ...CHARTS, "lib/editor.js", "lib/promql-lex.js"] },
  { path: "/graph", id: "query", title: "Query", modules: ["pages/query.js", ...CHARTS, "lib/editor.js", "lib/promql-lex.js"] },
  { path: "/alerts", id: "alerts", title: "Alerts", nav: "main", modules: ["pages/alerts.js", ...BASE] },
  { path: "/targets", id: "targets", title: "Targets", nav: "status", modules: ["pages/targets.js", ...BASE] },
  { path: "/service-discovery", id: "service-discovery", title: "Service discovery", nav: "status", modules: ["pages/service-discovery.js", ...BASE] },
  { path: "/rules", id: "rules", title: "Rules", nav: "status", modules: ["pages/rules.js", ...BASE] },
  { path: "/status", id: "status", title: "Runtime & build information", nav: "status", modules: ["pages/status.js", ...BASE] },
  { path: "/tsdb-status", id: "tsdb-status", title: "TSDB status", nav: "status", modules: ["pages/status.js", ...BASE] },
  { path: "/flags", id: "flags", title: "Command-line flags", nav: "status", modules: ["pages/status.js", ...BASE] },
  { path: "/config", id: "config", title: "Configuration", nav: "status", modules: ["pages/status.js", ...BASE] },
];

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Options of {@link renderPage}. */
export interface ShellOptions {
  /** URL path prefix of every UI and API route ("" for none; never a trailing slash). */
  prefix: string;
  /** Text of the HTML `<title>` after the page name (--web.page-title). */
  pageTitle: string;
  /** The externally reachable URL (--web.external-url), exposed to the browser code for links. */
  externalUrl: string;
}

/** Renders the HTML shell of `page`. */
export function renderPage(page: UiPage, o: ShellOptions): string {
  const p = escapeHtml(o.prefix);
  const link = (q: UiPage) =>
    `<a href="${p}${q.path}"${q.id === page.id ? ' aria-current="page"' : ""}>${escapeHtml(q.title)}</a>`;
  const main = PAGES.filter((q) => q.nav === "main").map(link).join("");
  const status = PAGES.filter((q) => q.nav === "status").map(link).join("");
  const statusActive = page.nav === "status" ? " active" : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="quiver-prefix" content="${p}">
<meta name="quiver-external-url" content="${escapeHtml(o.externalUrl)}">
<title>${escapeHtml(page.title)} - ${escapeHtml(o.pageTitle)}</title>
<link rel="icon" href="${p}/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${p}/static/vendor/uPlot.min.css">
<link rel="stylesheet" href="${p}/static/css/quiver.css">
${["app.js", ...page.modules].map((m) => `<link rel="modulepreload" href="${p}/static/js/${escapeHtml(m)}">`).join("\n")}
<script>try{var t=localStorage.getItem("quiver.theme");if(t)document.documentElement.dataset.theme=t}catch(e){}</script>
</head>
<body data-page="${escapeHtml(page.id)}">
<header class="topbar">
<a class="brand" href="${p}/">Quiver</a>
<nav class="nav">${main}<details class="menu${statusActive}"><summary>Status</summary><div class="menu-items">${status}</div></details></nav>
<button type="button" id="theme-toggle" class="ghost" title="Switch light/dark theme" aria-label="Switch light/dark theme">◐</button>
</header>
<main id="page" aria-live="polite"><noscript>This page needs JavaScript: it reads everything from ${p}/api/v1/.</noscript></main>
<script type="module" src="${p}/static/js/app.js"></script>
</body>
</html>
`;
}

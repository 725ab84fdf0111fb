/**
 * @module static/js/app
 * Entry point of every UI page: applies the theme toggle, then loads the page module named by
 * `<body data-page>` and lets it render into `<main id="page">`.
 */
import { errorBox } from "./lib/dom.js";

/** Page id → module (relative to this file). Each exports `render(main: HTMLElement): void | Promise<void>`. */
const MODULES = {
  query: "./pages/query.js",
  node: "./pages/node.js",
  targets: "./pages/targets.js",
  "service-discovery": "./pages/service-discovery.js",
  alerts: "./pages/alerts.js",
  rules: "./pages/rules.js",
  status: "./pages/status.js",
  flags: "./pages/status.js",
  config: "./pages/status.js",
  "tsdb-status": "./pages/status.js",
};

const toggle = document.getElementById("theme-toggle");
toggle?.addEventListener("click", () => {
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  root.dataset.theme = dark ? "light" : "dark";
  try { localStorage.setItem("quiver.theme", root.dataset.theme); } catch { /* private mode */ }
  window.dispatchEvent(new Event("quiver-theme"));
});

// Close the Status menu when clicking elsewhere.
document.addEventListener("click", (e) => {
  for (const d of document.querySelectorAll("details.menu[open]")) if (!d.contains(/** @type {Node} */ (e.target))) d.removeAttribute("open");
});

const page = document.body.dataset.page ?? "";
const main = /** @type {HTMLElement} */ (document.getElementById("page"));
const mod = MODULES[/** @type {keyof typeof MODULES} */ (page)];
if (mod) {
  main.textContent = "";
  import(mod)
    .then((m) => m.render(main, page))
    .catch((e) => main.replaceChildren(errorBox(e, "This page failed to load")));
}

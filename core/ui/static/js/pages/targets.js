/**
 * @module static/js/pages/targets
 * Targets page: active targets from /api/v1/targets grouped by scrape pool, each pool collapsible with
 * its up/total count; per target the endpoint, health, labels, last scrape, scrape duration and last
 * error. Filters: free text (endpoint or labels) and "unhealthy only". Refreshes every 15 s.
 */
import { api } from "../lib/api.js";
import { badge, errorBox, formatAgo, formatLatency, h, labelChips, loading, replace } from "../lib/dom.js";

/** @param {HTMLElement} main */
export function render(main) {
  const search = /** @type {HTMLInputElement} */ (h("input", { type: "search", placeholder: "Filter by endpoint or labels", "aria-label": "Filter targets" }));
  const unhealthy = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "unhealthy-only" }));
  const content = h("div", null, loading());
  /** @type {any[]} */ let targets = [];
  /** @type {Set<string>} */ const collapsed = new Set();

  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = targets.filter((t) =>
      (!unhealthy.checked || t.health !== "up") &&
      (!q || t.scrapeUrl.toLowerCase().includes(q) || Object.entries(t.labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(q))));
    /** @type {Map<string, any[]>} */ const pools = new Map();
    for (const t of targets) if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
    for (const t of shown) pools.get(t.scrapePool)?.push(t);
    if (targets.length === 0) return replace(content, h("div", { class: "empty" }, "No active targets."));
    replace(content, [...pools].sort(([a], [b]) => (a < b ? -1 : 1)).map(([pool, ts]) => {
      const all = targets.filter((t) => t.scrapePool === pool);
      const up = all.filter((t) => t.health === "up").length;
      if (ts.length === 0 && (q || unhealthy.checked)) return null;
      const d = /** @type {HTMLDetailsElement} */ (h("details", { class: "pool card", open: !collapsed.has(pool), dataset: { pool },
        ontoggle: () => (d.open ? collapsed.delete(pool) : collapsed.add(pool)) },
      h("summary", null, pool, h("span", { class: "count" }, `(${up}/${all.length} up)`)),
      h("table", { class: "list" },
        h("thead", null, h("tr", null, ["Endpoint", "State", "Labels", "Last scrape", "Scrape duration", "Error"].map((c) => h("th", null, c)))),
        h("tbody", null, ts.map((t) => h("tr", null,
          h("td", { class: "mono" }, h("a", { href: t.scrapeUrl, rel: "noreferrer" }, t.scrapeUrl)),
          h("td", null, badge(t.health)),
          h("td", null, labelChips(t.labels)),
          h("td", { title: t.lastScrape }, formatAgo(t.lastScrape)),
          h("td", null, formatLatency(t.lastScrapeDuration)),
          h("td", null, t.lastError ? h("span", { class: "error-text" }, t.lastError) : null)))))));
      return d;
    }));
  };
  const load = async () => {
    try {
      const r = await api("targets", { state: "active" });
      targets = r.data.activeTargets ?? [];
      draw();
    } catch (e) {
      replace(content, errorBox(e, "Cannot load targets"));
    }
  };
  search.addEventListener("input", draw);
  unhealthy.addEventListener("change", draw);
  replace(main,
    h("div", { class: "page-head" }, h("h1", null, "Targets"),
      h("div", { class: "toolbar" }, search, h("label", null, unhealthy, " Unhealthy only"),
        h("button", { type: "button", onclick: load }, "Refresh"))),
    content);
  load();
  setInterval(() => { if (!document.hidden) load(); }, 15_000);
}

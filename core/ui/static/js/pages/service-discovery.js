/**
 * @module static/js/pages/service-discovery
 * Service discovery page: for each scrape pool, every discovered target's labels before relabeling
 * next to the target labels kept after it ("Dropped" when relabeling removed the target), from
 * /api/v1/targets?state=any (activeTargets and droppedTargets).
 */
import { api } from "../lib/api.js";
import { errorBox, h, labelChips, loading, replace } from "../lib/dom.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const content = h("div", null, loading());
  replace(main, h("div", { class: "page-head" }, h("h1", null, "Service discovery")), content);
  try {
    const r = await api("targets", { state: "any" });
    /** @type {Map<string, {active: any[], dropped: any[]}>} */ const pools = new Map();
    const pool = (/** @type {string} */ n) => pools.get(n) ?? (pools.set(n, { active: [], dropped: [] }), /** @type {any} */ (pools.get(n)));
    for (const t of r.data.activeTargets ?? []) pool(t.scrapePool).active.push(t);
    for (const t of r.data.droppedTargets ?? []) {
      const name = t.scrapePool ?? t.discoveredLabels?.job ?? "(unknown)";
      pool(name).dropped.push(t);
    }
    if (pools.size === 0) return replace(content, h("div", { class: "empty" }, "No targets discovered."));
    const names = [...pools.keys()].sort();
    replace(content,
      h("ul", { class: "card" }, names.map((n) => {
        const p = /** @type {{active: any[], dropped: any[]}} */ (pools.get(n));
        return h("li", null, h("a", { href: `#pool-${encodeURIComponent(n)}` }, n), h("span", { class: "muted" }, ` (${p.active.length} / ${p.active.length + p.dropped.length} active targets)`));
      })),
      names.map((n) => {
        const p = /** @type {{active: any[], dropped: any[]}} */ (pools.get(n));
        return h("details", { class: "pool card", open: true, id: `pool-${encodeURIComponent(n)}` },
          h("summary", null, n, h("span", { class: "count" }, `(${p.active.length} / ${p.active.length + p.dropped.length} active targets)`)),
          h("table", { class: "list" },
            h("thead", null, h("tr", null, h("th", null, "Discovered labels"), h("th", null, "Target labels"))),
            h("tbody", null,
              p.active.map((t) => h("tr", null, h("td", null, labelChips(t.discoveredLabels ?? {})), h("td", null, labelChips(t.labels ?? {})))),
              p.dropped.map((t) => h("tr", null, h("td", null, labelChips(t.discoveredLabels ?? {})), h("td", null, h("span", { class: "badge" }, "Dropped")))))));
      }));
  } catch (e) {
    replace(content, errorBox(e, "Cannot load service discovery"));
  }
}

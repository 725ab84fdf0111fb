/**
 * @module static/js/pages/alerts
 * Alerts page: every alerting rule from /api/v1/rules?type=alert with its state (inactive, pending,
 * firing), counts per state, and, per rule, its query, labels, annotations and active alerts (labels,
 * state, active since, value, annotations). Checkboxes filter by state. Refreshes every 15 s.
 */
import { api } from "../lib/api.js";
import { badge, errorBox, formatAgo, formatDurationSec, h, labelChips, loading, replace } from "../lib/dom.js";

const STATES = ["inactive", "pending", "firing"];

/** @param {HTMLElement} main */
export function render(main) {
  /** @type {Record<string, HTMLInputElement>} */ const boxes = {};
  /** @type {Record<string, HTMLElement>} */ const names = {};
  const counts = h("span", { class: "muted" });
  const content = h("div", null, loading());
  /** @type {any[]} */ let rules = [];
  const draw = () => {
    const n = { inactive: 0, pending: 0, firing: 0 };
    for (const r of rules) n[/** @type {keyof typeof n} */ (r.state)]++;
    for (const s of STATES) names[s].textContent = ` ${s[0].toUpperCase()}${s.slice(1)} (${n[/** @type {keyof typeof n} */ (s)]})`;
    const shown = rules.filter((r) => boxes[r.state]?.checked ?? true);
    if (rules.length === 0) return replace(content, h("div", { class: "empty" }, "No alerting rules configured."));
    replace(content, shown.map((r) => h("details", { class: `pool card alert-rule ${r.state}`, open: r.state !== "inactive" },
      h("summary", null, badge(r.state), " ", r.name, h("span", { class: "count" }, `(${(r.alerts ?? []).length} active) · ${r.groupName}`)),
      h("table", { class: "kv" }, h("tbody", null,
        h("tr", null, h("th", null, "Query"), h("td", { class: "mono" }, r.query)),
        r.duration ? h("tr", null, h("th", null, "For"), h("td", null, formatDurationSec(r.duration))) : null,
        r.keepFiringFor ? h("tr", null, h("th", null, "Keep firing for"), h("td", null, formatDurationSec(r.keepFiringFor))) : null,
        Object.keys(r.labels ?? {}).length ? h("tr", null, h("th", null, "Labels"), h("td", null, labelChips(r.labels))) : null,
        Object.entries(r.annotations ?? {}).map(([k, v]) => h("tr", null, h("th", null, k), h("td", null, String(v)))),
        r.lastError ? h("tr", null, h("th", null, "Error"), h("td", { class: "error-text" }, r.lastError)) : null)),
      (r.alerts ?? []).length ? h("table", { class: "list" },
        h("thead", null, h("tr", null, ["Labels", "State", "Active since", "Value", "Annotations"].map((c) => h("th", null, c)))),
        h("tbody", null, r.alerts.map((/** @type {any} */ a) => h("tr", null,
          h("td", null, labelChips(a.labels ?? {})),
          h("td", null, badge(a.state)),
          h("td", { title: a.activeAt }, a.activeAt ? `${a.activeAt.replace(/\.\d+/, "")} (${formatAgo(a.activeAt)})` : "-"),
          h("td", { class: "num" }, a.value),
          h("td", null, Object.entries(a.annotations ?? {}).map(([k, v]) => h("div", null, h("strong", null, `${k}: `), String(v)))))))) : null)));
  };
  const load = async () => {
    try {
      const r = await api("rules", { type: "alert" });
      rules = [];
      for (const g of r.data.groups ?? []) for (const rule of g.rules ?? []) if (rule.type === "alerting") rules.push({ ...rule, groupName: g.name });
      const order = { firing: 0, pending: 1, inactive: 2 };
      rules.sort((a, b) => (order[/** @type {keyof typeof order} */ (a.state)] ?? 3) - (order[/** @type {keyof typeof order} */ (b.state)] ?? 3));
      draw();
    } catch (e) {
      replace(content, errorBox(e, "Cannot load alerts"));
    }
  };
  const filters = STATES.map((s) => {
    boxes[s] = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", checked: true, onchange: draw }));
    names[s] = h("span", null, ` ${s}`);
    return h("label", null, boxes[s], names[s]);
  });
  replace(main, h("div", { class: "page-head" }, h("h1", null, "Alerts"), h("div", { class: "toolbar" }, filters, counts)), content);
  load();
  setInterval(() => { if (!document.hidden) load(); }, 15_000);
}

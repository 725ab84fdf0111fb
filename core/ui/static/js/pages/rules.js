/**
 * @module static/js/pages/rules
 * Rules page: rule groups from /api/v1/rules with file, interval, last evaluation and evaluation
 * time; per rule its definition (record/alert, expression, labels), health, last error, last
 * evaluation and evaluation time.
 */
import { api } from "../lib/api.js";
import { badge, errorBox, formatAgo, formatDurationSec, formatLatency, h, labelChips, loading, replace } from "../lib/dom.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const content = h("div", null, loading());
  replace(main, h("div", { class: "page-head" }, h("h1", null, "Rules")), content);
  try {
    const r = await api("rules");
    const groups = r.data.groups ?? [];
    if (groups.length === 0) return replace(content, h("div", { class: "empty" }, "No rule groups configured."));
    replace(content, groups.map((/** @type {any} */ g) => h("section", { class: "card" },
      h("div", { class: "page-head" }, h("h2", null, g.name),
        h("span", { class: "muted" }, `${g.file} · every ${formatDurationSec(g.interval ?? 0)} · last evaluation ${formatAgo(g.lastEvaluation)} · took ${formatLatency(g.evaluationTime)}`)),
      h("table", { class: "list" },
        h("thead", null, h("tr", null, ["Rule", "Health", "Last evaluation", "Evaluation time"].map((c) => h("th", null, c)))),
        h("tbody", null, (g.rules ?? []).map((/** @type {any} */ rule) => h("tr", null,
          h("td", { class: "mono" },
            h("div", null, h("strong", null, rule.type === "alerting" ? "alert: " : "record: "), rule.name),
            h("div", null, h("strong", null, "expr: "), h("a", { href: `query?g0.expr=${encodeURIComponent(rule.query)}&g0.tab=1` }, rule.query)),
            rule.type === "alerting" && rule.duration ? h("div", null, h("strong", null, "for: "), formatDurationSec(rule.duration)) : null,
            Object.keys(rule.labels ?? {}).length ? h("div", null, h("strong", null, "labels: "), labelChips(rule.labels)) : null,
            rule.type === "alerting" ? Object.entries(rule.annotations ?? {}).map(([k, v]) => h("div", null, h("strong", null, `${k}: `), String(v))) : null),
          h("td", null, badge(rule.health), rule.lastError ? h("div", { class: "error-text" }, rule.lastError) : null),
          h("td", { title: rule.lastEvaluation }, formatAgo(rule.lastEvaluation)),
          h("td", null, formatLatency(rule.evaluationTime)))))))));
  } catch (e) {
    replace(content, errorBox(e, "Cannot load rules"));
  }
}

/**
 * @module static/js/pages/node
 * The built-in node dashboard (the home page): finds every node exporter target (series of
 * node_uname_info, node targets of `up{job=~".*node.*"}`, and instances exposing
 * node_cpu_seconds_total), then shows for the chosen one a row of current values (scrape health,
 * uptime, CPUs, memory, load, root filesystem) and charts of CPU by mode, memory, load, filesystem use,
 * disk I/O and network traffic. Instance and range live in the URL (`?instance=…&job=…&range=1h`).
 * Refreshes every 30 s while visible.
 */
import { api } from "../lib/api.js";
import { drawChart, legendFormat, matrixToSeries } from "../lib/chart.js";
import { errorBox, formatDurationSec, formatValue, h, loading, parseDurationSec, replace, warningBox } from "../lib/dom.js";
import { nodePanels, nodeSelector, nodeStats, overviewColumns } from "../lib/node-panels.js";

const RANGES = ["15m", "1h", "3h", "6h", "12h", "1d", "2d", "7d"];

/** @typedef {{ instance: string, job: string, nodename?: string, release?: string, machine?: string, up?: string }} NodeTarget */

/** Finds node exporter targets, merged by (job, instance). @returns {Promise<NodeTarget[]>} */
export async function findNodes() {
  /** @type {Map<string, NodeTarget>} */ const found = new Map();
  const add = (/** @type {Record<string,string>} */ m, /** @type {Partial<NodeTarget>} */ extra = {}) => {
    if (!m.instance) return;
    const key = `${m.job ?? ""}\u0000${m.instance}`;
    const cur = found.get(key) ?? { instance: m.instance, job: m.job ?? "" };
    found.set(key, { ...cur, ...extra });
  };
  const results = await Promise.allSettled([
    api("query", { query: "node_uname_info" }),
    api("query", { query: 'up{job=~".*node.*"}' }),
    api("query", { query: "count by (job, instance) (node_cpu_seconds_total)" }),
  ]);
  const [uname, up, cpu] = results.map((r) => (r.status === "fulfilled" ? r.value.data.result ?? [] : []));
  for (const s of uname) add(s.metric, { nodename: s.metric.nodename, release: s.metric.release, machine: s.metric.machine });
  for (const s of cpu) add(s.metric);
  for (const s of up) add(s.metric, { up: s.value?.[1] });
  const failed = results.filter((r) => r.status === "rejected");
  if (found.size === 0 && failed.length === results.length) throw /** @type {PromiseRejectedResult} */ (failed[0]).reason;
  return [...found.values()].sort((a, b) => (a.job + a.instance < b.job + b.instance ? -1 : 1));
}

/** @param {HTMLElement} main */
export async function render(main) {
  const params = new URLSearchParams(location.search);
  let range = RANGES.includes(params.get("range") ?? "") ? /** @type {string} */ (params.get("range")) : "1h";
  const content = h("div", null, loading("Looking for node exporter targets…"));
  const select = /** @type {HTMLSelectElement} */ (h("select", { "aria-label": "Node", id: "node-select" }));
  const rangeSel = /** @type {HTMLSelectElement} */ (h("select", { "aria-label": "Time range", id: "range-select" },
    RANGES.map((r) => h("option", { value: r, selected: r === range }, `Last ${r}`))));
  const refresh = h("button", { type: "button", title: "Refresh now" }, "Refresh");
  replace(main, h("div", { class: "page-head" }, h("h1", null, "Node dashboard"),
    h("div", { class: "toolbar" }, select, rangeSel, refresh)), content);

  /** @type {NodeTarget[]} */ let nodes;
  try {
    nodes = await findNodes();
  } catch (e) {
    replace(content, errorBox(e, "Cannot look for node exporter targets"));
    return;
  }
  if (nodes.length === 0) {
    replace(content, h("div", { class: "card" }, h("h2", null, "No node exporter targets yet"),
      h("p", null, "The dashboard shows every target exposing node_exporter's metrics (node_uname_info, node_cpu_seconds_total). ",
        "The default configuration scrapes the built-in node exporter every 15 s, so data appears within a scrape interval or two. ",
        "Check ", h("a", { href: "targets" }, "Targets"), " for scrape errors."),
      h("button", { type: "button", onclick: () => location.reload() }, "Try again")));
    select.disabled = true;
    return;
  }
  const wanted = nodes.find((n) => n.instance === params.get("instance") && (!params.get("job") || n.job === params.get("job"))) ?? nodes[0];
  for (const n of nodes) {
    select.appendChild(h("option", { value: `${n.job}\u0000${n.instance}`, selected: n === wanted },
      `${n.nodename ? `${n.nodename} · ` : ""}${n.instance}${n.job ? ` (${n.job})` : ""}`));
  }
  let current = /** @type {NodeTarget} */ (wanted);
  const overview = nodes.length > 1 ? h("section", { class: "card overview" }, h("h2", null, `All nodes (${nodes.length})`), loading()) : null;
  if (overview) main.insertBefore(overview, content);
  const drawOverview = async () => {
    if (!overview) return;
    const cols = overviewColumns("1m");
    const res = await Promise.all(cols.map((c) => api("query", { query: c.expr }).then((r) => r.data.result ?? [], () => [])));
    /** @type {Map<string, Record<string, string>>} */ const byNode = new Map();
    res.forEach((rows, i) => {
      for (const r of rows) {
        const key = `${r.metric.job ?? ""}\u0000${r.metric.instance}`;
        const row = byNode.get(key) ?? {};
        row[cols[i].id] = r.value?.[1];
        byNode.set(key, row);
      }
    });
    const cell = (/** @type {{id: string, unit: string}} */ c, /** @type {string | undefined} */ v) => {
      if (v === undefined) return h("td", { class: "num" }, "-");
      if (c.unit === "up") return h("td", null, h("span", { class: `badge ${v === "1" ? "up" : "down"}` }, v === "1" ? "up" : "down"));
      return h("td", { class: "num" }, formatValue(Number(v), c.unit));
    };
    replace(overview, h("h2", null, `All nodes (${nodes.length})`), h("table", { class: "list" },
      h("thead", null, h("tr", null, h("th", null, "Node"), cols.map((c) => h("th", { class: c.unit === "up" ? "" : "num" }, c.title)))),
      h("tbody", null, nodes.map((n) => {
        const key = `${n.job}\u0000${n.instance}`;
        const row = byNode.get(key) ?? {};
        return h("tr", { class: n === current ? "selected" : "", dataset: { node: n.instance } },
          h("td", null, h("a", { href: "#", onclick: (/** @type {Event} */ e) => {
            e.preventDefault();
            current = n;
            select.value = key;
            draw();
          } }, `${n.nodename ? `${n.nodename} · ` : ""}${n.instance}`), h("span", { class: "muted" }, ` ${n.job}`)),
          cols.map((c) => cell(c, row[c.id])));
      }))));
  };
  /**
   * The rendered layout, kept across refreshes of the same node and range so auto-refresh swaps charts
   * in place instead of flashing "Loading…".
   * @type {{ key: string, statRow: HTMLElement, cards: HTMLElement[], charts: Array<{destroy(): void} | undefined>, notes: Array<Element | null> } | undefined}
   */
  let layout;
  let seq = 0;

  const draw = async () => {
    const my = ++seq;
    const u = new URL(location.href);
    u.searchParams.set("instance", current.instance);
    if (current.job) u.searchParams.set("job", current.job); else u.searchParams.delete("job");
    u.searchParams.set("range", range);
    history.replaceState(null, "", u);
    const sel = nodeSelector(current);
    const rangeSec = /** @type {number} */ (parseDurationSec(range));
    const step = Math.max(5, Math.round(rangeSec / 240));
    const end = Math.floor(Date.now() / 1000); // not aligned to the step: a new target has data right away
    const start = end - rangeSec;
    const w = formatDurationSec(Math.max(60, 4 * step));
    const stats = nodeStats(sel);
    const panels = nodePanels(sel, w);
    const key = `${current.job}\u0000${current.instance}\u0000${range}`;
    if (layout?.key !== key) {
      for (const c of layout?.charts ?? []) c?.destroy();
      const statRow = h("div", { class: "stat-row" }, stats.map((s) => h("div", { class: "stat", dataset: { stat: s.id } },
        h("div", { class: "k" }, s.title), h("div", { class: "v" }, "…"))));
      const info = h("div", { class: "muted node-info" },
        [current.nodename && `Host ${current.nodename}`, current.release && `kernel ${current.release}`, current.machine, `job ${current.job}`, `instance ${current.instance}`].filter(Boolean).join(" · "));
      const cards = panels.map((p) => {
        const q = new URLSearchParams();
        p.queries.forEach((x, i) => {
          q.set(`g${i}.expr`, x.expr); q.set(`g${i}.tab`, "0"); q.set(`g${i}.range_input`, range); q.set(`g${i}.stacked`, p.stacked ? "1" : "0");
        });
        return h("section", { class: "card panel-card", dataset: { panel: p.id } },
          h("div", { class: "page-head" }, h("h2", null, p.title), h("a", { href: `query?${q}`, class: "muted", title: "Open these queries on the query page" }, "Explore")),
          h("div", { class: "graph" }, loading()));
      });
      replace(content, info, statRow, h("div", { class: "grid" }, cards));
      layout = { key, statRow, cards, charts: [], notes: [] };
    }
    const L = layout;

    await Promise.all([
      drawOverview(),
      ...stats.map(async (s) => {
        const el = /** @type {HTMLElement} */ (L.statRow.querySelector(`[data-stat="${s.id}"] .v`));
        try {
          const r = await api("query", { query: s.expr });
          const v = r.data.result?.[0]?.value?.[1];
          if (my !== seq) return;
          el.title = "";
          if (v === undefined) el.textContent = "-";
          else if (s.unit === "up") { el.textContent = v === "1" ? "UP" : "DOWN"; el.className = `v ${v === "1" ? "ok-text" : "err-text"}`; }
          else el.textContent = formatValue(Number(v), s.unit);
        } catch (e) {
          if (my !== seq) return;
          el.textContent = "error";
          el.title = e instanceof Error ? e.message : String(e);
        }
      }),
      ...panels.map(async (p, i) => {
        const card = L.cards[i];
        const target = /** @type {HTMLElement} */ (card.querySelector(".graph"));
        const res = await Promise.allSettled(p.queries.map((q) => api("query_range", { query: q.expr, start, end, step })));
        if (my !== seq) return;
        const failed = res.find((r) => r.status === "rejected");
        const ok = res.flatMap((r, k) => (r.status === "fulfilled" ? [{ r: r.value, legend: p.queries[k].legend }] : []));
        const series = ok.flatMap(({ r, legend }) => matrixToSeries(r.data.result ?? [], start, end, step, (m) => legendFormat(legend, m)).series);
        const warnings = ok.flatMap(({ r }) => r.warnings);
        L.notes[i]?.remove();
        L.notes[i] = null;
        L.charts[i]?.destroy();
        L.charts[i] = undefined;
        if (series.length === 0) {
          replace(target, failed ? errorBox(/** @type {PromiseRejectedResult} */ (failed).reason) : h("div", { class: "empty" }, "No data for this node yet."));
          return;
        }
        replace(target);
        const n = Math.max(1, Math.floor((end - start) / step + 1e-9) + 1);
        const xs = Array.from({ length: n }, (_, k) => start + k * step);
        L.charts[i] = await drawChart(target, { xs, series }, { stacked: p.stacked, unit: p.unit, height: 220 });
        const note = failed ? errorBox(/** @type {PromiseRejectedResult} */ (failed).reason) : warningBox(warnings);
        if (note) card.appendChild(note);
        L.notes[i] = note;
      }),
    ]);
  };
  select.addEventListener("change", () => {
    current = nodes.find((n) => `${n.job}\u0000${n.instance}` === select.value) ?? current;
    draw();
  });
  rangeSel.addEventListener("change", () => { range = rangeSel.value; draw(); });
  refresh.addEventListener("click", () => draw());
  await draw();
  setInterval(() => { if (!document.hidden) draw(); }, 30_000);
}

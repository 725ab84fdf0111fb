/**
 * @module static/js/pages/query
 * The query page: any number of panels, each with a PromQL editor, a Table tab (instant query at an
 * evaluation time) and a Graph tab (range query with range, end time, resolution, stacked/unstacked).
 * Errors and warnings from the API appear under the query. The whole state lives in the URL with
 * Prometheus's parameter names (`g0.expr`, `g0.tab` 0=graph 1=table, `g0.stacked`, `g0.range_input`,
 * `g0.end_input`, `g0.moment_input`, `g0.step_input`), so a link reproduces the view.
 */
import { api } from "../lib/api.js";
import { drawChart, matrixToSeries } from "../lib/chart.js";
import { addHistory, createEditor, errorOffset } from "../lib/editor.js";
import { errorBox, formatDurationSec, formatSeries, formatUtc, h, parseDurationSec, parseUtc, replace, warningBox } from "../lib/dom.js";

/** Zoom steps of the −/+ range buttons, in seconds. */
const RANGE_STEPS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200, 4838400, 31536000];
/** Points a graph aims for when no resolution is given. */
const TARGET_POINTS = 250;
/** Rows the table shows at most. */
const MAX_ROWS = 10000;

/**
 * @typedef {{ expr: string, tab: "graph" | "table", stacked: boolean, range: string, end: string, moment: string, step: string }} PanelState
 */

/** Reads panels from the URL (`g0.expr`…). @param {URLSearchParams} q @returns {PanelState[]} */
export function parseState(q) {
  /** @type {PanelState[]} */ const panels = [];
  for (let i = 0; q.has(`g${i}.expr`) || q.has(`g${i}.tab`); i++) {
    panels.push({
      expr: q.get(`g${i}.expr`) ?? "",
      tab: q.get(`g${i}.tab`) === "0" ? "graph" : "table",
      stacked: q.get(`g${i}.stacked`) === "1",
      range: q.get(`g${i}.range_input`) || "1h",
      end: q.get(`g${i}.end_input`) ?? "",
      moment: q.get(`g${i}.moment_input`) ?? "",
      step: q.get(`g${i}.step_input`) ?? "",
    });
  }
  return panels;
}

/** Writes panels into URL parameters. @param {PanelState[]} panels */
export function encodeState(panels) {
  const q = new URLSearchParams();
  panels.forEach((p, i) => {
    q.set(`g${i}.expr`, p.expr);
    q.set(`g${i}.tab`, p.tab === "graph" ? "0" : "1");
    q.set(`g${i}.stacked`, p.stacked ? "1" : "0");
    q.set(`g${i}.range_input`, p.range);
    if (p.end) q.set(`g${i}.end_input`, p.end);
    if (p.moment) q.set(`g${i}.moment_input`, p.moment);
    if (p.step) q.set(`g${i}.step_input`, p.step);
  });
  return q;
}

/** @returns {PanelState} */
const emptyPanel = () => ({ expr: "", tab: "table", stacked: false, range: "1h", end: "", moment: "", step: "" });

/** @param {HTMLElement} main */
export function render(main) {
  /** @type {PanelState[]} */
  const states = parseState(new URLSearchParams(location.search));
  if (states.length === 0) states.push(emptyPanel());
  const list = h("div", { class: "panels" });
  const sync = () => history.replaceState(null, "", `${location.pathname}?${encodeState(states)}`);
  const add = (/** @type {PanelState} */ st, /** @type {boolean} */ run) => {
    const el = panel(st, sync, () => {
      const i = states.indexOf(st);
      if (i >= 0) states.splice(i, 1);
      el.remove();
      sync();
    });
    list.appendChild(el);
    if (run && st.expr) el.dispatchEvent(new Event("run"));
    return el;
  };
  replace(main,
    h("div", { class: "page-head" }, h("h1", null, "Query"),
      h("button", { type: "button", class: "secondary", onclick: () => {
        const st = emptyPanel();
        states.push(st);
        sync();
        add(st, false).querySelector("textarea")?.focus();
      } }, "Add panel")),
    list);
  for (const st of states) add(st, true);
  list.querySelector("textarea")?.focus();
}

/**
 * One panel. Dispatching a "run" event on the returned element executes its query.
 * @param {PanelState} st @param {() => void} sync @param {() => void} remove
 */
function panel(st, sync, remove) {
  /** @type {AbortController | undefined} */ let inflight;
  /** @type {{destroy(): void} | undefined} */ let chart;
  /** @type {any} */ let lastGraph;
  const messages = h("div", { class: "panel-messages" });
  const stats = h("div", { class: "stats" });
  const body = h("div", { class: "panel-body" });
  const editor = createEditor({ value: st.expr, onRun: () => run(), onChange: (v) => { st.expr = v; sync(); } });

  const input = (/** @type {string} */ value, /** @type {string} */ placeholder, /** @type {(v: string) => void} */ set, /** @type {string} */ title, /** @type {string} */ cls = "") =>
    /** @type {HTMLInputElement} */ (h("input", { type: "text", class: cls, value, placeholder, title, "aria-label": title,
      onchange: (/** @type {Event} */ e) => { set(/** @type {HTMLInputElement} */ (e.target).value.trim()); sync(); run(); } }));
  const rangeIn = input(st.range, "1h", (v) => (st.range = v), "Range", "short");
  const endIn = input(st.end, "now (UTC: YYYY-MM-DD HH:MM:SS)", (v) => (st.end = v), "End time (UTC)");
  const stepIn = input(st.step, "auto", (v) => (st.step = v), "Resolution (step, e.g. 15s)", "short");
  const momentIn = input(st.moment, "now (UTC: YYYY-MM-DD HH:MM:SS)", (v) => (st.moment = v), "Evaluation time (UTC)");
  const zoom = (/** @type {number} */ dir) => {
    const cur = parseDurationSec(st.range) ?? 3600;
    const i = RANGE_STEPS.findIndex((s) => s >= cur);
    const next = dir < 0 ? RANGE_STEPS[Math.max(0, (i < 0 ? RANGE_STEPS.length : i) - 1)] : RANGE_STEPS[Math.min(RANGE_STEPS.length - 1, (RANGE_STEPS[i] === cur ? i + 1 : Math.max(i, 0)))];
    st.range = formatDurationSec(/** @type {number} */ (next));
    rangeIn.value = st.range;
    sync();
    run();
  };
  const shiftEnd = (/** @type {number} */ dir) => {
    const range = parseDurationSec(st.range) ?? 3600;
    const end = (st.end ? parseUtc(st.end) : null) ?? Date.now();
    st.end = formatUtc(end + (dir * range * 1000) / 2);
    endIn.value = st.end;
    sync();
    run();
  };
  const stackedBtn = h("button", { type: "button", class: "toggle", "aria-pressed": String(st.stacked), onclick: () => {
    st.stacked = !st.stacked;
    stackedBtn.setAttribute("aria-pressed", String(st.stacked));
    stackedBtn.textContent = st.stacked ? "Stacked" : "Unstacked";
    sync();
    if (lastGraph) showGraph(lastGraph);
  } }, st.stacked ? "Stacked" : "Unstacked");

  const graphControls = h("div", { class: "controls" },
    h("span", { class: "group" }, h("button", { type: "button", class: "icon", title: "Shorter range", onclick: () => zoom(-1) }, "−"), rangeIn,
      h("button", { type: "button", class: "icon", title: "Longer range", onclick: () => zoom(1) }, "+")),
    h("span", { class: "group" }, h("button", { type: "button", class: "icon", title: "Earlier", onclick: () => shiftEnd(-1) }, "‹"), endIn,
      h("button", { type: "button", class: "icon", title: "Later", onclick: () => shiftEnd(1) }, "›"),
      h("button", { type: "button", class: "icon", title: "Now", onclick: () => { st.end = ""; endIn.value = ""; sync(); run(); } }, "⟳")),
    h("label", { class: "group" }, "Res. ", stepIn, " s"),
    stackedBtn);
  const tableControls = h("div", { class: "controls" }, h("label", { class: "group" }, "Evaluation time ", momentIn,
    h("button", { type: "button", class: "icon", title: "Now", onclick: () => { st.moment = ""; momentIn.value = ""; sync(); run(); } }, "⟳")));

  const tabBtn = (/** @type {"table"|"graph"} */ t, /** @type {string} */ label) => h("button", {
    type: "button", role: "tab", class: "tab", "aria-selected": String(st.tab === t), dataset: { tab: t },
    onclick: () => { st.tab = t; sync(); updateTabs(); run(); },
  }, label);
  const tabs = h("div", { class: "tabs", role: "tablist" }, tabBtn("table", "Table"), tabBtn("graph", "Graph"));
  const controls = h("div", { class: "tab-controls" });
  const updateTabs = () => {
    for (const b of tabs.children) b.setAttribute("aria-selected", String(/** @type {HTMLElement} */ (b).dataset.tab === st.tab));
    replace(controls, st.tab === "graph" ? graphControls : tableControls);
  };
  updateTabs();

  const el = h("section", { class: "panel card" },
    h("div", { class: "panel-query" }, editor.element,
      h("button", { type: "button", class: "icon", title: "Format expression (/api/v1/format_query)", "aria-label": "Format expression", onclick: () => format() }, "{ }"),
      h("button", { type: "button", class: "primary", onclick: () => run() }, "Execute"),
      h("button", { type: "button", class: "icon", title: "Remove panel", "aria-label": "Remove panel", onclick: () => { inflight?.abort(); chart?.destroy(); remove(); } }, "×")),
    messages, tabs, controls, body, stats);
  el.addEventListener("run", () => run());

  /** @param {any} g */
  async function showGraph(g) {
    lastGraph = g;
    chart?.destroy();
    chart = undefined;
    if (g.data.resultType !== "matrix") {
      replace(body, errorBox(`the graph needs a range vector from query_range, got ${g.data.resultType}`));
      return;
    }
    if (g.data.result.length === 0) {
      replace(body, h("div", { class: "empty" }, "No data points found."));
      return;
    }
    const target = h("div", { class: "graph" });
    replace(body, target);
    chart = await drawChart(target, matrixToSeries(g.data.result, g.start, g.end, g.step), {
      stacked: st.stacked,
      // Dragging across the graph zooms in: the selection becomes the new range and end time.
      onZoom: (start, end) => {
        st.range = formatDurationSec(Math.max(1, end - start));
        st.end = formatUtc(end * 1000);
        rangeIn.value = st.range;
        endIn.value = st.end;
        sync();
        run();
      },
    });
  }

  async function format() {
    const expr = editor.value.trim();
    if (!expr) return;
    try {
      const r = await api("format_query", { query: expr }, { post: true });
      editor.value = String(r.data);
      st.expr = editor.value;
      sync();
      replace(messages);
    } catch (e) {
      replace(messages, errorBox(e, "Cannot format the expression"));
      const off = e instanceof Error ? errorOffset(e.message, expr) : null;
      editor.markError(off === null ? null : off + editor.value.length - editor.value.trimStart().length);
    }
  }

  async function run() {
    const expr = editor.value.trim();
    inflight?.abort();
    replace(messages);
    if (!expr) {
      replace(body);
      replace(stats);
      return;
    }
    addHistory(expr);
    const ctl = new AbortController();
    inflight = ctl;
    const t0 = performance.now();
    body.classList.add("busy");
    try {
      if (st.tab === "graph") {
        const range = parseDurationSec(st.range);
        if (range === null || range <= 0) throw new Error(`invalid range ${JSON.stringify(st.range)}: use a duration like 1h or 30m`);
        const endMs = st.end ? parseUtc(st.end) : Date.now();
        if (endMs === null) throw new Error(`invalid end time ${JSON.stringify(st.end)}: use YYYY-MM-DD HH:MM:SS (UTC)`);
        let step = st.step ? Number(st.step) : Math.max(1, Math.round(range / TARGET_POINTS));
        if (!(step > 0)) throw new Error(`invalid resolution ${JSON.stringify(st.step)}: use a number of seconds`);
        const end = Math.floor(endMs / 1000);
        const start = end - range;
        const r = await api("query_range", { query: expr, start, end, step }, { post: true, signal: ctl.signal });
        if (ctl.signal.aborted) return;
        replace(messages, warningBox(r.warnings), warningBox(r.infos, "info"));
        await showGraph({ data: r.data, start, end, step });
        replace(stats, `Load time: ${Math.round(performance.now() - t0)}ms · Resolution: ${step}s · Result series: ${r.data.result.length}`);
      } else {
        chart?.destroy();
        chart = undefined;
        const time = st.moment ? parseUtc(st.moment) : Date.now();
        if (time === null) throw new Error(`invalid evaluation time ${JSON.stringify(st.moment)}: use YYYY-MM-DD HH:MM:SS (UTC)`);
        const r = await api("query", { query: expr, time: time / 1000 }, { post: true, signal: ctl.signal });
        if (ctl.signal.aborted) return;
        replace(messages, warningBox(r.warnings), warningBox(r.infos, "info"));
        const { table, count } = resultTable(r.data);
        replace(body, table);
        replace(stats, `Load time: ${Math.round(performance.now() - t0)}ms · Result series: ${count}`);
      }
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") return;
      replace(messages, errorBox(e, "Error executing query"));
      const off = e instanceof Error ? errorOffset(e.message, expr) : null;
      editor.markError(off === null ? null : off + editor.value.length - editor.value.trimStart().length);
      replace(body);
      replace(stats);
    } finally {
      if (inflight === ctl) body.classList.remove("busy");
    }
  }
  return el;
}

/** Renders an instant query result as a table. @param {{resultType: string, result: any}} data */
export function resultTable(data) {
  const rows = [];
  let count = 0;
  switch (data.resultType) {
    case "vector":
      count = data.result.length;
      for (const s of data.result.slice(0, MAX_ROWS)) {
        rows.push(h("tr", null, h("td", { class: "series" }, formatSeries(s.metric)),
          h("td", { class: "num" }, s.value ? s.value[1] : s.histogram ? histogramText(s.histogram[1]) : "")));
      }
      break;
    case "matrix":
      count = data.result.length;
      for (const s of data.result.slice(0, MAX_ROWS)) {
        const vals = (s.values ?? []).map((/** @type {[number, string]} */ [t, v]) => `${v} @${t}`);
        const hs = (s.histograms ?? []).map((/** @type {[number, any]} */ [t, v]) => `${histogramText(v)} @${t}`);
        rows.push(h("tr", null, h("td", { class: "series" }, formatSeries(s.metric)),
          h("td", { class: "num" }, [...vals, ...hs].map((x) => h("div", null, x)))));
      }
      break;
    case "scalar":
    case "string":
      count = 1;
      rows.push(h("tr", null, h("td", { class: "series" }, data.resultType), h("td", { class: "num" }, data.result[1])));
      break;
  }
  if (count === 0) return { table: h("div", { class: "empty" }, "Empty query result"), count };
  const more = count > MAX_ROWS ? h("div", { class: "alert warning" }, `Showing the first ${MAX_ROWS} of ${count} series.`) : null;
  return { table: h("div", null, more, h("table", { class: "result" }, h("tbody", null, rows))), count };
}

/** @param {any} hist */
function histogramText(hist) {
  return `count: ${hist.count} sum: ${hist.sum}`;
}

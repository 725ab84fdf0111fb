/**
 * @module static/js/pages/status
 * The status pages: runtime and build information (/api/v1/status/runtimeinfo and buildinfo),
 * command-line flags (/api/v1/status/flags, filterable), the loaded configuration
 * (/api/v1/status/config, as YAML) and TSDB cardinality (/api/v1/status/tsdb: head stats and the top
 * metric names, label names and label pairs).
 */
import { api } from "../lib/api.js";
import { errorBox, formatUtc, formatValue, h, loading, replace } from "../lib/dom.js";

/** Display names of Prometheus's runtimeinfo and buildinfo fields (others show their own key). */
const NAMES = {
  startTime: "Start time", CWD: "Working directory", reloadConfigSuccess: "Configuration reload",
  lastConfigTime: "Last successful configuration reload", corruptionCount: "WAL corruptions",
  goroutineCount: "Goroutines", GOMAXPROCS: "GOMAXPROCS", GOMEMLIMIT: "GOMEMLIMIT", GOGC: "GOGC", GODEBUG: "GODEBUG",
  storageRetention: "Storage retention", hostname: "Hostname", serverTime: "Server time", version: "Version", revision: "Revision", branch: "Branch",
  buildUser: "Build user", buildDate: "Build date", goVersion: "Runtime version",
};

/** @param {HTMLElement} main @param {string} page */
export async function render(main, page) {
  const content = h("div", null, loading());
  const title = { status: "Runtime & build information", flags: "Command-line flags", config: "Configuration", "tsdb-status": "TSDB status" }[page] ?? page;
  replace(main, h("div", { class: "page-head" }, h("h1", null, title)), content);
  try {
    if (page === "flags") await flags(content);
    else if (page === "config") await config(content);
    else if (page === "tsdb-status") await tsdb(content);
    else await runtime(content);
  } catch (e) {
    replace(content, errorBox(e, `Cannot load ${title.toLowerCase()}`));
  }
}

/** @param {any} v */
function show(v) {
  if (typeof v === "boolean") return v ? "Successful" : "Unsuccessful";
  if (v === null || v === undefined || v === "") return "-";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** @param {Record<string, any>} obj */
function kvTable(obj) {
  return h("table", { class: "kv" }, h("tbody", null, Object.entries(obj).map(([k, v]) =>
    h("tr", null, h("th", null, NAMES[/** @type {keyof typeof NAMES} */ (k)] ?? k), h("td", { class: "mono" }, show(v))))));
}

/** @param {HTMLElement} el */
async function runtime(el) {
  const [rt, bi] = await Promise.allSettled([api("status/runtimeinfo"), api("status/buildinfo")]);
  replace(el,
    h("section", { class: "card" }, h("h2", null, "Runtime information"),
      rt.status === "fulfilled" ? kvTable(rt.value.data) : errorBox(rt.reason)),
    h("section", { class: "card" }, h("h2", null, "Build information"),
      bi.status === "fulfilled" ? kvTable(bi.value.data) : errorBox(bi.reason)));
}

/** @param {HTMLElement} el */
async function flags(el) {
  const r = await api("status/flags");
  const entries = Object.entries(r.data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const filter = /** @type {HTMLInputElement} */ (h("input", { type: "search", placeholder: "Filter flags", "aria-label": "Filter flags" }));
  const body = h("tbody");
  const draw = () => {
    const q = filter.value.toLowerCase();
    replace(body, entries.filter(([k, v]) => !q || k.toLowerCase().includes(q) || String(v).toLowerCase().includes(q))
      .map(([k, v]) => h("tr", null, h("td", { class: "mono" }, `--${k}`), h("td", { class: "mono" }, String(v)))));
  };
  filter.addEventListener("input", draw);
  draw();
  replace(el, h("div", { class: "toolbar" }, filter), h("section", { class: "card" },
    h("table", { class: "list" }, h("thead", null, h("tr", null, h("th", null, "Flag"), h("th", null, "Value"))), body)));
}

/** @param {HTMLElement} el */
async function config(el) {
  const r = await api("status/config");
  const yaml = String(r.data?.yaml ?? "");
  const copy = h("button", { type: "button", onclick: async () => {
    try { await navigator.clipboard.writeText(yaml); copy.textContent = "Copied"; } catch { copy.textContent = "Copy failed"; }
  } }, "Copy to clipboard");
  replace(el, h("div", { class: "toolbar" }, copy), h("pre", { class: "config" }, yaml));
}

/** @param {HTMLElement} el */
async function tsdb(el) {
  const r = await api("status/tsdb");
  const d = r.data ?? {};
  const hs = d.headStats ?? {};
  const time = (/** @type {number} */ ms) => (typeof ms === "number" && isFinite(ms) && Math.abs(ms) < 1e15 ? `${formatUtc(ms)} UTC` : "-");
  const top = (/** @type {string} */ title, /** @type {string} */ col, /** @type {any[]} */ rows, /** @type {string} */ unit = "") =>
    h("section", { class: "card" }, h("h2", null, title),
      (rows ?? []).length === 0 ? h("div", { class: "empty" }, "None") :
        h("table", { class: "list" }, h("thead", null, h("tr", null, h("th", null, col), h("th", { class: "num" }, unit === "bytes" ? "Bytes" : "Count"))),
          h("tbody", null, rows.map((x) => h("tr", null, h("td", { class: "mono" }, x.name), h("td", { class: "num" }, unit === "bytes" ? formatValue(x.value, "bytes") : String(x.value)))))));
  replace(el,
    h("div", { class: "stat-row" },
      [["Series", hs.numSeries], ["Label pairs", hs.numLabelPairs], ["Chunks", hs.chunkCount], ["Min time", time(hs.minTime)], ["Max time", time(hs.maxTime)]]
        .map(([k, v]) => h("div", { class: "stat" }, h("div", { class: "k" }, k), h("div", { class: "v" }, v ?? "-")))),
    h("div", { class: "grid" },
      top("Top series count by metric name", "Name", d.seriesCountByMetricName),
      top("Top label names with value count", "Name", d.labelValueCountByLabelName),
      top("Top label names with memory usage", "Name", d.memoryInBytesByLabelName, "bytes"),
      top("Top series count by label value pairs", "Name", d.seriesCountByLabelValuePair)));
}

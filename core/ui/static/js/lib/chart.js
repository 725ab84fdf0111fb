/**
 * @module static/js/lib/chart
 * Time-series charts on uPlot (vendored, loaded once from /static/vendor). Converts query_range matrix
 * results into uPlot's column layout on the query's own step grid (missing samples become gaps),
 * supports stacked areas (legend and tooltip still show each series' own value), follows the theme
 * (colors are read from CSS variables at draw time) and resizes with its container.
 */
import { PREFIX, formatSeries, formatTicks, formatUtc, formatValue, parseSampleValue } from "./dom.js";

/** Series colors (readable on light and dark backgrounds). */
export const PALETTE = ["#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16",
  "#f97316", "#6366f1", "#14b8a6", "#eab308", "#a855f7", "#22c55e", "#0ea5e9", "#e11d48"];

/** @type {Promise<any> | undefined} */ let loader;

/** Loads uPlot (the IIFE build defines `window.uPlot`) once. @returns {Promise<any>} */
export function loadUplot() {
  loader ??= new Promise((resolve, reject) => {
    const w = /** @type {any} */ (window);
    if (w.uPlot) return resolve(w.uPlot);
    const s = document.createElement("script");
    s.src = `${PREFIX}/static/vendor/uPlot.iife.min.js`;
    s.onload = () => resolve(w.uPlot);
    s.onerror = () => reject(new Error("cannot load the chart library (static/vendor/uPlot.iife.min.js)"));
    document.head.appendChild(s);
  });
  return loader;
}

/** @param {string} name */
function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/**
 * One chart series: a label and one value per x (null for a gap).
 * @typedef {{ label: string, values: (number | null)[] }} ChartSeries
 */

/**
 * Lays matrix results (`[{metric, values: [[t, "v"], ...]}]`) onto the grid start..end by step (all
 * seconds). `label` names each series (default: `name{labels}`). Non-finite values become gaps.
 * @param {Array<{metric: Record<string,string>, values?: [number, string][]}>} result
 * @param {number} start @param {number} end @param {number} step
 * @param {(metric: Record<string,string>) => string} [label]
 * @returns {{ xs: number[], series: ChartSeries[] }}
 */
export function matrixToSeries(result, start, end, step, label = formatSeries) {
  const n = Math.max(1, Math.floor((end - start) / step + 1e-9) + 1);
  const xs = Array.from({ length: n }, (_, i) => start + i * step);
  const series = result.map((r) => {
    /** @type {(number|null)[]} */ const values = new Array(n).fill(null);
    for (const [t, v] of r.values ?? []) {
      const i = Math.round((t - start) / step);
      const x = parseSampleValue(v);
      if (i >= 0 && i < n && isFinite(x)) values[i] = x;
    }
    return { label: label(r.metric), values };
  });
  return { xs, series };
}

/** Fills `{{label}}` placeholders from a label set (unknown names become ""). @param {string} tpl @param {Record<string,string>} m */
export function legendFormat(tpl, m) {
  return tpl.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, k) => m[k] ?? "");
}

/** Axis steps for byte units: 1, 2, 4 … 512 × 1024^k, so ticks read as round binary sizes. */
const BYTE_INCRS = [0, 1, 2, 3, 4, 5, 6].flatMap((k) => [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((m) => m * 1024 ** k));

/**
 * X-axis labels in UTC, 24-hour: HH:MM:SS under a minute apart, HH:MM within two days, else MM-DD HH:MM.
 * @param {any} _u @param {number[]} ticks (seconds) @param {number} _ai @param {number} _space @param {number} incr (seconds)
 */
function timeTicks(_u, ticks, _ai, _space, incr) {
  const span = ticks.length > 1 ? ticks[ticks.length - 1] - ticks[0] : 0;
  return ticks.map((t) => {
    const iso = new Date(t * 1000).toISOString();
    if (incr < 60) return iso.slice(11, 19);
    if (span <= 2 * 86400 && incr < 86400) return iso.slice(11, 16);
    return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  });
}

/**
 * uPlot point filter: indices whose value is present while both neighbours are gaps.
 * @param {any} u @param {number} si
 */
function isolated(u, si) {
  const ys = u.data[si];
  /** @type {number[]} */ const out = [];
  for (let i = 0; i < ys.length; i++) if (ys[i] != null && ys[i - 1] == null && ys[i + 1] == null) out.push(i);
  return out;
}

/** The last non-null value of a column. @param {(number|null)[] | undefined} vals */
function lastValue(vals) {
  for (let i = (vals?.length ?? 0) - 1; i >= 0; i--) if (vals?.[i] != null) return vals[i];
  return null;
}

/**
 * Draws (or redraws) a chart into `el`, replacing its content. Returns a handle to destroy it.
 * @param {HTMLElement} el
 * @param {{ xs: number[], series: ChartSeries[] }} data
 * `onZoom(start, end)` (seconds) replaces uPlot's own drag-zoom: the caller re-queries the range.
 * @param {{ stacked?: boolean, unit?: string, height?: number, legend?: boolean, onZoom?: (start: number, end: number) => void }} [opts]
 */
export async function drawChart(el, data, opts = {}) {
  const uPlot = await loadUplot();
  el.textContent = "";
  el.classList.add("chart");
  const stacked = !!opts.stacked;
  const raw = data.series.map((s) => s.values);
  /** @type {(number|null)[][]} */ let plotted = raw;
  if (stacked) {
    const acc = new Array(data.xs.length).fill(0);
    plotted = raw.map((vals) => vals.map((v, i) => (v === null ? null : (acc[i] += v))));
  }
  const fmt = (/** @type {number|null} */ v) => formatValue(v, opts.unit);
  const series = [
    { value: (/** @type {any} */ _u, /** @type {number} */ t) => (t == null ? "-" : formatUtc(t * 1000)) },
    ...data.series.map((s, i) => ({
      label: s.label,
      stroke: PALETTE[i % PALETTE.length],
      width: 1.5,
      fill: stacked ? PALETTE[i % PALETTE.length] + "55" : undefined,
      spanGaps: false,
      // Few points: draw them all; otherwise only samples with no neighbour (a line can't show those).
      points: data.xs.length < 60 ? { show: true } : { show: true, size: 5, filter: isolated },
      // At the cursor: that sample; without a cursor: the series' last value.
      value: (/** @type {any} */ _u, /** @type {any} */ _v, /** @type {number} */ si, /** @type {number|null} */ idx) =>
        fmt(idx == null ? lastValue(raw[si - 1]) : raw[si - 1]?.[idx] ?? null),
    })),
  ];
  const bands = stacked ? data.series.slice(1).map((_, i) => ({ series: [i + 2, i + 1] })) : undefined;
  const axis = {
    stroke: () => cssVar("--muted"),
    grid: { stroke: () => cssVar("--grid"), width: 1 },
    ticks: { stroke: () => cssVar("--grid"), width: 1 },
  };
  const width = Math.max(200, el.clientWidth || el.parentElement?.clientWidth || 600);
  const options = {
    width,
    height: opts.height ?? 300,
    series,
    bands,
    legend: { show: opts.legend !== false, live: true },
    cursor: { focus: { prox: 16 }, drag: { x: true, y: false, setScale: !opts.onZoom } },
    hooks: opts.onZoom ? {
      setSelect: [(/** @type {any} */ u) => {
        if (u.select.width < 5) return;
        const a = u.posToVal(u.select.left, "x"), b = u.posToVal(u.select.left + u.select.width, "x");
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        opts.onZoom?.(Math.floor(a), Math.ceil(b));
      }],
    } : undefined,
    focus: { alpha: 0.3 },
    scales: { x: { time: true } },
    tzDate: (/** @type {number} */ ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    axes: [{ ...axis, values: timeTicks, space: 60 }, {
      ...axis,
      incrs: opts.unit === "bytes" || opts.unit === "Bps" ? BYTE_INCRS : undefined,
      values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => formatTicks(ticks, opts.unit),
      size: (/** @type {any} */ _u, /** @type {string[] | null} */ values) => (values ? Math.max(40, ...values.map((v) => v.length * 7 + 22)) : 50),
    }],
  };
  const u = new uPlot(options, [data.xs, ...plotted], el);
  // How many samples are drawn (read by the e2e tests, handy when debugging).
  el.dataset.samples = String(raw.reduce((n, vals) => n + vals.filter((v) => v !== null).length, 0));
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w > 0 && Math.abs(w - u.width) > 2) u.setSize({ width: w, height: u.height });
  });
  ro.observe(el);
  const onTheme = () => u.redraw(false, true);
  window.addEventListener("quiver-theme", onTheme);
  return {
    uplot: u,
    destroy() {
      ro.disconnect();
      window.removeEventListener("quiver-theme", onTheme);
      u.destroy();
    },
  };
}

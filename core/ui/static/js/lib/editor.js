/**
 * @module static/js/lib/editor
 * The PromQL input: a plain <textarea> (so native editing, undo and IME keep working) over a <pre>
 * that shows the same text highlighted, and a completion list for metric names (with type and help
 * from /api/v1/metadata), function names (the server's parser table), aggregations and keywords,
 * label names and label values (from /api/v1/labels and /api/v1/label/<name>/values, narrowed to the
 * metric being typed), and range durations.
 *
 * Keys: Enter runs the query (Shift+Enter inserts a newline); with the list open, ↑/↓ move, Enter or
 * Tab accept, Escape closes; Ctrl+Space opens the list.
 */
import { api, functions } from "./api.js";
import { h } from "./dom.js";
import { AGGREGATIONS, KEYWORDS, completionContext, lex } from "./promql-lex.js";

const DURATIONS = ["1m", "5m", "10m", "15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d", "30s"];
const MAX_ITEMS = 50;

/** Shared completion data sources, cached for a minute. */
class Sources {
  /** @type {Map<string, {at: number, p: Promise<any>}>} */ cache = new Map();
  /** @param {string} key @param {() => Promise<any>} load */
  get(key, load) {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.p;
    const p = load().catch(() => null);
    this.cache.set(key, { at: Date.now(), p });
    return p;
  }
  metricNames() {
    return this.get("names", async () => (await api("label/__name__/values")).data ?? []);
  }
  metadata() {
    return this.get("meta", async () => (await api("metadata")).data ?? {});
  }
  /** @param {string | undefined} metric */
  labelNames(metric) {
    return this.get(`ln:${metric ?? ""}`, async () => (await api("labels", { "match[]": metric ? [metric] : undefined })).data ?? []);
  }
  /** @param {string} label @param {string | undefined} metric */
  labelValues(label, metric) {
    return this.get(`lv:${label}:${metric ?? ""}`, async () =>
      (await api(`label/${encodeURIComponent(label)}/values`, { "match[]": metric ? [metric] : undefined })).data ?? []);
  }
}

const sources = new Sources();

/**
 * @typedef {{ label: string, kind: string, detail?: string, info?: string, insert: string, cursor?: number, whole?: boolean }} Item
 * `whole`: the item replaces the entire expression (query history).
 */

const HISTORY_KEY = "quiver.history";
const HISTORY_MAX = 50;

/** Past expressions, most recent first (localStorage; empty when storage is unavailable). @returns {string[]} */
export function loadHistory() {
  try {
    const v = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Records an executed expression at the front of the history. @param {string} expr */
export function addHistory(expr) {
  const e = expr.trim();
  if (!e) return;
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify([e, ...loadHistory().filter((x) => x !== e)].slice(0, HISTORY_MAX)));
  } catch { /* storage full or disabled: history is a convenience */ }
}

/**
 * Renders `src` highlighted, as DOM nodes (never HTML). `errorAt` (a character offset) gets a wavy
 * underline: the position of the server's parse error.
 * @param {string} src @param {Set<string>} fns @param {number | null} [errorAt]
 */
export function highlight(src, fns, errorAt = null) {
  const frag = document.createDocumentFragment();
  for (const t of lex(src, fns)) {
    if (errorAt !== null && errorAt >= t.start && errorAt < t.end) {
      const k = errorAt - t.start;
      const cls = t.type === "ws" ? "" : `tok-${t.type}`;
      if (k > 0) frag.appendChild(h("span", { class: cls }, t.text.slice(0, k)));
      frag.appendChild(h("span", { class: `${cls} error-mark` }, t.text.slice(k)));
    } else if (t.type === "ws") frag.appendChild(document.createTextNode(t.text));
    else frag.appendChild(h("span", { class: `tok-${t.type}` }, t.text));
  }
  if (errorAt !== null && errorAt >= src.length) frag.appendChild(h("span", { class: "error-mark" }, " "));
  frag.appendChild(document.createTextNode("\n")); // keeps the last line's height when src ends with \n
  return frag;
}

/**
 * Finds where a Prometheus parse error points: "1:15: parse error: …" (line:column, 1-based) or
 * "parse error at char 15: …"; returns a 0-based offset into `src`, or null.
 * @param {string} message @param {string} src
 */
export function errorOffset(message, src) {
  let m = /\b(\d+):(\d+)(?::\d+)?: parse error/.exec(message);
  if (m) {
    const lines = src.split("\n");
    const line = Math.min(Number(m[1]), lines.length);
    let off = 0;
    for (let i = 0; i < line - 1; i++) off += (lines[i]?.length ?? 0) + 1;
    return Math.min(src.length, off + Number(m[2]) - 1);
  }
  m = /parse error at char (\d+)/.exec(message);
  return m ? Math.min(src.length, Number(m[1]) - 1) : null;
}

/**
 * Creates an editor. `onRun` is called on Enter; `onChange` after every edit.
 * @param {{ value?: string, placeholder?: string, onRun?: () => void, onChange?: (v: string) => void }} opts
 */
export function createEditor(opts = {}) {
  /** @type {Set<string>} */ let fnNames = new Set();
  /** @type {any[]} */ let fnList = [];
  const pre = h("pre", { class: "editor-hl", "aria-hidden": "true" });
  const ta = /** @type {HTMLTextAreaElement} */ (h("textarea", {
    class: "editor-input", rows: 1, spellcheck: "false", autocomplete: "off", autocapitalize: "off",
    placeholder: opts.placeholder ?? "Expression (press Shift+Enter for newlines)", "aria-label": "PromQL expression",
    "aria-autocomplete": "list",
  }));
  ta.value = opts.value ?? "";
  const list = h("ul", { class: "completions", role: "listbox", hidden: true });
  const root = h("div", { class: "editor" }, pre, ta, list);
  /** @type {Item[]} */ let items = [];
  let sel = 0;
  let from = 0;
  let seq = 0;

  /** @type {number | null} */ let errorAt = null;
  const render = () => {
    pre.textContent = "";
    pre.appendChild(highlight(ta.value, fnNames, errorAt));
    ta.style.height = "auto";
    ta.style.height = `${ta.scrollHeight}px`;
  };
  functions().then((fs) => {
    fnList = fs;
    fnNames = new Set(fs.map((f) => f.name));
    render();
  });

  const close = () => {
    list.hidden = true;
    items = [];
    ta.setAttribute("aria-expanded", "false");
  };
  const show = () => {
    list.textContent = "";
    if (items.length === 0) return close();
    items.forEach((it, i) => {
      const li = h("li", {
        role: "option", "aria-selected": i === sel ? "true" : "false", class: i === sel ? "selected" : "",
        onmousedown: (/** @type {Event} */ e) => { e.preventDefault(); sel = i; accept(); },
      },
      h("span", { class: `kind kind-${it.kind}` }, it.kind[0]),
      h("span", { class: "label" }, it.label),
      it.detail ? h("span", { class: "detail" }, it.detail) : null,
      it.info ? h("div", { class: "info" }, it.info) : null);
      list.appendChild(li);
    });
    list.hidden = false;
    ta.setAttribute("aria-expanded", "true");
    list.children[sel]?.scrollIntoView({ block: "nearest" });
  };
  const accept = () => {
    const it = items[sel];
    if (!it) return close();
    const pos = ta.selectionStart;
    const v = ta.value;
    const start = it.whole ? 0 : from;
    ta.value = it.whole ? it.insert : v.slice(0, from) + it.insert + v.slice(pos);
    const c = start + (it.cursor ?? it.insert.length);
    ta.setSelectionRange(c, c);
    close();
    render();
    opts.onChange?.(ta.value);
    ta.focus();
  };

  const complete = async (/** @type {boolean} */ explicit) => {
    const my = ++seq;
    const pos = ta.selectionStart;
    if (pos !== ta.selectionEnd) return close();
    const ctx = completionContext(ta.value, pos);
    if (ctx.kind === "none" || (!explicit && ctx.kind === "metricOrFunction" && ctx.prefix.length === 0)) return close();
    const found = await candidates(ctx, fnList);
    if (my !== seq) return;
    const p = ctx.prefix.toLowerCase();
    items = found.filter((it) => it.label.toLowerCase().includes(p) && it.label !== ctx.prefix);
    items.sort((a, b) => score(a, p) - score(b, p) || (a.label < b.label ? -1 : 1));
    items = items.slice(0, MAX_ITEMS);
    // Past queries containing the whole expression typed so far come first.
    const whole = ta.value.trim().toLowerCase();
    if (ctx.kind === "metricOrFunction" && (explicit || whole.length >= 2)) {
      const past = loadHistory().filter((x) => x.toLowerCase().includes(whole) && x !== ta.value.trim()).slice(0, 5);
      items = [...past.map((x) => ({ label: x, kind: "history", detail: "history", insert: x, whole: true })), ...items];
    }
    from = ctx.from;
    sel = 0;
    show();
  };

  ta.addEventListener("input", () => {
    errorAt = null;
    render();
    opts.onChange?.(ta.value);
    complete(false);
  });
  ta.addEventListener("scroll", () => { pre.scrollTop = ta.scrollTop; pre.scrollLeft = ta.scrollLeft; });
  ta.addEventListener("blur", () => setTimeout(close, 100));
  ta.addEventListener("keydown", (e) => {
    if (!list.hidden && items.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        sel = (sel + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        show();
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        accept();
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        close();
        return;
      }
    }
    if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      complete(true);
    } else if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      close();
      opts.onRun?.();
    }
  });
  render();
  return {
    element: root,
    textarea: ta,
    get value() { return ta.value; },
    set value(v) { ta.value = v; render(); },
    focus() { ta.focus(); },
    /** Underlines the character at `offset` (null clears it). @param {number | null} offset */
    markError(offset) { errorAt = offset; render(); },
  };
}

/** Lower is better: prefix matches first, then shorter names. @param {Item} it @param {string} p */
function score(it, p) {
  const l = it.label.toLowerCase();
  return (l.startsWith(p) ? 0 : 1000) + l.length;
}

/**
 * @param {ReturnType<typeof completionContext>} ctx
 * @param {any[]} fnList
 * @returns {Promise<Item[]>}
 */
async function candidates(ctx, fnList) {
  switch (ctx.kind) {
    case "labelName": {
      const names = (await sources.labelNames(ctx.metric)) ?? [];
      return names.filter((/** @type {string} */ n) => n !== "__name__" || !ctx.metric)
        .map((/** @type {string} */ n) => ({ label: n, kind: "label", insert: n }));
    }
    case "labelValue": {
      const vals = (await sources.labelValues(/** @type {string} */ (ctx.label), ctx.metric)) ?? [];
      const q = ctx.quote || '"';
      return vals.map((/** @type {string} */ v) => {
        const esc = JSON.stringify(v).slice(1, -1);
        return { label: v, kind: "value", insert: `${q}${esc}${q}` };
      });
    }
    case "duration":
      return DURATIONS.map((d) => ({ label: d, kind: "duration", insert: d }));
    case "metricOrFunction": {
      const [names, meta] = await Promise.all([sources.metricNames(), sources.metadata()]);
      /** @type {Item[]} */ const out = [];
      for (const f of fnList) {
        const args = f.argTypes.map((/** @type {string} */ t, /** @type {number} */ i) =>
          f.variadic !== 0 && i === f.argTypes.length - 1 ? `${t}${f.variadic < 0 ? "..." : "?"}` : t).join(", ");
        out.push({ label: f.name, kind: "function", detail: `(${args}) → ${f.returnType}${f.experimental ? " · experimental" : ""}`, insert: `${f.name}()`, cursor: f.name.length + 1 });
      }
      for (const a of AGGREGATIONS) out.push({ label: a, kind: "aggregation", detail: "aggregation", insert: `${a}()`, cursor: a.length + 1 });
      for (const k of KEYWORDS) out.push({ label: k, kind: "keyword", insert: k });
      for (const n of names ?? []) {
        const m = meta?.[n]?.[0];
        out.push({ label: n, kind: "metric", detail: m?.type, info: m?.help, insert: n });
      }
      return out;
    }
    default:
      return [];
  }
}

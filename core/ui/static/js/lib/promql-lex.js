/**
 * @module static/js/lib/promql-lex
 * A forgiving PromQL tokenizer for the editor: it never throws, covers every input character with a
 * token (so highlighting is lossless), and tracks the context the completion needs (inside a selector's
 * braces, after a label matcher operator, inside a grouping clause, inside a range's brackets).
 */

/** Aggregation operators. */
export const AGGREGATIONS = ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk",
  "count_values", "quantile", "limitk", "limit_ratio"];
/** Keywords (modifiers and set operators). */
export const KEYWORDS = ["by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or",
  "unless", "atan2", "start", "end", "smoothed", "anchored"];

/**
 * @typedef {{ type: string, text: string, start: number, end: number }} Token
 * Types: ws, comment, string, number, duration, ident, keyword, aggregation, function, label, op, paren,
 * brace, bracket, comma, error.
 */

/**
 * Splits `src` into tokens. `fnNames` marks identifiers followed by "(" as functions.
 * @param {string} src @param {Set<string>} [fnNames]
 * @returns {Token[]}
 */
export function lex(src, fnNames) {
  /** @type {Token[]} */ const out = [];
  let i = 0;
  let braceDepth = 0;
  const push = (/** @type {string} */ type, /** @type {number} */ start) => out.push({ type, text: src.slice(start, i), start, end: i });
  while (i < src.length) {
    const c = src[i];
    const s = i;
    if (/\s/.test(c)) {
      while (i < src.length && /\s/.test(src[i])) i++;
      push("ws", s);
    } else if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      push("comment", s);
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === "\\" && c !== "`" ? 2 : 1;
      i = Math.min(i + 1, src.length);
      push("string", s);
    } else if (/[0-9.]/.test(c) && /[0-9.]/.test(src[i + 1] ?? "") || /[0-9]/.test(c)) {
      const m = /^(?:\d+(?:ms|[smhdwy]))+|^0[xX][0-9a-fA-F]+|^(?:\d*\.?\d+(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
      i += m ? m[0].length : 1;
      push(/[a-z]$/.test(src.slice(s, i)) && !/^0x/i.test(src.slice(s, i)) ? "duration" : "number", s);
    } else if (/[a-zA-Z_:]/.test(c)) {
      while (i < src.length && /[a-zA-Z0-9_:]/.test(src[i])) i++;
      const word = src.slice(s, i);
      let j = i;
      while (j < src.length && /\s/.test(src[j])) j++;
      const next = src[j];
      let type = "ident";
      if (braceDepth > 0) type = "label";
      else if (AGGREGATIONS.includes(word.toLowerCase()) && (next === "(" || /^\s*(by|without)\b/i.test(src.slice(i)))) type = "aggregation";
      else if (KEYWORDS.includes(word.toLowerCase()) && !(next === "{" || next === "[")) type = "keyword";
      else if (next === "(" && (!fnNames || fnNames.has(word))) type = "function";
      else if (/^(inf|nan)$/i.test(word)) type = "number";
      push(type, s);
    } else if (c === "{") {
      braceDepth++;
      i++;
      push("brace", s);
    } else if (c === "}") {
      braceDepth = Math.max(0, braceDepth - 1);
      i++;
      push("brace", s);
    } else if (c === "(" || c === ")") {
      i++;
      push("paren", s);
    } else if (c === "[" || c === "]") {
      i++;
      push("bracket", s);
    } else if (c === ",") {
      i++;
      push("comma", s);
    } else {
      const m = /^(?:=~|!~|!=|==|<=|>=|[-+*/%^<>=@:])/.exec(src.slice(i));
      i += m ? m[0].length : 1;
      push(m ? "op" : "error", s);
    }
  }
  return out;
}

/**
 * What completion fits at `pos`:
 * - `{kind: "labelName", metric, prefix}` inside braces before an operator, or in by/without/on/ignoring (...);
 * - `{kind: "labelValue", metric, label, prefix, quote}` after `label=` / `label=~` …;
 * - `{kind: "duration", prefix}` inside `[...]`;
 * - `{kind: "metricOrFunction", prefix}` on an identifier (or empty) in expression position;
 * - `{kind: "none"}` inside strings, comments and numbers.
 * `from` is where the replaced text starts.
 * @param {string} src @param {number} pos
 */
export function completionContext(src, pos) {
  const before = src.slice(0, pos);
  const toks = lex(before);
  const last = toks[toks.length - 1];
  // Inside an unterminated string: maybe a label value.
  if (last && last.type === "string" && (last.text.length === 1 || last.text[last.text.length - 1] !== last.text[0] || last.text.length < 2)) {
    const sel = selectorContext(toks.slice(0, -1));
    if (sel && sel.label) {
      return { kind: "labelValue", metric: sel.metric, label: sel.label, prefix: last.text.slice(1), quote: last.text[0], from: last.start };
    }
    return { kind: "none", prefix: "", from: pos };
  }
  if (last && (last.type === "comment" || last.type === "number" || last.type === "string")) return { kind: "none", prefix: "", from: pos };
  const word = last && /^(ident|label|keyword|aggregation|function)$/.test(last.type) ? last : null;
  const prefix = word ? word.text : "";
  const from = word ? word.start : pos;
  const ctxToks = word ? toks.slice(0, -1) : toks;
  // Range brackets.
  const openB = lastUnclosed(ctxToks, "[", "]");
  if (openB >= 0) return { kind: "duration", prefix: last?.type === "duration" ? last.text : prefix, from: last?.type === "duration" ? last.start : from };
  const sel = selectorContext(ctxToks);
  if (sel) {
    if (sel.label && sel.afterOp) return { kind: "labelValue", metric: sel.metric, label: sel.label, prefix: "", quote: "", from: pos };
    if (!sel.label) return { kind: "labelName", metric: sel.metric, prefix, from };
  }
  const openP = lastUnclosed(ctxToks, "(", ")");
  if (openP >= 0) {
    const kw = prevSignificant(ctxToks, openP);
    if (kw && /^(by|without|on|ignoring|group_left|group_right)$/i.test(kw.text)) return { kind: "labelName", metric: undefined, prefix, from };
  }
  return { kind: "metricOrFunction", prefix, from };
}

/** @param {Token[]} toks @param {string} open @param {string} close */
function lastUnclosed(toks, open, close) {
  let depth = 0;
  for (let k = toks.length - 1; k >= 0; k--) {
    const t = toks[k];
    if (t.text === close) depth++;
    else if (t.text === open) {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

/** @param {Token[]} toks @param {number} k */
function prevSignificant(toks, k) {
  for (let j = k - 1; j >= 0; j--) if (toks[j].type !== "ws" && toks[j].type !== "comment") return toks[j];
  return undefined;
}

/**
 * When the tokens end inside `{...}`: the metric before the brace, and (after `label op`) the label.
 * @param {Token[]} toks
 * @returns {{ metric: string | undefined, label?: string, afterOp?: boolean } | null}
 */
function selectorContext(toks) {
  const k = lastUnclosed(toks, "{", "}");
  if (k < 0) return null;
  const m = prevSignificant(toks, k);
  const metric = m && (m.type === "ident" || m.type === "function") ? m.text : undefined;
  const inner = toks.slice(k + 1).filter((t) => t.type !== "ws");
  const tail = inner.slice(inner.lastIndexOf(inner.findLast((t) => t.type === "comma") ?? /** @type {any} */ (null)) + 1);
  if (tail.length >= 2 && (tail[0].type === "label" || tail[0].type === "ident") && tail[1].type === "op") {
    return { metric, label: tail[0].text, afterOp: tail.length === 2 };
  }
  return { metric };
}

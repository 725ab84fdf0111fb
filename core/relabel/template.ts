/**
 * @module core/relabel/template
 * Expansion of `$1`, `${1}`, `$name`, `${name}` and `$$` in relabel replacements and target labels,
 * with the exact rules of Go's `regexp.Regexp.Expand` (which Prometheus uses):
 *
 * - a name is the longest run of letters, digits and `_`, so `$1x` means the group named `1x` (empty),
 *   not group 1 followed by `x`; write `${1}x` for that;
 * - an all-digit name selects a group by index; leading zeros or values of 1e8 and more select nothing;
 * - a reference to a missing or unmatched group expands to "";
 * - `$$` is a literal `$`, and a `$` not followed by a valid reference stays literal.
 */

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Whether a template contains a `$` (and therefore may need expansion). */
export function hasTemplateVar(template: string): boolean {
  return template.includes("$");
}

/**
 * Expands `template` against a regex match (the array `RegExp.exec` returns).
 * @example expandTemplate("${1}-x", /(a)(b)/.exec("ab")!) // "a-x"
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  let t = template;
  for (;;) {
    const i = t.indexOf("$");
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith("$")) {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const ref = extractRef(t);
    if (!ref) {
      out += "$";
      continue;
    }
    t = t.slice(ref.consumed);
    if (ref.num >= 0) {
      out += match[ref.num] ?? "";
    } else {
      out += match.groups?.[ref.name] ?? "";
    }
  }
  return out + t;
}

/** Parses the reference after a `$`, as Go's regexp `extract` does. */
function extractRef(s: string): { name: string; num: number; consumed: number } | null {
  if (s === "") return null;
  let brace = false;
  let start = 0;
  if (s[0] === "{") {
    brace = true;
    start = 1;
  }
  let i = start;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return null;
  const name = s.slice(start, i);
  if (brace) {
    if (s[i] !== "}") return null;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 48 || c > 57 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 48);
  }
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, consumed: i };
}

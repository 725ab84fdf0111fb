/**
 * @module exporters/blackbox/regex
 * Go (RE2) regular expressions from blackbox.yml, compiled unanchored through core/model/regex.ts, after
 * rewriting repeated empty-width assertions, which RE2 accepts and JavaScript rejects: `^+` / `$+` (and
 * `{n,}` with n ≥ 1) mean the assertion itself, `^*` / `^?` match the empty string. blackbox_exporter's
 * own default blackbox.yml uses `^+OK`.
 */
import { compileUnanchored } from "../../core/model/regex.ts";

/** Rewrites quantified `^`/`$` outside character classes (see module doc). */
export function rewriteRepeatedAssertions(p: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      out += c + (p[i + 1] ?? "");
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (p[i + 1] === "^") out += p[++i];
      if (p[i + 1] === "]") out += p[++i];
      continue;
    }
    if (c === "^" || c === "$") {
      const rest = p.slice(i + 1);
      const m = /^(\+|\*|\?|\{(\d+)(,\d*)?\})\??/.exec(rest);
      if (m) {
        const keep = m[1] === "+" || (m[2] !== undefined && Number(m[2]) >= 1);
        if (keep) out += c;
        i += m[0].length;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Compiles a Go regexp for unanchored matching. @throws RegexError (from core/model/regex.ts). */
export function compileGoRegex(pattern: string, global = false): RegExp {
  return compileUnanchored(rewriteRepeatedAssertions(pattern), global);
}

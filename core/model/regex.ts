/**
 * @module core/model/regex
 * RE2-compatible regular expressions for label matchers and relabeling.
 *
 * Prometheus compiles every label regex with Go's RE2 as `^(?s:<re>)$`: fully anchored, `.` matches
 * newline. JavaScript's engine accepts more than RE2 (backreferences, lookaround), so we reject those
 * constructs with RE2's wording, translate the few RE2-only spellings (`(?i)` flag groups, `\z`,
 * `\Q…\E`, `[[:alpha:]]`), and compile with the `s` and `u` flags.
 */

/** Thrown when a pattern is not valid RE2. The message mirrors Go's `error parsing regexp: …`. */
export class RegexError extends Error {
  constructor(readonly pattern: string, reason: string) {
    super(`error parsing regexp: ${reason}: \`${pattern}\``);
    this.name = "RegexError";
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

/**
 * Translates an RE2 pattern into JavaScript source plus flags. Throws {@link RegexError} for syntax RE2
 * rejects. Inline flag groups other than a leading `(?i)`/`(?s)`/`(?is)` become scoped modifier groups.
 */
export function translateRE2(pattern: string): { source: string; flags: string } {
  let src = "";
  let flags = "";
  let i = 0;
  const lead = /^\(\?([ims]+)\)/.exec(pattern);
  if (lead) {
    if (lead[1]!.includes("i")) flags += "i";
    if (lead[1]!.includes("m")) flags += "m";
    i = lead[0].length;
  }
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      const d = pattern[i + 1];
      if (d === undefined) throw new RegexError(pattern, "trailing backslash at end of expression");
      if (d >= "1" && d <= "9" && !inClass) throw new RegexError(pattern, `invalid escape sequence: \`\\${d}\``);
      if (d === "z") { src += "$"; i += 2; continue; }
      if (d === "A") { src += "^"; i += 2; continue; }
      if (d === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        const lit = pattern.slice(i + 2, end < 0 ? undefined : end);
        src += lit.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (d === "k" || d === "g") throw new RegexError(pattern, `invalid escape sequence: \`\\${d}\``);
      src += c + d;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "[" && pattern[i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
        if (m && POSIX_CLASSES[m[2]!] !== undefined) {
          if (m[1]) throw new RegexError(pattern, "negated POSIX class unsupported");
          src += POSIX_CLASSES[m[2]!];
          i += m[0].length;
          continue;
        }
      }
      if (c === "]") inClass = false;
      src += c === "[" ? "\\[" : c;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      src += c;
      i++;
      if (pattern[i] === "^") { src += "^"; i++; }
      if (pattern[i] === "]") { src += "\\]"; i++; }
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith("=") || rest.startsWith("!") || rest.startsWith("<=") || rest.startsWith("<!")) {
        throw new RegexError(pattern, `invalid or unsupported Perl syntax: \`(?${rest[0]}\``);
      }
      if (rest.startsWith("P<")) { src += "(?<"; i += 4; continue; }
      const fm = /^([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (fm) {
        if (fm[3] === ")") {
          // A mid-pattern flag group applies to the rest of the enclosing group; approximate by flags on all.
          if (fm[1]!.includes("i") && !flags.includes("i")) flags += "i";
          i += 2 + fm[0].length;
          continue;
        }
        const on = fm[1]!.replace(/[sU]/g, ""), off = (fm[2] ?? "").replace(/[sU]/g, "");
        src += on || off ? `(?${on}${off ? "-" + off : ""}:` : "(?:";
        i += 2 + fm[0].length;
        continue;
      }
      if (!rest.startsWith("<")) throw new RegexError(pattern, `invalid or unsupported Perl syntax: \`(?${rest[0] ?? ""}\``);
    }
    if (c === "^" || c === "$") {
      // RE2 accepts quantified empty-width assertions (`^+OK` in blackbox_exporter's defaults); JS does
      // not. `^+` / `^{n,}` (n ≥ 1) are the assertion itself; `^*`, `^?`, `^{0,…}` match the empty string.
      const q = /^(\+|\*|\?|\{(\d+)(,\d*)?\})\??/.exec(pattern.slice(i + 1));
      if (q) {
        if (q[1] === "+" || (q[2] !== undefined && Number(q[2]) >= 1)) src += c;
        i += 1 + q[0].length;
        continue;
      }
    }
    if ((c === "*" || c === "+" || c === "?") && /[*+]$/.test(src) && !/\\[*+]$/.test(src)) {
      if (c !== "?") throw new RegexError(pattern, `invalid nested repetition operator: \`${pattern[i - 1]}${c}\``);
    }
    src += c;
    i++;
  }
  if (inClass) throw new RegexError(pattern, `missing closing ]: \`${pattern.slice(pattern.lastIndexOf("["))}\``);
  return { source: src, flags: flags + "s" };
}

const cache = new Map<string, RegExp>();

/**
 * Compiles an RE2 pattern fully anchored, as Prometheus does for label matchers and relabel regexes.
 * Results are cached (bounded); the returned RegExp has no `g` flag so it is safe to share.
 */
export function compileAnchored(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  const { source, flags } = translateRE2(pattern);
  try {
    re = new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new RegexError(pattern, (e as Error).message.replace(/^Invalid regular expression: /, ""));
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Compiles an RE2 pattern unanchored (for template functions such as reReplaceAll and match). */
export function compileUnanchored(pattern: string, global = false): RegExp {
  const { source, flags } = translateRE2(pattern);
  try {
    return new RegExp(source, flags + (global ? "g" : ""));
  } catch (e) {
    throw new RegexError(pattern, (e as Error).message.replace(/^Invalid regular expression: /, ""));
  }
}

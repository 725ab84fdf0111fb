/**
 * @module core/alerting/matchers
 * Alertmanager's label matchers as written in configs, silences and amtool: `name="value"`, `name=~"re"`,
 * `name!=value`, `name!~"re"`, optionally inside `{…}` and comma-separated. Values may be quoted (Go string
 * escapes) or bare; regexes are fully anchored RE2 (core/model/matcher.ts).
 */
import { Matcher, newMatcher, type MatchType } from "../model/matcher.ts";

/** Error for a malformed matcher. */
export class MatcherParseError extends Error {}

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  if (!s.endsWith('"') || s.length < 2) throw new MatcherParseError(`unterminated quoted string ${s}`);
  return JSON.parse(s.replace(/\\'/g, "'")) as string;
}

/** Splits on commas outside double quotes. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && q) {
      cur += c + (s[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') q = !q;
    if (c === "," && !q) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (q) throw new MatcherParseError(`unterminated quoted string in ${JSON.stringify(s)}`);
  out.push(cur);
  return out;
}

const ONE = /^\s*("(?:[^"\\]|\\.)*"|[^\s=!~"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses one matcher such as `severity=~"crit|warn"`. Throws MatcherParseError. */
export function parseMatcher(s: string): Matcher {
  const m = ONE.exec(s);
  if (!m) throw new MatcherParseError(`bad matcher format: ${s}`);
  const name = unquote(m[1]!);
  const op = m[2] as MatchType;
  let raw = m[3]!;
  if (raw.startsWith('"')) raw = unquote(raw);
  else if (/["]/.test(raw)) throw new MatcherParseError(`bad matcher format: ${s}`);
  if (name === "") throw new MatcherParseError(`bad matcher format: ${s}`);
  try {
    return newMatcher(op, name, raw);
  } catch (e) {
    throw new MatcherParseError(`invalid regular expression in ${s}: ${(e as Error).message}`);
  }
}

/** Parses a matcher list: `{a="b", c=~"d"}` or `a="b",c=~"d"`. An empty input gives no matchers. */
export function parseMatchers(s: string): Matcher[] {
  let t = s.trim();
  if (t.startsWith("{")) {
    if (!t.endsWith("}")) throw new MatcherParseError(`missing closing brace in ${JSON.stringify(s)}`);
    t = t.slice(1, -1);
  }
  if (t.trim() === "") return [];
  return splitTop(t).filter((x) => x.trim() !== "").map(parseMatcher);
}

/** Renders a matcher as Alertmanager prints it (`name="value"`). */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

export { Matcher };

/**
 * @module core/config/glob
 * File globs as Go's filepath.Glob matches them (used by rule_files and scrape_config_files): `*`, `?`
 * and `[…]` within one path segment; no `**`. Results are sorted; a pattern without magic characters
 * names a file that must exist to match.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

const MAGIC = /[*?[]/;

/** Converts one glob segment into an anchored RegExp. */
function segmentRegex(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end < 0) throw new Error(`syntax error in pattern ${JSON.stringify(seg)}`);
      let cls = seg.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1).replace(/[\\\]]/g, "\\$&");
      else cls = cls.replace(/[\\\]]/g, "\\$&");
      re += `[${cls}]`;
      i = end;
    } else if (c === "\\" && i + 1 < seg.length) re += "\\" + seg[++i];
    else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expands `pattern` (relative paths resolved against `baseDir`) into matching file paths, sorted.
 * Throws on a malformed pattern.
 */
export function expandGlob(pattern: string, baseDir: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  if (!MAGIC.test(abs)) return existsSync(abs) ? [abs] : [];
  const parts = abs.split("/");
  let dirs = ["/"];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    if (seg === "") continue;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const d of dirs) {
      if (!MAGIC.test(seg)) {
        const p = join(d, seg);
        if (existsSync(p)) next.push(p);
        continue;
      }
      const re = segmentRegex(seg);
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        if (!re.test(n)) continue;
        const p = join(d, n);
        if (!last) {
          try {
            if (!statSync(p).isDirectory()) continue;
          } catch {
            continue;
          }
        }
        next.push(p);
      }
    }
    dirs = next;
  }
  return dirs.sort();
}

/** Whether `pattern` is a well-formed glob. */
export function validateGlob(pattern: string): void {
  for (const seg of pattern.split("/")) if (MAGIC.test(seg)) segmentRegex(seg);
}

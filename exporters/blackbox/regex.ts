/**
 * @module exporters/blackbox/regex
 * Go (RE2) regular expressions from blackbox.yml, compiled unanchored through core/model/regex.ts (which
 * also accepts RE2's quantified assertions such as `^+OK`, used by blackbox_exporter's default config).
 */
import { compileUnanchored } from "../../core/model/regex.ts";

/** Compiles a Go regexp for unanchored matching. @throws RegexError (from core/model/regex.ts). */
export function compileGoRegex(pattern: string, global = false): RegExp {
  return compileUnanchored(pattern, global);
}

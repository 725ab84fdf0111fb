/**
 * @module core/model/matcher
 * Label matchers (`=`, `!=`, `=~`, `!~`) with Prometheus's semantics: an absent label has value "",
 * regexes are fully anchored RE2, and `=~".*"`-style matchers that accept "" also match series without
 * the label.
 */
import { compileAnchored } from "./regex.ts";
import type { Labels } from "./labels.ts";

/** The four matcher operators, spelled as in PromQL. */
export type MatchType = "=" | "!=" | "=~" | "!~";

/** An immutable label matcher. Construct with {@link newMatcher}; regexes compile once. */
export class Matcher {
  readonly #re: RegExp | undefined;

  /** @throws RegexError when `type` is a regex operator and `value` is not valid RE2. */
  constructor(readonly type: MatchType, readonly name: string, readonly value: string) {
    if (type === "=~" || type === "!~") this.#re = compileAnchored(value);
  }

  /** Whether a label value (or "" for absent) satisfies the matcher. */
  matches(v: string): boolean {
    switch (this.type) {
      case "=": return v === this.value;
      case "!=": return v !== this.value;
      case "=~": return this.#re!.test(v);
      case "!~": return !this.#re!.test(v);
    }
  }

  /** Whether this matcher accepts the empty string (and so series lacking the label). */
  matchesEmpty(): boolean {
    return this.matches("");
  }

  /** Whether a label set satisfies the matcher. */
  matchesLabels(ls: Labels): boolean {
    return this.matches(ls.get(this.name));
  }

  /** PromQL rendering: `name="value"` with Go-style quoting. */
  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/** Creates a matcher; throws RegexError for invalid regexes. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  return new Matcher(type, name, value);
}

/** Whether every matcher accepts the label set. */
export function matchAll(ms: readonly Matcher[], ls: Labels): boolean {
  for (const m of ms) if (!m.matchesLabels(ls)) return false;
  return true;
}

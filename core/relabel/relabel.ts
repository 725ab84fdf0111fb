/**
 * @module core/relabel/relabel
 * Applies relabel rules to label sets with Prometheus's semantics (model/relabel `Process`):
 *
 * - the input is the source labels' values (absent = "") joined with `separator`;
 * - regexes are fully anchored RE2; `replace` writes only when the regex matches, expands `$1`/`${name}`
 *   in both target_label and replacement, skips an invalid expanded target name, and deletes the target
 *   when the replacement expands to "";
 * - `hashmod` is md5 of the input, the last 8 bytes read as a big-endian uint64, modulo `modulus`;
 * - `labelmap`, `labeldrop` and `labelkeep` iterate over a snapshot of the labels taken before the rule;
 * - `lowercase`/`uppercase` map each code point with the simple (one-to-one) Unicode case mapping, as
 *   Go's strings.ToLower/ToUpper do.
 *
 * A dropped label set is reported as `null`. Input label sets are never mutated.
 */
import { createHash } from "node:crypto";
import { type Labels, LabelsBuilder } from "../model/labels.ts";
import { isValidLabelName, type RelabelConfig } from "./config.ts";
import { expandTemplate } from "./template.ts";

/**
 * Applies `cfgs` in order. Returns the resulting labels, or null when a rule dropped the set.
 * @example process(Labels.from({ a: "x" }), [relabelConfig({ action: "drop", source_labels: ["a"], regex: "x" })]) // null
 */
export function process(labels: Labels, cfgs: readonly RelabelConfig[]): Labels | null {
  if (cfgs.length === 0) return labels;
  const lb = new LabelsBuilder(labels);
  return processBuilder(lb, cfgs) ? lb.labels() : null;
}

/** Applies `cfgs` to a builder in place. Returns false when a rule dropped the set (the builder is then undefined). */
export function processBuilder(lb: LabelsBuilder, cfgs: readonly RelabelConfig[]): boolean {
  for (const cfg of cfgs) if (!applyOne(cfg, lb)) return false;
  return true;
}

function snapshot(lb: LabelsBuilder): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  lb.forEach((n, v) => out.push([n, v]));
  return out;
}

function applyOne(cfg: RelabelConfig, lb: LabelsBuilder): boolean {
  const re = cfg.compiled;
  let val = "";
  for (let i = 0; i < cfg.source_labels.length; i++) {
    if (i > 0) val += cfg.separator;
    val += lb.get(cfg.source_labels[i]!);
  }
  switch (cfg.action) {
    case "drop":
      return !re.test(val);
    case "keep":
      return re.test(val);
    case "dropequal":
      return lb.get(cfg.target_label) !== val;
    case "keepequal":
      return lb.get(cfg.target_label) === val;
    case "replace": {
      const m = re.exec(val);
      if (!m) return true;
      const target = expandTemplate(cfg.target_label, m);
      if (!isValidLabelName(target)) return true;
      const res = expandTemplate(cfg.replacement, m);
      if (res === "") lb.del(target);
      else lb.set(target, res);
      return true;
    }
    case "lowercase":
      lb.set(cfg.target_label, mapCase(val, false));
      return true;
    case "uppercase":
      lb.set(cfg.target_label, mapCase(val, true));
      return true;
    case "hashmod":
      lb.set(cfg.target_label, hashMod(val, cfg.modulus));
      return true;
    case "labelmap":
      for (const [n, v] of snapshot(lb)) {
        const m = re.exec(n);
        if (!m) continue;
        // As in Prometheus, the result is used as is, even when it is not a valid name (e.g. "" from
        // "$1_x", which names group "1_x"); such a target then fails its scrapes with an invalid-label error.
        lb.set(expandTemplate(cfg.replacement, m), v);
      }
      return true;
    case "labeldrop":
      for (const [n] of snapshot(lb)) if (re.test(n)) lb.del(n);
      return true;
    case "labelkeep":
      for (const [n] of snapshot(lb)) if (!re.test(n)) lb.del(n);
      return true;
  }
}

/**
 * Prometheus's hashmod: md5 of `val`, last 8 bytes as big-endian uint64, modulo `modulus`, in decimal.
 * @example hashMod("foo", 10)
 */
export function hashMod(val: string, modulus: number): string {
  const digest = createHash("md5").update(val, "utf8").digest();
  const n = digest.readBigUInt64BE(8);
  return (n % BigInt(modulus)).toString();
}

/** Per-code-point simple case mapping (Go's unicode.ToLower/ToUpper applied rune by rune). */
function mapCase(s: string, upper: boolean): string {
  // Fast path: ASCII-only input maps the same in both languages.
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const ch of s) {
    if (!upper && ch === "\u0130") {
      out += "i"; // Go maps U+0130 to 'i'; JS's full mapping yields "i̇".
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    // Full mappings that expand (ß → SS, ŉ → ʼN) have no simple mapping: Go leaves the rune as is.
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}


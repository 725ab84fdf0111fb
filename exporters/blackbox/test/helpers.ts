/**
 * @module exporters/blackbox/test/helpers
 * Runs a probe from YAML module text and returns success, metric values and logs.
 */
import { nopLogger } from "../../../core/log/logger.ts";
import { parseBlackboxConfig } from "../config.ts";
import { runProbe } from "../probe.ts";

/** The result of {@link probe}: success, `value(name, labels?)`, the family names and the log text. */
export async function probe(moduleYaml: string, target: string, timeoutS = 5) {
  const cfg = parseBlackboxConfig(`modules:\n  m:\n${moduleYaml.replace(/^/gm, "    ")}\n`);
  const out = await runProbe("m", cfg.modules.get("m")!, target, timeoutS, nopLogger);
  const value = (name: string, labels: Record<string, string> = {}) =>
    out.families.find((f) => f.name === name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { success: out.success, value, names: out.families.map((f) => f.name), logs: out.logs.join("\n"), families: out.families };
}

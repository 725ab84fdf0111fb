/**
 * @module core/scrape/sample-labels
 * The final labels of a scraped series, with Prometheus's per-series rules: target labels attached
 * (honor_labels, or conflicts renamed to `exported_<name>`), metric_relabel_configs applied, names
 * validated (legacy character sets when metric_name_validation_scheme is legacy) and label limits
 * checked. The result depends only on the exposed series, the target's labels and the config, which is
 * what lets the scrape cache remember it.
 */
import { Labels, LabelsBuilder, METRIC_NAME } from "../model/labels.ts";
import { process as relabel } from "../relabel/relabel.ts";
import type { ScrapeConfig } from "./config.ts";

/** Attaches target labels to a scraped sample's labels (Prometheus's mutateSampleLabels, minus relabeling). */
export function attachTargetLabels(lset: Labels, target: Labels, honor: boolean): Labels {
  const lb = new LabelsBuilder(lset);
  if (honor) {
    target.forEach((n, v) => {
      if (!lset.has(n)) lb.set(n, v);
    });
    return lb.labels();
  }
  const conflicts: Array<[string, string]> = [];
  target.forEach((n, v) => {
    const existing = lset.get(n);
    if (existing !== "") conflicts.push([n, existing]);
    lb.set(n, v);
  });
  conflicts.sort((a, b) => a[0].length - b[0].length);
  for (const [n, v] of conflicts) {
    let name = n;
    for (;;) {
      name = "exported_" + name;
      if (lb.get(name) === "") {
        lb.set(name, v);
        break;
      }
    }
  }
  return lb.labels();
}

const LEGACY_METRIC_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether the metric name and every label name satisfy the legacy (pre-UTF-8) character sets. */
function legacyValid(lset: Labels): boolean {
  let ok = LEGACY_METRIC_RE.test(lset.get(METRIC_NAME));
  lset.forEach((n) => {
    if (ok && !LEGACY_LABEL_RE.test(n)) ok = false;
  });
  return ok;
}

function byteLen(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Prometheus's verifyLabelLimits; returns the error text or undefined. */
export function checkLabelLimits(lset: Labels, cfg: ScrapeConfig): string | undefined {
  const met = lset.get(METRIC_NAME).slice(0, 50);
  if (cfg.label_limit > 0 && lset.size > cfg.label_limit) {
    return `label_limit exceeded (metric: ${met}, number of labels: ${lset.size}, limit: ${cfg.label_limit})`;
  }
  if (cfg.label_name_length_limit === 0 && cfg.label_value_length_limit === 0) return undefined;
  let err: string | undefined;
  lset.forEach((n, v) => {
    if (err) return;
    if (cfg.label_name_length_limit > 0 && byteLen(n) > cfg.label_name_length_limit) {
      err = `label_name_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, length: ${byteLen(n)}, limit: ${cfg.label_name_length_limit})`;
    } else if (cfg.label_value_length_limit > 0 && byteLen(v) > cfg.label_value_length_limit) {
      err = `label_value_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${byteLen(v)}, limit: ${cfg.label_value_length_limit})`;
    }
  });
  return err;
}


/** The outcome of {@link finalLabels}: labels (null: dropped by relabeling) or why the scrape fails. */
export type FinalLabels = { labels: Labels | null; error?: undefined } | { labels?: undefined; error: string; limit?: "label" };

/**
 * Computes the labels a series exposed as `name` + `labels` is stored under for a target with public
 * labels `target`. Invalid names and exceeded label limits fail the whole scrape (Prometheus breaks its
 * append loop), so they come back as an error.
 */
export function finalLabels(name: string, labels: Readonly<Record<string, string>>, target: Labels, cfg: ScrapeConfig): FinalLabels {
  let lset: Labels | null = attachTargetLabels(Labels.from({ ...labels, [METRIC_NAME]: name }), target, cfg.honor_labels);
  if (cfg.metric_relabel_configs.length > 0) lset = relabel(lset, cfg.metric_relabel_configs);
  if (lset === null || lset.size === 0) return { labels: null };
  if (lset.get(METRIC_NAME) === "" || lset.has("") || (cfg.metric_name_validation_scheme === "legacy" && !legacyValid(lset))) {
    return { error: `invalid metric name or label names: ${lset.toString()}` };
  }
  const limErr = checkLabelLimits(lset, cfg);
  if (limErr) return { error: limErr, limit: "label" };
  return { labels: lset };
}

/**
 * @module exporters/node/collectors/textfile
 * Metrics from `*.prom` files in --collector.textfile.directory (text format 0.0.4), as node_exporter's
 * textfile collector: HELP defaults to "Metric read from <path>", families of the same name from several
 * files are merged (a conflicting HELP or TYPE drops the later file's family and sets the error flag),
 * label sets within a family are padded with empty values to the union of label names, client-side
 * timestamps reject the file, and node_textfile_mtime_seconds / node_textfile_scrape_error report status.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { MetricFamily, MetricType } from "../../../core/model/metric-family.ts";
import { TextParser } from "../../../core/exposition/text-parser.ts";
import { type NodeCollector, listDir, readText } from "../collector.ts";

/** Parses one textfile into families. Throws on syntax errors and on client-side timestamps. */
export function parseTextfile(text: string, path: string): MetricFamily[] {
  const p = new TextParser(text, { strict: true, normalizeFloatLabels: false });
  const fams = new Map<string, MetricFamily>();
  const help = new Map<string, string>();
  const types = new Map<string, MetricType>();
  const familyOf = (sample: string): string => {
    for (const [suffixes, kinds] of [[["_bucket", "_sum", "_count"], ["histogram"]], [["_sum", "_count"], ["summary"]]] as const) {
      for (const s of suffixes) {
        if (!sample.endsWith(s)) continue;
        const base = sample.slice(0, -s.length);
        if ((kinds as readonly string[]).includes(types.get(base) ?? "")) return base;
      }
    }
    return sample;
  };
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e === "help") help.set(p.metaName(), p.helpText());
    else if (e === "type") types.set(p.metaName(), p.metricType());
    else if (e === "series") {
      if (p.timestampMs !== undefined) throw new Error(`textfile ${JSON.stringify(path)} contains unsupported client-side timestamps, skipping entire file`);
      const name = p.metricName();
      const fname = familyOf(name);
      let f = fams.get(fname);
      if (!f) fams.set(fname, (f = { name: fname, type: types.get(fname) ?? "untyped", help: help.get(fname) ?? "", samples: [] }));
      f.samples.push({ name, labels: p.labels(), value: p.value });
    }
  }
  for (const f of fams.values()) {
    // An absent or empty HELP stays "" here; the collector fills in "Metric read from <files>".
    f.help = help.get(f.name) ?? "";
    f.type = types.get(f.name) ?? "untyped";
  }
  return [...fams.values()];
}

/** Pads every sample of `f` with "" for label names other samples have (histogram `le`/summary `quantile` excepted). */
function padLabels(f: MetricFamily): void {
  const names = new Set<string>();
  for (const s of f.samples) for (const k of Object.keys(s.labels)) if (k !== "le" && k !== "quantile") names.add(k);
  for (const s of f.samples) for (const n of names) if (!(n in s.labels)) s.labels[n] = "";
}

/**
 * Completes histogram and summary series as client_golang's const metrics do: every series (labels without
 * le/quantile) gets its buckets or quantiles followed by `_sum` and `_count` (0 when the file had none).
 */
function completeSeries(f: MetricFamily): void {
  if (f.type !== "histogram" && f.type !== "summary") return;
  const groups = new Map<string, { labels: Record<string, string>; parts: MetricFamily["samples"]; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le: _le, quantile: _q, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels: rest, parts: [] }));
    if (s.name === f.name + "_sum") g.sum = s.value;
    else if (s.name === f.name + "_count") g.count = s.value;
    else g.parts.push(s);
  }
  f.samples = [];
  for (const g of groups.values()) {
    f.samples.push(...g.parts);
    f.samples.push({ name: f.name + "_sum", labels: { ...g.labels }, value: g.sum ?? 0 });
    f.samples.push({ name: f.name + "_count", labels: { ...g.labels }, value: g.count ?? 0 });
  }
}

/** The textfile collector. */
export function textfile(): NodeCollector {
  return {
    async update(ctx) {
      const dir = ctx.opt("collector.textfile.directory");
      const mtime: MetricFamily = { name: "node_textfile_mtime_seconds", type: "gauge", help: "Unixtime mtime of textfiles successfully read.", samples: [] };
      let error = 0;
      const merged = new Map<string, MetricFamily>();
      const sources = new Map<string, string[]>();
      if (dir) {
        let names: string[] = [];
        try {
          names = (await listDir(dir, ctx.signal)).filter((n) => n.endsWith(".prom"));
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          ctx.logger.error("failed to read textfile collector directory", { path: dir, err: e });
          error = 1;
        }
        for (const n of names) {
          const path = join(dir, n);
          try {
            const fams = parseTextfile(await readText(path, ctx.signal), path);
            const st = await stat(path);
            for (const f of fams) {
              const prev = merged.get(f.name);
              if (!prev) {
                merged.set(f.name, f);
                sources.set(f.name, [path]);
              } else if (prev.help !== f.help || prev.type !== f.type) {
                ctx.logger.error("metric family has conflicting help or type across textfiles; dropping the later one", { name: f.name, file: path });
                error = 1;
              } else {
                prev.samples.push(...f.samples);
                sources.get(f.name)!.push(path);
              }
            }
            mtime.samples.push({ name: mtime.name, labels: { file: path }, value: Math.floor(st.mtimeMs / 1000) });
          } catch (e) {
            if (ctx.signal.aborted) throw e;
            ctx.logger.error("failed to collect textfile data", { file: path, err: e });
            error = 1;
          }
        }
      }
      for (const f of merged.values()) {
        padLabels(f);
        completeSeries(f);
        if (f.help === "") f.help = `Metric read from ${sources.get(f.name)!.join(", ")}`;
      }
      const out = [...merged.values()];
      if (mtime.samples.length > 0) out.push(mtime);
      out.push({ name: "node_textfile_scrape_error", type: "gauge", help: "1 if there was an error opening or reading a file, 0 otherwise", samples: [{ name: "node_textfile_scrape_error", labels: {}, value: error }] });
      return out;
    },
  };
}

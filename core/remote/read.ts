/**
 * @module core/remote/read
 * remote_read: a client that asks another system (Prometheus, VictoriaMetrics, Thanos, …) for series
 * with a samples-type ReadRequest, and a Queryable merging those answers into local query results.
 * Semantics as Prometheus's:
 * - `required_matchers`: a query goes to the endpoint only if its selector has each of them as an
 *   equality matcher;
 * - `read_recent: false` (default): the endpoint is only asked for time before the local storage's
 *   oldest sample (recent data is complete locally);
 * - external labels: `filter_external_labels` adds them as equality matchers to the request, and they
 *   are removed from returned series;
 * - a failing endpoint does not fail the query: its error becomes a warning.
 * Series merge sample-wise with local ones (local wins on equal timestamps).
 */
import type { Labels } from "../model/labels.ts";
import { matchAll, type Matcher } from "../model/matcher.ts";
import { mergeSeriesSets } from "../storage/merge.ts";
import type { Querier, Queryable, SelectHints, Series, SeriesSet } from "../storage/interface.ts";
import { errorMessage } from "../util/errors.ts";
import { postProto, type FetchFn } from "./client.ts";
import type { RemoteReadConfig } from "./config.ts";
import { decodeReadResponse, encodeReadRequest, ResponseType, type LabelMatcherData } from "./proto/read.ts";
import { snappyCompress, snappyUncompress } from "./snappy.ts";

/** One remote_read endpoint. */
export class RemoteReadClient {
  constructor(readonly cfg: RemoteReadConfig, readonly externalLabels: Labels, readonly fetchFn?: FetchFn) {}

  /** Whether a selector passes the required_matchers filter. */
  accepts(matchers: readonly Matcher[]): boolean {
    return this.cfg.requiredMatchers.every((r) => matchers.some((m) => m.type === "=" && m.name === r.name && m.value === r.value));
  }

  /**
   * Reads series matching `matchers` in [mint, maxt] (ms). Throws on transport or decoding errors.
   * Returned series are sorted by labels, external labels removed.
   */
  async read(matchers: readonly Matcher[], mint: number, maxt: number, hints?: SelectHints, signal?: AbortSignal): Promise<Series[]> {
    const added: string[] = [];
    const ms: LabelMatcherData[] = matchers.map((m) => ({ type: m.type, name: m.name, value: m.value }));
    if (this.cfg.filterExternalLabels) {
      this.externalLabels.forEach((n, v) => {
        if (matchers.some((m) => m.name === n)) return;
        ms.push({ type: "=", name: n, value: v });
        added.push(n);
      });
    }
    const body = snappyCompress(encodeReadRequest({
      queries: [{
        startTimestampMs: mint, endTimestampMs: maxt, matchers: ms,
        hints: hints ? { stepMs: hints.step ?? 0, func: hints.func ?? "", startMs: hints.start, endMs: hints.end, grouping: [], by: false, rangeMs: 0 } : undefined,
      }],
      acceptedResponseTypes: [ResponseType.Samples],
    }));
    const res = await postProto(this.cfg, body, { "X-Prometheus-Remote-Read-Version": "0.1.0" }, false, signal, this.fetchFn);
    const ct = res.headers.get("content-type") ?? "";
    if (ct.includes("x-streamed-protobuf")) throw new Error(`remote read ${this.cfg.url}: streamed response received although only SAMPLES was accepted`);
    const raw = snappyUncompress(new Uint8Array(await res.arrayBuffer()));
    const results = decodeReadResponse(raw);
    const strip = new Set(added);
    const out: Series[] = [];
    for (const s of results[0] ?? []) {
      const labels = strip.size ? s.labels.filter((n) => !strip.has(n)) : s.labels;
      if (!matchAll(matchers, labels)) continue;
      out.push({ labels, timestamps: s.timestamps, values: s.values });
    }
    return out;
  }
}

/** Local storage plus remote_read endpoints. */
export class MergedQueryable implements Queryable {
  constructor(readonly local: Queryable, readonly readers: () => readonly RemoteReadClient[]) {}

  async querier(mint: number, maxt: number): Promise<Querier> {
    const local = await this.local.querier(mint, maxt);
    const readers = this.readers();
    if (readers.length === 0) return local;
    const startFn = (this.local as { startTime?: () => Promise<number> }).startTime;
    const localStart = startFn ? await startFn.call(this.local) : Infinity;
    return {
      async select(matchers: readonly Matcher[], hints: SelectHints): Promise<SeriesSet> {
        const sets: SeriesSet[] = [await local.select(matchers, hints)];
        const warnings: string[] = [];
        await Promise.all(readers.map(async (r) => {
          if (!r.accepts(matchers)) return;
          let lo = hints.start, hi = hints.end;
          if (!r.cfg.readRecent) {
            // Prometheus's PreferLocalStorageFilter: nothing after the local start, up to it inclusive.
            if (lo > localStart) return;
            hi = Math.min(hi, localStart);
          }
          try {
            const series = await r.read(matchers, lo, hi, hints);
            series.sort((a, b) => (a.labels.key() < b.labels.key() ? -1 : 1));
            sets.push({ series, warnings: [] });
          } catch (e) {
            warnings.push(`remote_read ${r.cfg.name}: ${errorMessage(e)}`);
          }
        }));
        const merged = mergeSeriesSets(sets);
        return { series: merged.series, warnings: [...merged.warnings, ...warnings] };
      },
      labelNames: (m, h) => local.labelNames(m, h),
      labelValues: (n, m, h) => local.labelValues(n, m, h),
      close: () => local.close(),
    };
  }
}

/**
 * @module core/tsdb/querier
 * The merged querier over persisted blocks and the head: resolves matchers through each source's
 * postings, reads the samples in range (tombstones applied), merges a series' pieces across sources by
 * time (on equal timestamps the older source wins: blocks by ULID, then the head), and returns series
 * sorted by labels with exact-length typed arrays owned by the caller.
 */
import { compareLabels, type Labels } from "../model/labels.ts";
import type { Matcher } from "../model/matcher.ts";
import type { Querier, SelectHints, Series, SeriesSet } from "../storage/interface.ts";
import type { BlockReader } from "./block/types.ts";
import type { Head } from "./head/head.ts";
import { readHeadSeries, ReadScratch, type SampleColumns } from "./head/head-read.ts";
import type { MemSeries } from "./head/series.ts";
import { postingsForMatchers } from "./index/postings.ts";
import { mergeAllSamples } from "../storage/merge.ts";

interface Acc {
  labels: Labels;
  pieces: SampleColumns[];
}

/** A querier over a fixed set of blocks plus the head, for [mint, maxt] (ms). */
export class DBQuerier implements Querier {
  readonly #scratch = new ReadScratch();
  constructor(readonly blocks: readonly BlockReader[], readonly head: Head | null, readonly mint: number, readonly maxt: number, readonly onClose?: () => void) {}

  async select(ms: readonly Matcher[], hints: SelectHints): Promise<SeriesSet> {
    return { series: this.selectSync(ms, hints.start, hints.end, hints.limit ?? 0, hints.func === "series"), warnings: [] };
  }

  /**
   * Synchronous select over [start, end] (ms, clipped to the querier's range). With `labelsOnly` (the
   * `func: "series"` hint) series come with empty sample arrays and nothing is decoded; a series is
   * included when it has a chunk overlapping the range (tombstones are not consulted).
   */
  selectSync(ms: readonly Matcher[], start: number, end: number, limit = 0, labelsOnly = false): Series[] {
    const mint = Math.max(start, this.mint), maxt = Math.min(end, this.maxt);
    if (mint > maxt) return [];
    // Collect per source; a Map keyed by labels is only needed when several sources contribute.
    const lists: Series[][] = [];
    for (const b of this.blocks) {
      if (b.meta.maxTime <= mint || b.meta.minTime > maxt) continue;
      const ids = postingsForMatchers(b.index, ms);
      const list: Series[] = [];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (labelsOnly) {
          if (b.hasSamples(id, mint, maxt)) list.push({ labels: b.labels(id), timestamps: NO_SAMPLES.t, values: NO_SAMPLES.v });
          continue;
        }
        const cols = b.readSeries(id, mint, maxt);
        if (cols) list.push({ labels: b.labels(id), timestamps: cols.t, values: cols.v });
      }
      if (list.length) lists.push(list); // block ids ascend in label order: already sorted
    }
    const head = this.head;
    if (head && head.numSeries > 0) {
      const refs = postingsForMatchers(head.postings, ms);
      const list: Series[] = [];
      for (let i = 0; i < refs.length; i++) {
        const s = head.series[refs[i]!];
        if (!s) continue;
        if (labelsOnly) {
          if (headHasSamples(s, mint, maxt)) list.push({ labels: s.labels, timestamps: NO_SAMPLES.t, values: NO_SAMPLES.v });
          continue;
        }
        const cols = readHeadSeries(s, mint, maxt, head.tombstones.get(s.ref), this.#scratch);
        if (cols) list.push({ labels: s.labels, timestamps: cols.t, values: cols.v });
      }
      if (list.length) {
        if (!isSorted(list)) list.sort((x, y) => compareLabels(x.labels, y.labels));
        lists.push(list);
      }
    }
    let out: Series[];
    if (lists.length === 0) out = [];
    else if (lists.length === 1) out = lists[0]!;
    else {
      const acc = new Map<string, Acc>();
      for (const list of lists) {
        for (const x of list) {
          const k = x.labels.key();
          const a = acc.get(k);
          const cols = { t: x.timestamps, v: x.values };
          if (a) a.pieces.push(cols);
          else acc.set(k, { labels: x.labels, pieces: [cols] });
        }
      }
      out = [];
      for (const a of acc.values()) {
        const m = a.pieces.length === 1 || labelsOnly ? a.pieces[0]! : mergeAllSamples(a.pieces);
        out.push({ labels: a.labels, timestamps: m.t, values: m.v });
      }
      out.sort((x, y) => compareLabels(x.labels, y.labels));
    }
    if (limit > 0 && out.length > limit) out.length = limit;
    return out;
  }

  async labelNames(ms: readonly Matcher[], hints: SelectHints): Promise<string[]> {
    const names = new Set<string>();
    if (ms.length === 0) {
      for (const b of this.#overlapping(hints)) for (const n of b.index.labelNames()) names.add(n);
      if (this.head && this.#headOverlaps(hints)) for (const n of this.head.postings.labelNames()) names.add(n);
    } else {
      for (const s of this.selectSync(ms, hints.start, hints.end, 0, true)) s.labels.forEach((n) => names.add(n));
    }
    return [...names].sort();
  }

  async labelValues(name: string, ms: readonly Matcher[], hints: SelectHints): Promise<string[]> {
    const vals = new Set<string>();
    if (ms.length === 0) {
      for (const b of this.#overlapping(hints)) for (const v of b.index.labelValues(name)) vals.add(v);
      if (this.head && this.#headOverlaps(hints)) for (const v of this.head.postings.labelValues(name)) vals.add(v);
    } else {
      for (const s of this.selectSync(ms, hints.start, hints.end, 0, true)) {
        const v = s.labels.get(name);
        if (v !== "") vals.add(v);
      }
    }
    vals.delete("");
    return [...vals].sort();
  }

  #overlapping(h: SelectHints): BlockReader[] {
    const mint = Math.max(h.start, this.mint), maxt = Math.min(h.end, this.maxt);
    return this.blocks.filter((b) => b.meta.maxTime > mint && b.meta.minTime <= maxt);
  }

  #headOverlaps(h: SelectHints): boolean {
    const head = this.head!;
    const mint = Math.max(h.start, this.mint), maxt = Math.min(h.end, this.maxt);
    const lo = Math.min(head.minTime, head.oooMinTime), hi = Math.max(head.maxTime, head.oooMaxTime);
    return hi >= mint && lo <= maxt;
  }

  close(): void {
    this.onClose?.();
  }
}

const NO_SAMPLES: SampleColumns = { t: new Float64Array(0), v: new Float64Array(0) };

function headHasSamples(s: MemSeries, mint: number, maxt: number): boolean {
  if (s.oooT && s.oooT[0]! <= maxt && s.oooT[s.oooT.length - 1]! >= mint) return true;
  const first = s.minT;
  return first <= maxt && s.lastT >= mint && (s.chunks.length > 0 || (s.open !== null && s.open.n > 0));
}

function isSorted(list: readonly Series[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareLabels(list[i - 1]!.labels, list[i]!.labels) > 0) return false;
  return true;
}

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
    const acc = new Map<string, Acc>();
    const add = (labels: Labels, cols: SampleColumns) => {
      const k = labels.key();
      const a = acc.get(k);
      if (a) a.pieces.push(cols);
      else acc.set(k, { labels, pieces: [cols] });
    };
    for (const b of this.blocks) {
      if (b.meta.maxTime <= mint || b.meta.minTime > maxt) continue;
      const ids = postingsForMatchers(b.index, ms);
      for (let i = 0; i < ids.length; i++) {
        if (labelsOnly) {
          if (b.hasSamples(ids[i]!, mint, maxt)) add(b.labels(ids[i]!), NO_SAMPLES);
          continue;
        }
        const cols = b.readSeries(ids[i]!, mint, maxt);
        if (cols) add(b.labels(ids[i]!), cols);
      }
    }
    const head = this.head;
    if (head && head.numSeries > 0) {
      const refs = postingsForMatchers(head.postings, ms);
      for (let i = 0; i < refs.length; i++) {
        const s = head.series[refs[i]!];
        if (!s) continue;
        if (labelsOnly) {
          if (headHasSamples(s, mint, maxt)) add(s.labels, NO_SAMPLES);
          continue;
        }
        const cols = readHeadSeries(s, mint, maxt, head.tombstones.get(s.ref), this.#scratch);
        if (cols) add(s.labels, cols);
      }
    }
    const out: Series[] = [];
    for (const a of acc.values()) {
      const m = a.pieces.length === 1 || labelsOnly ? a.pieces[0]! : mergeAllSamples(a.pieces);
      out.push({ labels: a.labels, timestamps: m.t, values: m.v });
    }
    out.sort((x, y) => compareLabels(x.labels, y.labels));
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

/**
 * @module core/tsdb/head/head-replay
 * Rebuilds the head from the WAL at startup: the newest checkpoint, then every later segment in order.
 * A torn or corrupt record ends the replay: the segment is truncated there and later segments are
 * deleted (the dropped byte count is logged), so the store always opens.
 *
 * Replay is a typed-array loop over samples records (no per-sample objects); WAL refs map to head series
 * through a flat array. Progress is reported per segment ({@link ReplayStatus}, the shape of
 * /api/v1/status/walreplay).
 */
import type { Logger } from "../../log/logger.ts";
import { StringCache } from "../record/bytes.ts";
import { decodeSamples, decodeSeries, decodeTombstones, RecordType } from "../record/record.ts";
import { cleanTmpCheckpoints, lastCheckpoint } from "../wal/checkpoint.ts";
import { listSegments, readSegment, scanSegment } from "../wal/segment.ts";
import type { WAL } from "../wal/wal.ts";
import type { Head } from "./head.ts";
import type { MemSeries } from "./series.ts";

/** WAL replay progress, as /api/v1/status/walreplay reports it. */
export interface ReplayStatus {
  /** First segment to replay (−1 before start). */
  min: number;
  /** Last segment to replay. */
  max: number;
  /** Segment being replayed. */
  current: number;
  state: "waiting" | "in progress" | "done";
}

/** What a replay did. */
export interface ReplayResult {
  records: number;
  samples: number;
  series: number;
  corruptions: number;
  droppedBytes: number;
  seconds: number;
}

/** Replays `wal` into `head`. Blocks on file reads. `status` is updated in place as segments load. */
export function replayWAL(head: Head, wal: WAL, logger: Logger, status: ReplayStatus): ReplayResult {
  const steps = replaySteps(head, wal, logger, status);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Like {@link replayWAL} but yields to the event loop after each segment, so an HTTP server started
 * before the store can answer /api/v1/status/walreplay while the replay runs.
 */
export async function replayWALAsync(head: Head, wal: WAL, logger: Logger, status: ReplayStatus): Promise<ReplayResult> {
  const steps = replaySteps(head, wal, logger, status);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* replaySteps(head: Head, wal: WAL, logger: Logger, status: ReplayStatus): Generator<void, ReplayResult> {
  const t0 = performance.now();
  cleanTmpCheckpoints(wal.dir);
  const res: ReplayResult = { records: 0, samples: 0, series: 0, corruptions: 0, droppedBytes: 0, seconds: 0 };
  const refMap: Array<MemSeries | undefined> = [];
  const intern = new StringCache();
  const scratch = { buf: new ArrayBuffer(1 << 16), times: new Float64Array(1024) };
  let recOffset = 0;
  const handle = (p: Uint8Array, offset: number) => {
    recOffset = offset;
    res.records++;
    switch (p[0]) {
      case RecordType.Series:
        for (const rs of decodeSeries(p, intern)) {
          const s = head.createWithRef(rs.ref, rs.labels);
          if (s.ref === rs.ref) s.logged = true;
          refMap[rs.ref] = s;
          res.series++;
        }
        break;
      case RecordType.Samples: {
        const c = decodeSamples(p, scratch);
        const v32 = new Uint32Array(c.values.buffer, c.values.byteOffset, c.n * 2);
        for (let i = 0; i < c.n; i++) {
          const s = refMap[c.refs[i]!];
          if (s === undefined) continue;
          head.apply(s, c.times[i]!, v32[2 * i + 1]!, v32[2 * i]!, true);
        }
        res.samples += c.n;
        break;
      }
      case RecordType.Tombstones:
        for (const tb of decodeTombstones(p)) {
          const s = refMap[tb.ref];
          if (s) head.addTombstone(s.ref, tb.mint, tb.maxt);
        }
        break;
      default:
        throw new RangeError(`unknown record type ${p[0]}`);
    }
  };
  const cp = lastCheckpoint(wal.dir);
  if (cp) {
    for (const s of listSegments(cp.dir)) {
      const r = scanSegment(readSegment(cp.dir, s), 0, handle);
      if (r.corruption) {
        res.corruptions++;
        logger.error("Corrupt checkpoint; replaying what was readable", { dir: cp.dir, segment: s, offset: r.end, err: r.corruption });
        break;
      }
    }
    wal.truncateBefore(cp.index + 1);
  }
  const segs = wal.segments().filter((s) => !cp || s > cp.index);
  status.min = segs.length ? segs[0]! : -1;
  status.max = segs.length ? segs[segs.length - 1]! : -1;
  status.state = "in progress";
  for (const s of segs) {
    status.current = s;
    let r: { end: number; size: number; corruption?: string };
    try {
      r = wal.scan(s, handle);
    } catch (e) {
      // A record that passed its checksum but does not decode: corruption at that record.
      r = { end: recOffset, size: 0, corruption: `undecodable record: ${e instanceof Error ? e.message : String(e)}` };
    }
    logger.info("WAL segment loaded", { segment: s, maxSegment: status.max });
    yield;
    if (r.corruption) {
      res.corruptions++;
      const dropped = wal.repair(s, r.end);
      res.droppedBytes += dropped;
      logger.warn("WAL corruption repaired: truncated at first bad record", { segment: s, offset: r.end, reason: r.corruption, droppedBytes: dropped });
      break;
    }
  }
  status.state = "done";
  res.seconds = (performance.now() - t0) / 1000;
  return res;
}

/**
 * @module exporters/node/collectors/timex
 * Kernel clock discipline state from adjtimex(2), as node_exporter's timex collector exposes it. The
 * call itself is the runtime's optional FFI capability (core/runtime `Runtime.adjtimex`, read-only,
 * no privilege needed); this module decodes glibc's LP64 `struct timex` (208 bytes, little-endian on
 * x86_64 and aarch64) and turns it into the 17 node_timex_* families.
 *
 * Units follow node_exporter: `offset` and the PPS `jitter` are in µs, or ns when the STA_NANO status bit
 * is set; `maxerror`, `esterror` and `tick` are always µs; `freq`, `ppsfreq` and `stabil` are ppm with a
 * 16-bit binary fraction (value / 65536 / 1e6 gives a ratio). node_timex_sync_status is 0 when the call
 * returns TIME_ERROR (5), else 1. When FFI is unreachable the collector reports no data (success 0,
 * logged at debug), as node_exporter does when adjtimex is not permitted.
 */
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { type AdjtimexResult, detectRuntime } from "../../../core/runtime/index.ts";
import { FamilySet, NoDataError, type NodeCollector } from "../collector.ts";

/** adjtimex's return value when the clock is not synchronised to a reliable server. */
export const TIME_ERROR = 5;
/** The `status` bit saying offset and jitter are in nanoseconds instead of microseconds. */
export const STA_NANO = 0x2000;
/** sizeof(struct timex) in glibc's LP64 layout, in bytes. */
export const TIMEX_BYTES = 208;
/** ppm with a 16-bit fraction → ratio (see NOTES in adjtimex(2)). */
const PPM16FRAC = 1_000_000 * 65_536;
const MICRO = 1e6;
const NANO = 1e9;

/** The fields of `struct timex` the collector reads (integers as the kernel reports them). */
export interface Timex {
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  status: number;
  constant: number;
  tick: number;
  ppsfreq: number;
  jitter: number;
  shift: number;
  stabil: number;
  jitcnt: number;
  calcnt: number;
  errcnt: number;
  stbcnt: number;
  tai: number;
}

/**
 * Byte offsets in glibc's LP64 `struct timex`: `int` fields (modes, status, shift, tai) take 4 bytes and
 * are padded to 8 where a `long` follows; `time` is a 16-byte timeval at 72; 44 bytes of padding end it.
 */
const LONG_AT = { offset: 8, freq: 16, maxerror: 24, esterror: 32, constant: 48, tick: 88, ppsfreq: 96, jitter: 104, stabil: 120, jitcnt: 128, calcnt: 136, errcnt: 144, stbcnt: 152 } as const;
const INT_AT = { status: 40, shift: 112, tai: 160 } as const;

/** Decodes a filled `struct timex` (at least {@link TIMEX_BYTES} bytes, little-endian). */
export function decodeTimex(view: DataView): Timex {
  if (view.byteLength < TIMEX_BYTES) throw new Error(`timex: struct timex is ${view.byteLength} bytes, want ${TIMEX_BYTES}`);
  const long = (at: number) => Number(view.getBigInt64(at, true));
  const int = (at: number) => view.getInt32(at, true);
  return {
    offset: long(LONG_AT.offset),
    freq: long(LONG_AT.freq),
    maxerror: long(LONG_AT.maxerror),
    esterror: long(LONG_AT.esterror),
    status: int(INT_AT.status),
    constant: long(LONG_AT.constant),
    tick: long(LONG_AT.tick),
    ppsfreq: long(LONG_AT.ppsfreq),
    jitter: long(LONG_AT.jitter),
    shift: int(INT_AT.shift),
    stabil: long(LONG_AT.stabil),
    jitcnt: long(LONG_AT.jitcnt),
    calcnt: long(LONG_AT.calcnt),
    errcnt: long(LONG_AT.errcnt),
    stbcnt: long(LONG_AT.stbcnt),
    tai: int(INT_AT.tai),
  };
}

/** node_exporter's timex families for adjtimex's return `state` and the decoded struct. */
export function timexFamilies(state: number, t: Timex): MetricFamily[] {
  const divisor = (t.status & STA_NANO) !== 0 ? NANO : MICRO;
  const f = new FamilySet();
  f.gauge("node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).", state === TIME_ERROR ? 0 : 1);
  f.gauge("node_timex_offset_seconds", "Time offset in between local system and reference clock.", t.offset / divisor);
  f.gauge("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", 1 + t.freq / PPM16FRAC);
  f.gauge("node_timex_maxerror_seconds", "Maximum error in seconds.", t.maxerror / MICRO);
  f.gauge("node_timex_estimated_error_seconds", "Estimated error in seconds.", t.esterror / MICRO);
  f.gauge("node_timex_status", "Value of the status array bits.", t.status);
  f.gauge("node_timex_loop_time_constant", "Phase-locked loop time constant.", t.constant);
  f.gauge("node_timex_tick_seconds", "Seconds between clock ticks.", t.tick / MICRO);
  f.gauge("node_timex_pps_frequency_hertz", "Pulse per second frequency.", t.ppsfreq / PPM16FRAC);
  f.gauge("node_timex_pps_jitter_seconds", "Pulse per second jitter.", t.jitter / divisor);
  f.gauge("node_timex_pps_shift_seconds", "Pulse per second interval duration.", t.shift);
  f.gauge("node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.", t.stabil / PPM16FRAC);
  f.counter("node_timex_pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", t.jitcnt);
  f.counter("node_timex_pps_calibration_total", "Pulse per second count of calibration intervals.", t.calcnt);
  f.counter("node_timex_pps_error_total", "Pulse per second count of calibration errors.", t.errcnt);
  f.counter("node_timex_pps_stability_exceeded_total", "Pulse per second count of stability limit exceeded events.", t.stbcnt);
  f.gauge("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", t.tai);
  return f.families();
}

/** Reads adjtimex; undefined when unreachable. Injected in tests. */
export type AdjtimexReader = () => AdjtimexResult | undefined;

/**
 * The timex collector. `read` defaults to the detected runtime's FFI call (resolved on first scrape, then
 * kept, so libc is opened once per collector).
 */
export function timex(read?: AdjtimexReader): NodeCollector {
  let reader = read;
  return {
    async update() {
      if (!reader) {
        const runtime = detectRuntime();
        reader = () => runtime.adjtimex();
      }
      const r = reader();
      if (!r) {
        throw new NoDataError(
          "timex: adjtimex(2) is not reachable (needs Linux on x86_64/aarch64 with glibc and FFI; under Deno grant --allow-ffi) or the call failed",
        );
      }
      return timexFamilies(r.state, decodeTimex(r.timex));
    },
  };
}

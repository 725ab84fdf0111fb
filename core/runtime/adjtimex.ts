/**
 * @module core/runtime/adjtimex
 * What both adapters share to call adjtimex(2) through FFI: the size of glibc's LP64 `struct timex`, the
 * platforms where that layout holds, and turning the filled buffer into an {@link AdjtimexResult}. The
 * adapters own only the runtime-specific dlopen and call.
 *
 * Invariant: the buffer handed to the C function is zeroed, so `modes` (offset 0) is 0 and the call only
 * reads; it never adjusts the clock and needs no privilege.
 */
import process from "node:process";
import type { AdjtimexResult } from "./types.ts";

/** sizeof(struct timex) for glibc on LP64 Linux (x86_64, aarch64), in bytes. */
export const TIMEX_SIZE = 208;

/** The shared object whose `adjtimex` symbol the adapters open (glibc). */
export const LIBC_NAME = "libc.so.6";

/** Whether this process runs where {@link TIMEX_SIZE} and the glibc layout are known to hold. */
export function adjtimexSupported(): boolean {
  return process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");
}

/** Wraps a call's return value and its filled buffer; undefined when the call failed (-1). */
export function adjtimexResult(state: number, buf: Uint8Array): AdjtimexResult | undefined {
  if (state < 0) return undefined;
  return { state, timex: new DataView(buf.buffer, buf.byteOffset, buf.byteLength) };
}

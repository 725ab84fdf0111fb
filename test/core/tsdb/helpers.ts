/**
 * Shared helpers for TSDB tests: temp directories, label shortcuts and bit-level value checks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Labels } from "../../../core/model/labels.ts";

/** A fresh temporary directory; call the returned cleanup when done. */
export function tempDir(prefix = "quiver-tsdb-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Labels from an object. */
export function L(o: Record<string, string>): Labels {
  return Labels.from(o);
}

/** The 64-bit pattern of values[i] as a hex string (reads through a Uint32Array view). */
export function bitsAt(values: Float64Array, i: number): string {
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  return u[2 * i + 1]!.toString(16).padStart(8, "0") + u[2 * i]!.toString(16).padStart(8, "0");
}

/** Plain arrays of a series' samples. */
export function plain(ts: Float64Array, vs: Float64Array): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let i = 0; i < ts.length; i++) out.push([ts[i]!, bitsAt(vs, i)]);
  return out;
}

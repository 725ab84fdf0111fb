/**
 * @module test/helpers/shared
 * Locates the shared conformance data (`../shared` beside the clone, or $QUIVER_SHARED_DIR). Tests read it
 * in place; a clone without it gets a clear message and the dependent tests are skipped, never failed.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dir ?? new URL(".", import.meta.url).pathname, "..", "..");

/** The shared data directory, or null when it is missing. */
export function sharedDir(): string | null {
  const dir = process.env.QUIVER_SHARED_DIR ?? join(REPO_ROOT, "..", "shared");
  return existsSync(dir) ? dir : null;
}

/**
 * Path to a file or folder inside the shared data, or null (after printing why once) when absent.
 * @example const dir = sharedPath("conformance/promql"); if (!dir) return;
 */
export function sharedPath(...parts: string[]): string | null {
  const base = sharedDir();
  if (!base) {
    warnOnce(`shared data not found (looked in ${process.env.QUIVER_SHARED_DIR ?? join(REPO_ROOT, "..", "shared")}; set QUIVER_SHARED_DIR): conformance tests that need it are skipped`);
    return null;
  }
  const p = join(base, ...parts);
  return existsSync(p) ? p : null;
}

let warned = false;
function warnOnce(msg: string): void {
  if (!warned) console.warn(msg);
  warned = true;
}

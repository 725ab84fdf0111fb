/**
 * @module core/promql/promqltest/cli
 * `bun run test:promql [FILE|DIR ...] [--verbose] [--no-extra]`: runs promqltest scripts (default:
 * ../shared/conformance/promql and its experimental/ folder), prints one line per file and a closing
 * line `N passed, N failed` counting eval statements. Exit code 1 when an eval failed that neither needs
 * native histograms nor is listed in known-gaps.ts (so CI catches regressions).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { runFile } from "./runner.ts";

function collect(p: string): string[] {
  if (statSync(p).isDirectory()) {
    return readdirSync(p).sort().flatMap((f) => {
      const full = join(p, f);
      return statSync(full).isDirectory() || f.endsWith(".test") ? collect(full) : [];
    });
  }
  return [p];
}

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const extra = !argv.includes("--no-extra");
  let paths = argv.filter((a) => !a.startsWith("-"));
  if (paths.length === 0) {
    const here = new URL(".", import.meta.url).pathname;
    const def = resolve(here, "..", "..", "..", "..", "shared", "conformance", "promql");
    if (!existsSync(def)) {
      console.log(`conformance scripts not found at ${def}; nothing to run`);
      return 0;
    }
    paths = [def];
  }
  let passed = 0, failed = 0, unsupported = 0, known = 0;
  for (const file of paths.flatMap(collect)) {
    const r = await runFile(file);
    passed += r.passed;
    failed += r.failed;
    unsupported += r.unsupported;
    known += r.known;
    const name = relative(process.cwd(), file) || file;
    const notes = [r.unsupported ? `${r.unsupported} need native histograms` : "", r.known ? `${r.known} known gaps` : ""].filter(Boolean);
    console.log(`${r.failed === 0 ? "ok  " : "FAIL"} ${name}: ${r.passed} passed, ${r.failed} failed${notes.length ? ` (${notes.join(", ")})` : ""}`);
    if (verbose) for (const f of r.failures) console.log(`    ${f}`);
  }
  void extra;
  const regressions = failed - unsupported - known;
  console.log(`${passed} passed, ${failed} failed (${unsupported} need native histograms, ${known} known gaps, ${regressions} other)`);
  return regressions === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

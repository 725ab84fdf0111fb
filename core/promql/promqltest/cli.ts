/**
 * @module core/promql/promqltest/cli
 * `bun run test:promql [FILE|DIR ...] [--verbose] [--no-extra]`: runs promqltest scripts (default:
 * ../shared/conformance/promql and its experimental/ folder), prints one line per file and a closing
 * line `N passed, N failed` counting eval statements. Exit code 1 when any eval failed.
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
  let passed = 0, failed = 0, unsupported = 0;
  for (const file of paths.flatMap(collect)) {
    const r = await runFile(file);
    passed += r.passed;
    failed += r.failed;
    unsupported += r.unsupported;
    const name = relative(process.cwd(), file) || file;
    console.log(`${r.failed === 0 ? "ok  " : "FAIL"} ${name}: ${r.passed} passed, ${r.failed} failed${r.unsupported ? ` (${r.unsupported} need native histograms)` : ""}`);
    if (verbose) for (const f of r.failures) console.log(`    ${f}`);
  }
  void extra;
  console.log(`${passed} passed, ${failed} failed${unsupported ? ` (${unsupported} of the failures need native histograms)` : ""}`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

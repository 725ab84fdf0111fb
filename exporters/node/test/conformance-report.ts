/**
 * @module exporters/node/test/conformance-report
 * Prints the node exporter's conformance against node_exporter's e2e fixtures:
 * `bun run exporters/node/test/conformance-report.ts [--diff]`.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { runConformance } from "./fixture-harness.ts";

// Same lookup as test/helpers/shared.ts (not imported: exporters import only leaves).
const shared = process.env.QUIVER_SHARED_DIR ?? resolve(import.meta.dir, "..", "..", "..", "..", "shared");
const dir = join(shared, "conformance", "node_exporter", "fixtures");
if (!existsSync(dir)) {
  console.warn(`node_exporter fixtures not found under ${shared} (set QUIVER_SHARED_DIR)`);
  process.exit(0);
}
const r = await runConformance(dir);
console.log(`families: ${r.matchedFamilies}/${r.expectedFamilies} (${((100 * r.matchedFamilies) / r.expectedFamilies).toFixed(1)}%)`);
console.log(`samples:  ${r.matchedSamples}/${r.expectedSamples} (${((100 * r.matchedSamples) / r.expectedSamples).toFixed(1)}%)`);
const sc = r.scope;
console.log(`in scope (collectors Quiver implements): families ${sc.matchedFamilies}/${sc.expectedFamilies} (${((100 * sc.matchedFamilies) / sc.expectedFamilies).toFixed(1)}%), samples ${sc.matchedSamples}/${sc.expectedSamples} (${((100 * sc.matchedSamples) / sc.expectedSamples).toFixed(1)}%)`);
console.log(`differing families we emit: ${r.diffs.size}; absent families: ${r.absent.length}`);
if (process.argv.includes("--diff")) {
  for (const [n, d] of r.diffs) {
    console.log(`\n== ${n}${d.meta ? " (" + d.meta + ")" : ""}`);
    for (const l of d.missing.slice(0, 8)) console.log(`- ${l}`);
    for (const l of d.extra.slice(0, 8)) console.log(`+ ${l}`);
  }
}
if (process.argv.includes("--absent")) console.log(r.absent.join("\n"));

/**
 * @module exporters/node/test/conformance-report
 * Prints the node exporter's conformance against node_exporter's e2e fixtures:
 * `bun run exporters/node/test/conformance-report.ts [--diff]`.
 */
import { sharedPath } from "../../../test/helpers/shared.ts";
import { runConformance } from "./fixture-harness.ts";

const dir = sharedPath("conformance", "node_exporter", "fixtures");
if (!dir) process.exit(0);
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

/**
 * Differential test against the real `promtool check rules` (Debian's 2.42, which validates names the
 * legacy way): for every rule file in the shared conformance data, Quiver with nameValidation "legacy"
 * must give the same verdict. Skipped with a notice when promtool is absent.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { formatExpr, parseExpr } from "../../../core/promql/parser/index.ts";
import { loadRuleFile } from "../../../core/rules/index.ts";
import { sharedPath } from "../../helpers/shared.ts";

const PROMTOOL = "/usr/bin/promtool";
const base = sharedPath("conformance", "configs", "prometheus", "rules");
const have = existsSync(PROMTOOL);
if (!have) console.warn(`skipping: ${PROMTOOL} is not installed (CI installs it via .ci/run)`);

describe.skipIf(!base || !have)("rule files: Quiver's verdict equals promtool check rules", () => {
  const files = base
    ? ["rulefmt", "promtool-unittest", "."].flatMap((d) => readdirSync(join(base, d)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(base, d, f)))
    : [];
  for (const f of files) {
    test(f.slice(base!.length + 1), () => {
      const r = spawnSync(PROMTOOL, ["check", "rules", f], { encoding: "utf8" });
      const promtoolOK = r.status === 0;
      let ours = true;
      let msg = "";
      try {
        loadRuleFile(f, { checkExpr: (q) => formatExpr(parseExpr(q)), nameValidation: "legacy" });
      } catch (e) {
        ours = false;
        msg = (e as Error).message;
      }
      expect({ file: f, ok: ours, msg: ours === promtoolOK ? "" : msg + " | promtool: " + r.stdout + r.stderr }).toEqual({ file: f, ok: promtoolOK, msg: "" });
    });
  }
});

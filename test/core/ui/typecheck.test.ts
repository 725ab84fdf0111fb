/**
 * The browser modules are plain JavaScript with JSDoc types (no build step). This test type-checks
 * them with tsc in strict checkJs mode against the DOM library, so a typo or a wrong API shape in
 * code the server never runs still fails CI.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../helpers/shared.ts";

const tsc = join(REPO_ROOT, "node_modules", ".bin", "tsc");
const js = join(REPO_ROOT, "core", "ui", "static", "js");

describe.skipIf(!existsSync(tsc))("browser modules", () => {
  test("type-check with tsc --checkJs --strict", () => {
    const files = [join(js, "app.js"), ...readdirSync(join(js, "pages")).map((f) => join(js, "pages", f))];
    const r = spawnSync(tsc, ["--ignoreConfig", "--noEmit", "--allowJs", "--checkJs", "--strict", "--lib", "ES2023,DOM,DOM.Iterable",
      "--target", "ES2023", "--module", "ESNext", "--moduleResolution", "bundler", "--skipLibCheck", "--types", "", ...files], {
      cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000,
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});

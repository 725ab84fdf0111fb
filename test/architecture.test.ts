/**
 * Architecture rules (STYLE.md): imports flow one way, runtime-specific globals stay in core/runtime,
 * core never imports plugins/, exporters import only leaves, and every plugin folder is complete (its
 * README quotes example.yml byte for byte).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir)) {
    if (n === "node_modules" || n.startsWith(".")) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(n) && !/\.test\.ts$/.test(n)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith(".")) out.push(resolve(dirname(file), spec));
  }
  return out;
}

/** Layer rank of a core folder: a module may import only equal or lower ranks (and leaves). */
const RANK: Record<string, number> = {
  util: 0, model: 0, runtime: 0, log: 0, exposition: 0,
  config: 1, storage: 1, relabel: 1, plugin: 1, template: 1,
  tsdb: 2, promql: 2, discovery: 2,
  scrape: 3, rules: 3, notifier: 3, remote: 3, push: 3,
  alerting: 4,
  api: 5, ui: 5,
  app: 6, "main.ts": 7,
};

function coreArea(p: string): string | undefined {
  const rel = relative(join(ROOT, "core"), p);
  if (rel.startsWith("..")) return undefined;
  return rel.split("/")[0];
}

describe("architecture", () => {
  const coreFiles = walk(join(ROOT, "core"));

  test("every core area has a rank", () => {
    const areas = new Set(coreFiles.map((f) => coreArea(f)!));
    expect([...areas].filter((a) => RANK[a] === undefined)).toEqual([]);
  });

  test("core imports flow one way and never reach plugins/", () => {
    const bad: string[] = [];
    for (const f of coreFiles) {
      const from = coreArea(f)!;
      for (const target of imports(f)) {
        const rel = relative(ROOT, target);
        if (rel.startsWith("plugins/")) bad.push(`${relative(ROOT, f)} → ${rel} (core must not import plugins)`);
        const to = coreArea(target);
        if (to && to !== from && (RANK[to] ?? 99) > (RANK[from] ?? 99)) bad.push(`${relative(ROOT, f)} → ${rel} (${from} may not import ${to})`);
        if (rel.startsWith("exporters/") && !rel.startsWith("exporters/service/")) bad.push(`${relative(ROOT, f)} → ${rel} (core may only import the client library)`);
      }
    }
    expect(bad).toEqual([]);
  });

  test("exporters import only leaves and the client library", () => {
    const allowed = ["core/util/", "core/model/", "core/runtime/", "core/log/", "core/exposition/", "core/plugin/types.ts", "exporters/"];
    const bad: string[] = [];
    for (const f of walk(join(ROOT, "exporters"))) {
      for (const t of imports(f)) {
        const rel = relative(ROOT, t);
        if (!allowed.some((a) => rel.startsWith(a))) bad.push(`${relative(ROOT, f)} → ${rel}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test("Bun., Deno. and bun:ffi appear only in core/runtime", () => {
    const bad: string[] = [];
    for (const f of [...coreFiles, ...walk(join(ROOT, "exporters")), ...walk(join(ROOT, "plugins"))]) {
      if (relative(ROOT, f).startsWith("core/runtime/")) continue;
      const src = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      if (/\b(Bun|Deno)\.[a-zA-Z]/.test(src) || /["']bun:ffi["']/.test(src)) bad.push(relative(ROOT, f));
    }
    expect(bad).toEqual([]);
  });

  test("every plugin folder is complete: index.ts, README.md quoting example.yml, tests", () => {
    const dir = join(ROOT, "plugins");
    const problems: string[] = [];
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) continue;
      for (const f of ["index.ts", "README.md", "example.yml", "index.test.ts"]) {
        if (!existsSync(join(p, f))) problems.push(`${name}: missing ${f}`);
      }
      if (existsSync(join(p, "README.md")) && existsSync(join(p, "example.yml"))) {
        const readme = readFileSync(join(p, "README.md"), "utf8");
        const example = readFileSync(join(p, "example.yml"), "utf8");
        if (!readme.includes(example.trimEnd())) problems.push(`${name}: README.md does not include example.yml verbatim`);
      }
      if (!/^[a-z][a-z0-9_]*$/.test(name)) problems.push(`${name}: folder name must be lowercase letters, digits, _`);
    }
    expect(problems).toEqual([]);
  });
});

/**
 * Tests of the UI area: page shells per route (with prefix), the home redirect, static files with
 * their Content-Type, ETag revalidation and path-traversal refusal, the vendored uPlot files, and the
 * function list served to the completion (same key set as the parser's table).
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FUNCTIONS } from "../../../core/promql/parser/functions.ts";
import { PAGES, findUplotDir, functionList, normalizePrefix, uiRoutes } from "../../../core/ui/index.ts";
import { escapeHtml } from "../../../core/ui/pages.ts";
import { safeJoin, serveFile } from "../../../core/ui/static-files.ts";

const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

describe("uiRoutes", () => {
  const app = uiRoutes({ pageTitle: "Test <Title>" });

  test.each(PAGES.map((p) => [p.path, p.id]))("%s serves the %s page shell", async (path, id) => {
    const res = await app.handle(req(path));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const body = await res.text();
    expect(body).toContain(`<body data-page="${id}">`);
    expect(body).toContain("Test &lt;Title&gt;");
    expect(body).toContain('<script type="module" src="/static/js/app.js">');
  });

  test("/ redirects to the node dashboard, keeping the query string", async () => {
    const res = await app.handle(req("/?instance=a"));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/node?instance=a");
  });

  test.each([
    ["/static/js/app.js", "text/javascript; charset=utf-8"],
    ["/static/js/pages/query.js", "text/javascript; charset=utf-8"],
    ["/static/css/quiver.css", "text/css; charset=utf-8"],
    ["/static/img/favicon.svg", "image/svg+xml"],
    ["/static/vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8"],
    ["/static/vendor/uPlot.min.css", "text/css; charset=utf-8"],
  ])("%s is served as %s", async (path, type) => {
    const res = await app.handle(req(path));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });

  test("every module the page shell and app.js reference exists", async () => {
    const app2 = await (await app.handle(req("/static/js/app.js"))).text();
    const mods = [...app2.matchAll(/"\.\/(pages\/[a-z-]+\.js)"/g)].map((m) => m[1]);
    expect(mods.length).toBeGreaterThan(5);
    for (const m of new Set(mods)) expect((await app.handle(req(`/static/js/${m}`))).status).toBe(200);
  });

  test("every preloaded module exists and matches what app.js loads for the page", async () => {
    const appJs = await (await app.handle(req("/static/js/app.js"))).text();
    for (const p of PAGES) {
      const body = await (await app.handle(req(p.path))).text();
      const pre = [...body.matchAll(/<link rel="modulepreload" href="\/static\/js\/([^"]+)">/g)].map((m) => m[1]!);
      expect(pre).toContain(p.modules[0]!);
      expect(appJs).toContain(`${JSON.stringify(p.id)}: "./${p.modules[0]}"`.replace(/^"([a-z]+)"/, "$1"));
      for (const m of pre) expect((await app.handle(req(`/static/js/${m}`))).status).toBe(200);
    }
  });

  test("unknown, encoded-traversal and extensionless static paths are 404", async () => {
    for (const p of ["/static/nope.js", "/static/%2e%2e/index.ts", "/static/..%2f..%2fpackage.json", "/static/js", "/static/vendor/%2e%2e/package.json"]) {
      const res = await app.handle(req(p));
      expect(res.status).toBe(404);
    }
  });

  test("ETag revalidation answers 304", async () => {
    const first = await app.handle(req("/static/css/quiver.css"));
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await app.handle(req("/static/css/quiver.css", { headers: { "if-none-match": etag! } }));
    expect(again.status).toBe(304);
    expect(again.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  test("GET /ui/api/functions lists the parser's function table", async () => {
    const res = await app.handle(req("/ui/api/functions"));
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await res.json()) as { status: string; data: { name: string; argTypes: string[]; returnType: string }[] };
    expect(body.status).toBe("success");
    expect(body.data.map((f) => f.name).sort()).toEqual([...FUNCTIONS.keys()].sort());
    const rate = body.data.find((f) => f.name === "rate");
    expect(rate).toEqual(expect.objectContaining({ argTypes: ["matrix"], returnType: "vector" }));
    expect(functionList().length).toBe(FUNCTIONS.size);
  });

  test("the API is not shadowed", async () => {
    expect((await app.handle(req("/api/v1/query"))).status).toBe(404);
  });
});

describe("route prefix", () => {
  const app = uiRoutes({ routePrefix: "/prom/", externalUrl: "http://example.org/prom" });

  test("pages, assets and links live below the prefix", async () => {
    const res = await app.handle(req("/prom/targets"));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<meta name="quiver-prefix" content="/prom">');
    expect(body).toContain('href="/prom/query"');
    expect(body).toContain('src="/prom/static/js/app.js"');
    expect((await app.handle(req("/prom/static/js/app.js"))).status).toBe(200);
    expect((await app.handle(req("/targets"))).status).toBe(404);
    expect((await app.handle(req("/prom/"))).headers.get("location")).toBe("/prom/node");
  });

  test.each([[undefined, ""], ["", ""], ["/", ""], ["prom", "/prom"], ["/a/b//", "/a/b"]])("normalizePrefix(%p) = %p", (i, o) => {
    expect(normalizePrefix(i)).toBe(o);
  });
});

describe("static files", () => {
  const root = mkdtempSync(join(tmpdir(), "quiver-ui-"));
  writeFileSync(join(root, "a.js"), "export {};\n");
  writeFileSync(join(root, "secret.key"), "nope");

  test("safeJoin refuses escapes, NUL, backslashes and unknown types", () => {
    expect(safeJoin(root, "a.js")).toBe(join(root, "a.js"));
    expect(safeJoin(root, "../a.js")).toBeUndefined();
    expect(safeJoin(root, "x/../../a.js")).toBeUndefined();
    expect(safeJoin(root, "a.js\0")).toBeUndefined();
    expect(safeJoin(root, "..\\a.js")).toBeUndefined();
    expect(safeJoin(root, "secret.key")).toBeUndefined();
  });

  test("serveFile answers HEAD with the length and no body", async () => {
    const res = serveFile(root, "a.js", null, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("11");
    expect(await res.text()).toBe("");
  });

  test("uPlot is installed where the UI looks for it", () => {
    expect(findUplotDir()).toBeString();
  });

  test("escapeHtml escapes markup and quotes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

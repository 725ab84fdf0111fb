/**
 * @module core/ui/static-files
 * Serves the UI's files from disk with an explicit Content-Type (the Elysia static plugin sends none on
 * Deno), a weak ETag (size + mtime) answering 304 to a matching If-None-Match, and `no-cache` so a new
 * build is picked up at once. Invariant: a request path never escapes its root folder (`..`, absolute
 * paths, NUL bytes and backslashes are refused before touching the file system).
 */
import { readFileSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";

/** Content types by file extension; anything else is refused (404), so no file is served as unknown. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * Resolves `rel` (a URL path below a mount point, already percent-decoded) inside `root`. Returns
 * undefined when the path is unsafe or names a type not in {@link CONTENT_TYPES}.
 */
export function safeJoin(root: string, rel: string): string | undefined {
  if (rel.includes("\0") || rel.includes("\\")) return undefined;
  const parts = rel.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) return undefined;
  if (!(extname(rel).toLowerCase() in CONTENT_TYPES)) return undefined;
  const base = resolve(root);
  const full = resolve(join(base, ...parts));
  return full.startsWith(base + sep) ? full : undefined;
}

/**
 * Answers one static file request: 200 with the body, 304 when `ifNoneMatch` matches, or 404. Reads the
 * file on every request (the assets are small and the OS caches them); never throws.
 */
export function serveFile(root: string, rel: string, ifNoneMatch: string | null, method = "GET"): Response {
  const path = safeJoin(root, rel);
  if (!path) return notFound();
  let size: number, mtime: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return notFound();
    size = st.size;
    mtime = Math.floor(st.mtimeMs);
  } catch {
    return notFound();
  }
  const etag = `W/"${size.toString(16)}-${mtime.toString(16)}"`;
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[extname(path).toLowerCase()]!,
    "cache-control": "no-cache",
    etag,
    "x-content-type-options": "nosniff",
  };
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers });
  if (method === "HEAD") return new Response(null, { status: 200, headers: { ...headers, "content-length": String(size) } });
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = readFileSync(path) as Uint8Array<ArrayBuffer>;
  } catch {
    return notFound();
  }
  return new Response(body, { status: 200, headers });
}

function notFound(): Response {
  return new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

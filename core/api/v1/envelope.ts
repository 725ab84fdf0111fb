/**
 * @module core/api/v1/envelope
 * The one wrapper that turns a plain handler outcome into Prometheus's JSON envelope
 * `{status, data, errorType, error, warnings, infos}` (field order as Prometheus writes them), plus the
 * helper that mounts handlers on an Elysia area for GET and form-encoded POST.
 *
 * Handlers are `(params) → Promise<outcome>` and never build Responses: success is `{data, warnings?,
 * infos?}`, failure `{error}` (classified by core/api/errors.ts), and `{noContent: true}` answers 204
 * as Prometheus does when a handler has no data (admin endpoints). Anything thrown is classified too.
 * Until the server is ready every endpoint answers 503 "Service Unavailable" (Prometheus's ready wrapper).
 * Answers are gzip/deflate-compressed when the client accepts it, as Prometheus's are.
 */
import { deflateSync, gzipSync } from "node:zlib";
import { errorResponse, type ErrorType } from "../errors.ts";
import { toJson } from "./json.ts";
import { readParams, type Params } from "./params.ts";

/** A successful outcome. `data` is rendered with {@link toJson}. */
export interface ApiSuccess {
  data: unknown;
  warnings?: string[];
  infos?: string[];
}

/** A failed outcome. `fallback` is the error type for errors without a code (default internal). */
export interface ApiFailure {
  error: unknown;
  fallback?: ErrorType;
  /** Data to return alongside the error (Prometheus does so for runtimeinfo). */
  data?: unknown;
}

/** Any handler outcome. */
export type ApiOutcome = ApiSuccess | ApiFailure | { noContent: true };

/** A plain API handler. */
export type ApiHandler = (p: Params) => Promise<ApiOutcome>;

const JSON_HEADERS = { "content-type": "application/json" };

/** Renders an outcome as a Response. */
export function render(o: ApiOutcome): Response {
  if ("noContent" in o) return new Response(null, { status: 204 });
  if ("error" in o) return errorResponse(o.error, o.fallback ?? "internal", o.data === undefined ? undefined : toJson(o.data));
  let body = `{"status":"success","data":${toJson(o.data)}`;
  const warnings = capAnnotations(o.warnings, "warning"), infos = capAnnotations(o.infos, "info");
  if (warnings.length > 0) body += `,"warnings":${JSON.stringify(warnings)}`;
  if (infos.length > 0) body += `,"infos":${JSON.stringify(infos)}`;
  body += "}";
  return new Response(body, { status: 200, headers: JSON_HEADERS });
}

/** Prometheus answers at most this many warnings and as many infos (annotations.AsStrings). */
export const MAX_ANNOTATIONS = 10;

/** Keeps the first {@link MAX_ANNOTATIONS} messages and notes how many more were omitted. */
function capAnnotations(list: string[] | undefined, kind: "warning" | "info"): string[] {
  if (!list || list.length <= MAX_ANNOTATIONS) return list ?? [];
  return [...list.slice(0, MAX_ANNOTATIONS), `${list.length - MAX_ANNOTATIONS} more ${kind} annotations omitted`];
}

/** Runs a handler on a request: reads parameters, catches and classifies anything thrown. */
export async function runHandler(h: ApiHandler, request: Request, path: Record<string, string> = {}): Promise<Response> {
  let res: Response;
  try {
    const p = await readParams(request, path);
    res = render(await h(p));
  } catch (e) {
    res = errorResponse(e, "internal");
  }
  return compress(request, res);
}

/**
 * Compresses an answer as Prometheus's CompressionHandler does: the first of gzip or deflate listed in
 * Accept-Encoding wins; other encodings are ignored (identity).
 */
export async function compress(request: Request, res: Response): Promise<Response> {
  const accept = request.headers.get("accept-encoding");
  if (!accept || res.body === null) return res;
  let enc: "gzip" | "deflate" | null = null;
  for (const part of accept.split(",")) {
    const e = part.split(";")[0]!.trim();
    if (e === "gzip" || e === "deflate") {
      enc = e;
      break;
    }
  }
  if (!enc) return res;
  const raw = new Uint8Array(await res.arrayBuffer());
  const body = enc === "gzip" ? gzipSync(raw) : deflateSync(raw);
  const headers = new Headers(res.headers);
  headers.set("content-encoding", enc);
  headers.delete("content-length");
  return new Response(body, { status: res.status, headers });
}

/** HTTP methods an endpoint answers. */
export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Options shared by the routes of an area. */
export interface MountOptions {
  isReady?: () => boolean;
  /** --web.cors.origin (fully anchored regex source); undefined leaves CORS headers to the caller. */
  corsOrigin?: string;
}

const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-headers": "Accept, Authorization, Content-Type, Origin",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-expose-headers": "Date",
  vary: "Origin",
};

/**
 * Adds CORS headers as Prometheus's SetCORS does: only when the request has an Origin; the default
 * pattern ".*" allows "*", any other pattern echoes a matching origin.
 */
export function setCors(request: Request, res: Response, corsOrigin: string | undefined): Response {
  const origin = request.headers.get("origin");
  if (corsOrigin === undefined || !origin) return res;
  for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
  if (corsOrigin === ".*") res.headers.set("access-control-allow-origin", "*");
  else if (new RegExp(`^(?:${corsOrigin})$`).test(origin)) res.headers.set("access-control-allow-origin", origin);
  return res;
}

// Elysia's generics are too deep to thread through small helpers; areas are typed at the boundary.
// deno-lint-ignore no-explicit-any
type AnyElysia = any;

/**
 * Mounts `h` on `app` at `path` for each method. Bodies are not parsed by Elysia (`parse: 'none'`):
 * {@link readParams} reads form bodies itself so `match[]` repeats survive.
 */
export function mount(app: AnyElysia, methods: readonly Method[], path: string, h: ApiHandler, o: MountOptions = {}): AnyElysia {
  const fn = ({ request, params }: { request: Request; params?: Record<string, string> }) => {
    if (o.isReady && !o.isReady()) {
      return new Response("Service Unavailable", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return runHandler(h, request, params ?? {}).then((res) => setCors(request, res, o.corsOrigin));
  };
  for (const m of methods) {
    switch (m) {
      case "GET": app = app.get(path, fn); break;
      case "POST": app = app.post(path, fn, { parse: "none" }); break;
      case "PUT": app = app.put(path, fn, { parse: "none" }); break;
      case "DELETE": app = app.delete(path, fn, { parse: "none" }); break;
    }
  }
  return app;
}

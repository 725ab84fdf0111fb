/**
 * @module static/js/lib/api
 * Client of the Prometheus HTTP API (`/api/v1/...`) on the same origin and route prefix. Every call
 * returns `{data, warnings, infos}` or throws an {@link ApiError} carrying the API's errorType and
 * message (or the HTTP status when the body is not the API's JSON envelope).
 */
import { PREFIX } from "./dom.js";

/** An API error: `errorType` is the API's (bad_data, execution, …) or "http"/"network". */
export class ApiError extends Error {
  /** @param {string} errorType @param {string} message @param {number} status */
  constructor(errorType, message, status) {
    super(message);
    this.errorType = errorType;
    this.status = status;
  }
}

/**
 * Calls `GET {prefix}/api/v1/{path}` (or POST form-encoded when `post` is set, as the UI does for long
 * queries). Array params repeat the key (`match[]`).
 * @param {string} path
 * @param {Record<string, string | number | string[] | undefined>} [params]
 * @param {{ post?: boolean, signal?: AbortSignal }} [opts]
 * @returns {Promise<{ data: any, warnings: string[], infos: string[] }>}
 */
export async function api(path, params = {}, opts = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else q.append(k, String(v));
  }
  const url = `${PREFIX}/api/v1/${path}`;
  let res;
  try {
    res = opts.post
      ? await fetch(url, { method: "POST", body: q, signal: opts.signal, headers: { "content-type": "application/x-www-form-urlencoded" } })
      : await fetch(q.size ? `${url}?${q}` : url, { signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError("network", `cannot reach the server: ${e instanceof Error ? e.message : e}`, 0);
  }
  const text = await res.text();
  /** @type {any} */ let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("http", `${url}: HTTP ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200).trim()}` : ""}`, res.status);
  }
  if (body.status !== "success") {
    throw new ApiError(body.errorType ?? "http", body.error ?? `HTTP ${res.status}`, res.status);
  }
  return { data: body.data, warnings: body.warnings ?? [], infos: body.infos ?? [] };
}

/**
 * Fetches the PromQL function table the server's parser uses (`{prefix}/ui/api/functions`), once.
 * @returns {Promise<Array<{name: string, argTypes: string[], variadic: number, returnType: string, experimental: boolean}>>}
 */
export function functions() {
  fnCache ??= fetch(`${PREFIX}/ui/api/functions`).then((r) => r.json()).then((b) => b.data ?? []).catch(() => []);
  return fnCache;
}
/** @type {Promise<any[]> | undefined} */ let fnCache;

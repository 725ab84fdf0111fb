/**
 * @module exporters/blackbox/probers/http
 * The http prober, after blackbox_exporter's: resolve the target (preferred IP family, fallback), send the
 * request (method, headers, body, basic/bearer auth, compression), follow up to 10 redirects unless
 * no_follow_redirects, then check status code, HTTP version, SSL, body and header regexes. Exports
 * probe_http_* and probe_failed_due_to_regex, with per-phase durations summed over redirects.
 */
import { readFileSync } from "node:fs";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { type RawResponse, rawRequest } from "../http-client.ts";
import type { Prober, ProbeContext } from "../prober.ts";
import { compileGoRegex } from "../regex.ts";
import { lookupHost, resolveTarget } from "../resolve.ts";
import { setTLSMetrics, tlsOptions } from "../util.ts";

const MAX_REDIRECTS = 10;
/** The User-Agent probes send (blackbox_exporter sends "Blackbox Exporter/<version>"). */
export const USER_AGENT = "Blackbox Exporter/quiver";
const PHASES = ["resolve", "connect", "tls", "processing", "transfer"] as const;

function header(res: RawResponse, name: string): string[] {
  const n = name.toLowerCase();
  return res.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** Checks status against valid_status_codes (default 2xx). */
function statusOk(ctx: ProbeContext, status: number): boolean {
  const valid = ctx.module.http.valid_status_codes ?? [];
  if (valid.length > 0) return valid.includes(status);
  return status >= 200 && status < 300;
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").toLowerCase()) {
    case "gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    case "":
    case "identity":
      return body;
    default:
      throw new Error(`unsupported compression ${JSON.stringify(encoding)}`);
  }
}

/** The http prober. */
export const probeHTTP: Prober = async (ctx) => {
  const cfg = ctx.module.http;
  const m = ctx.metrics;
  const durHelp = "Duration of http request by phase, summed over all redirects";
  for (const p of PHASES) m.set("probe_http_duration_seconds", durHelp, 0, { phase: p });
  m.set("probe_http_content_length", "Length of http content response", 0);
  m.set("probe_http_uncompressed_body_length", "Length of uncompressed response body", 0);
  m.set("probe_http_redirects", "The number of redirects", 0);
  m.set("probe_http_ssl", "Indicates if SSL was used for the final redirect", 0);
  m.set("probe_http_status_code", "Response HTTP status code", 0);
  m.set("probe_http_version", "Returns the version of HTTP of the probe response", 0);
  m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 0);

  for (const key of ["proxy_url", "oauth2", "fail_if_body_json_matches_cel", "fail_if_body_json_not_matches_cel", "enable_http3"] as const) {
    if (cfg[key] !== undefined && cfg[key] !== false) {
      ctx.logger.error(`http setting ${key} is not supported by Quiver's blackbox exporter`);
      return false;
    }
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(ctx.target) ? ctx.target : "http://" + ctx.target);
  } catch {
    ctx.logger.error("Could not parse target URL", { target: ctx.target });
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.logger.error("Unsupported URL scheme", { scheme: url.protocol });
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const resolved = await resolveTarget(ctx, host, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback);
  if (!resolved) return false;
  m.set("probe_http_duration_seconds", durHelp, resolved.lookupSeconds, { phase: "resolve" });

  let body: Uint8Array | undefined;
  if (cfg.body !== undefined) body = Buffer.from(String(cfg.body));
  else if (cfg.body_file) body = readFileSync(cfg.body_file);
  const method = (cfg.method ?? "GET").toUpperCase();

  let redirects = 0;
  let address = resolved.address;
  let res: RawResponse;
  for (;;) {
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const headers: [string, string][] = [["Host", url.host]];
    const configured = Object.entries(cfg.headers ?? {});
    const has = (n: string) => configured.some(([k]) => k.toLowerCase() === n);
    for (const [k, v] of configured) if (k.toLowerCase() !== "host") headers.push([k, String(v)]);
    const hostOverride = configured.find(([k]) => k.toLowerCase() === "host");
    if (hostOverride) headers[0] = ["Host", String(hostOverride[1])];
    if (!has("user-agent")) headers.push(["User-Agent", USER_AGENT]);
    if (cfg.compression && !has("accept-encoding")) headers.push(["Accept-Encoding", cfg.compression]);
    if (cfg.basic_auth) {
      const pw = cfg.basic_auth.password ?? (cfg.basic_auth.password_file ? readFileSync(cfg.basic_auth.password_file, "utf8").trim() : "");
      headers.push(["Authorization", "Basic " + Buffer.from(`${cfg.basic_auth.username}:${pw}`).toString("base64")]);
    } else if (cfg.authorization) {
      const a = cfg.authorization as { type?: string; credentials?: string; credentials_file?: string };
      const cred = a.credentials ?? (a.credentials_file ? readFileSync(a.credentials_file, "utf8").trim() : "");
      headers.push(["Authorization", `${a.type ?? "Bearer"} ${cred}`]);
    } else if (cfg.bearer_token || cfg.bearer_token_file) {
      const tok = cfg.bearer_token ?? readFileSync(cfg.bearer_token_file!, "utf8").trim();
      headers.push(["Authorization", "Bearer " + tok]);
    }
    // Prometheus common http_headers: name → {values, secrets, files}, each entry one header line.
    for (const [k, spec] of Object.entries((cfg.http_headers ?? {}) as Record<string, { values?: string[]; secrets?: string[]; files?: string[] }>)) {
      for (const v of [...(spec.values ?? []), ...(spec.secrets ?? []), ...(spec.files ?? []).map((f) => readFileSync(f, "utf8").trim())]) headers.push([k, v]);
    }
    if (body !== undefined) headers.push(["Content-Length", String(body.length)]);
    headers.push(["Connection", "close"]);
    ctx.logger.info("Making HTTP request", { url: url.toString(), host: url.host });
    try {
      res = await rawRequest({
        address, port, tls: url.protocol === "https:" ? tlsOptions(cfg.tls_config, host) : null, method: redirects > 0 && method !== "GET" && method !== "HEAD" ? "GET" : method,
        path: url.pathname + url.search, headers, body: redirects > 0 ? undefined : body, maxBody: cfg.body_size_limit ?? Number.MAX_SAFE_INTEGER, signal: ctx.signal,
        http2: cfg.enable_http2,
      });
    } catch (e) {
      ctx.logger.error("Error for HTTP request", { err: e });
      return false;
    }
    for (const p of ["connect", "tls", "processing", "transfer"] as const) m.add("probe_http_duration_seconds", durHelp, res.timings[p], { phase: p });
    const loc = header(res, "location")[0];
    if (cfg.follow_redirects && res.status >= 300 && res.status < 400 && loc && res.status !== 304) {
      redirects++;
      if (redirects > MAX_REDIRECTS) {
        ctx.logger.error("Error for HTTP request", { err: `stopped after ${MAX_REDIRECTS} redirects` });
        return false;
      }
      ctx.logger.info("Received redirect", { location: loc });
      url = new URL(loc, url);
      const next = url.hostname.replace(/^\[|\]$/g, "");
      try {
        address = (await lookupHost(next, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback, ctx.signal)).address;
      } catch (e) {
        ctx.logger.error("Error resolving redirect target", { target: next, err: e });
        return false;
      }
      continue;
    }
    break;
  }
  ctx.logger.info("Received HTTP response", { status_code: res.status });
  m.set("probe_http_redirects", "The number of redirects", redirects);
  m.set("probe_http_status_code", "Response HTTP status code", res.status);
  m.set("probe_http_content_length", "Length of http content response", res.contentLength);
  const version = Number(res.version.slice(5)); // "HTTP/1.1" → 1.1, "HTTP/2.0" → 2
  m.set("probe_http_version", "Returns the version of HTTP of the probe response", version);
  const lm = header(res, "last-modified")[0];
  if (lm && !Number.isNaN(Date.parse(lm))) m.set("probe_http_last_modified_timestamp_seconds", "Returns the Last-Modified HTTP response header in unixtime", Date.parse(lm) / 1000);

  let success = statusOk(ctx, res.status);
  if (!success) ctx.logger.info("Invalid HTTP response status code", { status_code: res.status, valid_status_codes: JSON.stringify(cfg.valid_status_codes ?? []) });
  const versions = cfg.valid_http_versions ?? [];
  if (success && versions.length > 0 && !versions.includes(res.version) && !versions.includes(res.version.replace(/\.0$/, ""))) {
    ctx.logger.error("Invalid HTTP version number", { version: res.version });
    success = false;
  }
  let decoded: Buffer = res.body;
  try {
    decoded = decodeBody(res.body, header(res, "content-encoding")[0]);
  } catch (e) {
    ctx.logger.error("Failed to decompress response body", { err: e });
    success = false;
  }
  m.set("probe_http_uncompressed_body_length", "Length of uncompressed response body", decoded.length);
  if (success) {
    const text = decoded.toString("utf8");
    for (const r of cfg.fail_if_body_matches_regexp ?? []) {
      if (compileGoRegex(r).test(text)) {
        ctx.logger.error("Body matched regular expression", { regexp: r });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        success = false;
      }
    }
    for (const r of cfg.fail_if_body_not_matches_regexp ?? []) {
      if (!compileGoRegex(r).test(text)) {
        ctx.logger.error("Body did not match regular expression", { regexp: r });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        success = false;
      }
    }
    for (const hm of cfg.fail_if_header_matches ?? []) {
      const vals = header(res, hm.header);
      if (vals.length === 0 && !hm.allow_missing) {
        ctx.logger.error("Missing required header", { header: hm.header });
        success = false;
      } else if (vals.some((v) => compileGoRegex(hm.regexp).test(v))) {
        ctx.logger.error("Header matched regular expression", { header: hm.header, regexp: hm.regexp });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        success = false;
      }
    }
    for (const hm of cfg.fail_if_header_not_matches ?? []) {
      const vals = header(res, hm.header);
      if (vals.length === 0) {
        if (!hm.allow_missing) {
          ctx.logger.error("Missing required header", { header: hm.header });
          success = false;
        }
      } else if (!vals.some((v) => compileGoRegex(hm.regexp).test(v))) {
        ctx.logger.error("Header did not match regular expression", { header: hm.header, regexp: hm.regexp });
        m.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 1);
        success = false;
      }
    }
  }
  if (res.tls) {
    m.set("probe_http_ssl", "Indicates if SSL was used for the final redirect", 1);
    setTLSMetrics(m, res.tls);
    if (cfg.fail_if_ssl) {
      ctx.logger.error("Final request was over SSL");
      success = false;
    }
  } else if (cfg.fail_if_not_ssl) {
    ctx.logger.error("Final request was not over SSL");
    success = false;
  }
  return success;
};

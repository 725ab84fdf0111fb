/**
 * @module core/remote/config
 * `remote_write` and `remote_read` sections of prometheus.yml, parsed strictly (unknown keys rejected)
 * with Prometheus's keys and defaults, as {@link SectionParser}s for core/config/load.ts. The HTTP client
 * keys (basic_auth, authorization, tls_config, …) reuse core/discovery's `<http_config>` parser and
 * write_relabel_configs reuse core/relabel's.
 *
 * Defaults are those Prometheus documents for its current queue_config (capacity 10000, min_shards 1,
 * max_shards 50, max_samples_per_send 2000, batch_send_deadline 5s, min_backoff 30ms, max_backoff 5s,
 * retry_on_http_429 true), remote_timeout 30s (remote_read: 1m), metadata_config send true every 1m.
 * Durations are ms.
 */
import { createHash } from "node:crypto";
import type { SectionContext } from "../config/load.ts";
import { HTTP_CLIENT_KEYS, parseHTTPClientConfig, type HTTPClientConfig } from "../discovery/http-client.ts";
import { Matcher } from "../model/matcher.ts";
import { parseRelabelConfigs, type RelabelConfig } from "../relabel/index.ts";
import {
  configFail, expectList, expectObject, joinPath, readBool, readDuration, readString, readStringMap, readUint,
} from "../util/config-check.ts";

/** `queue_config`. Durations in ms. */
export interface QueueConfig {
  capacity: number;
  maxShards: number;
  minShards: number;
  maxSamplesPerSend: number;
  batchSendDeadline: number;
  minBackoff: number;
  maxBackoff: number;
  retryOnHttp429: boolean;
  /** Samples older than this (ms, 0 = off) are dropped instead of sent (Prometheus's sample_age_limit). */
  sampleAgeLimit: number;
}

/** Prometheus's queue_config defaults. */
export const DEFAULT_QUEUE_CONFIG: Readonly<QueueConfig> = Object.freeze({
  capacity: 10000,
  maxShards: 50,
  minShards: 1,
  maxSamplesPerSend: 2000,
  batchSendDeadline: 5000,
  minBackoff: 30,
  maxBackoff: 5000,
  retryOnHttp429: true,
  sampleAgeLimit: 0,
});

/** `metadata_config`. */
export interface MetadataConfig {
  send: boolean;
  /** ms */
  sendInterval: number;
  maxSamplesPerSend: number;
}

/** One `remote_write` entry. */
export interface RemoteWriteConfig {
  url: string;
  /** ms */
  remoteTimeout: number;
  headers: Record<string, string>;
  writeRelabelConfigs: RelabelConfig[];
  /** The `name` key, or a hash prefix of the config (Prometheus names unnamed queues by hash). */
  name: string;
  /** Stable identity of the queue (hash of the whole entry), used for its position file. */
  hash: string;
  sendExemplars: boolean;
  sendNativeHistograms: boolean;
  /** Remote write 1.0 (`prometheus.WriteRequest`) or 2.0 (`io.prometheus.write.v2.Request`). */
  protobufMessage: "prometheus.WriteRequest" | "io.prometheus.write.v2.Request";
  http: HTTPClientConfig;
  queue: QueueConfig;
  metadata: MetadataConfig;
  /** Directory of the config file (for credential files). */
  configDir: string;
}

/** One `remote_read` entry. */
export interface RemoteReadConfig {
  url: string;
  /** ms */
  remoteTimeout: number;
  headers: Record<string, string>;
  name: string;
  hash: string;
  /** Equality matchers every query must contain to be sent to this endpoint. */
  requiredMatchers: Matcher[];
  /** Whether to also query time ranges the local storage has complete data for. */
  readRecent: boolean;
  filterExternalLabels: boolean;
  http: HTTPClientConfig;
  configDir: string;
}

/** Headers Prometheus refuses to let users set on remote requests. */
const RESERVED_HEADERS = ["host", "content-encoding", "content-length", "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

const WRITE_KEYS = [
  "url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars", "send_native_histograms",
  "protobuf_message", "queue_config", "metadata_config", "sigv4", "azuread", "google_iam", "round_robin_dns",
  ...HTTP_CLIENT_KEYS,
];
const READ_KEYS = ["url", "remote_timeout", "headers", "name", "required_matchers", "read_recent", "filter_external_labels", ...HTTP_CLIENT_KEYS];
const QUEUE_KEYS = ["capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline", "min_backoff", "max_backoff", "retry_on_http_429", "sample_age_limit"];

function configHash(raw: unknown): string {
  return createHash("sha256").update(JSON.stringify(raw ?? null)).digest("hex");
}

function readUrl(o: Record<string, unknown>, path: string, section: "remote_write" | "remote_read"): string {
  const url = readString(o, "url", path);
  if (!url) configFail(joinPath(path, "url"), `url for ${section} is empty`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    configFail(joinPath(path, "url"), `invalid URL ${JSON.stringify(url)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") configFail(joinPath(path, "url"), `URL scheme must be 'http' or 'https': ${JSON.stringify(url)}`);
  if (!u.host) configFail(joinPath(path, "url"), `host is missing in URL ${JSON.stringify(url)}`);
  return url;
}

function readHeaders(o: Record<string, unknown>, path: string): Record<string, string> {
  const h = readStringMap(o, "headers", path) ?? {};
  for (const k of Object.keys(h)) {
    if (k.toLowerCase() === "authorization") configFail(joinPath(path, "headers"), "authorization header must be changed via the basic_auth, authorization, oauth2, or sigv4 parameter");
    if (RESERVED_HEADERS.includes(k.toLowerCase())) configFail(joinPath(path, "headers"), `${k} is a reserved header. It must not be changed`);
  }
  return h;
}

function rejectUnsupported(o: Record<string, unknown>, path: string, keys: string[]): void {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) configFail(joinPath(path, k), `${k} is not supported by Quiver`);
}

/** Parses the `remote_write` list. Throws ConfigError naming the key path. */
export function parseRemoteWriteConfigs(raw: unknown, ctx: Pick<SectionContext, "dir" | "path">): RemoteWriteConfig[] {
  const out: RemoteWriteConfig[] = [];
  const names = new Set<string>();
  expectList(raw, ctx.path).forEach((entry, i) => {
    const path = joinPath(ctx.path, i);
    const o = expectObject(entry, path, WRITE_KEYS);
    rejectUnsupported(o, path, ["sigv4", "azuread", "google_iam"]);
    const url = readUrl(o, path, "remote_write");
    const hash = configHash(entry);
    const name = readString(o, "name", path, "") || hash.slice(0, 6);
    if (names.has(name)) configFail(joinPath(path, "name"), `found multiple remote write configs with job name ${JSON.stringify(name)}`);
    names.add(name);
    const pm = readString(o, "protobuf_message", path, "prometheus.WriteRequest");
    if (pm !== "prometheus.WriteRequest" && pm !== "io.prometheus.write.v2.Request") {
      configFail(joinPath(path, "protobuf_message"), `unknown remote write protobuf message ${pm}, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request`);
    }
    const qp = joinPath(path, "queue_config");
    const q = expectObject(o.queue_config, qp, QUEUE_KEYS);
    const d = DEFAULT_QUEUE_CONFIG;
    const queue: QueueConfig = {
      capacity: readUint(q, "capacity", qp, d.capacity),
      maxShards: readUint(q, "max_shards", qp, d.maxShards),
      minShards: readUint(q, "min_shards", qp, d.minShards),
      maxSamplesPerSend: readUint(q, "max_samples_per_send", qp, d.maxSamplesPerSend),
      batchSendDeadline: readDuration(q, "batch_send_deadline", qp, d.batchSendDeadline),
      minBackoff: readDuration(q, "min_backoff", qp, d.minBackoff),
      maxBackoff: readDuration(q, "max_backoff", qp, d.maxBackoff),
      retryOnHttp429: readBool(q, "retry_on_http_429", qp, d.retryOnHttp429),
      sampleAgeLimit: readDuration(q, "sample_age_limit", qp, d.sampleAgeLimit),
    };
    if (queue.maxShards < 1) configFail(joinPath(qp, "max_shards"), "max_shards must be at least 1");
    if (queue.minShards < 1) configFail(joinPath(qp, "min_shards"), "min_shards must be at least 1");
    if (queue.minShards > queue.maxShards) configFail(qp, `min_shards (${queue.minShards}) must not exceed max_shards (${queue.maxShards})`);
    if (queue.maxSamplesPerSend < 1) configFail(joinPath(qp, "max_samples_per_send"), "max_samples_per_send must be at least 1");
    if (queue.capacity < 1) configFail(joinPath(qp, "capacity"), "capacity must be at least 1");
    if (queue.minBackoff > queue.maxBackoff) configFail(qp, "min_backoff must not exceed max_backoff");
    const mp = joinPath(path, "metadata_config");
    const m = expectObject(o.metadata_config, mp, ["send", "send_interval", "max_samples_per_send"]);
    out.push({
      url, hash, name,
      remoteTimeout: readDuration(o, "remote_timeout", path, 30_000),
      headers: readHeaders(o, path),
      writeRelabelConfigs: parseRelabelConfigs(o.write_relabel_configs, joinPath(path, "write_relabel_configs")),
      sendExemplars: readBool(o, "send_exemplars", path, false),
      sendNativeHistograms: readBool(o, "send_native_histograms", path, false),
      protobufMessage: pm,
      http: parseHTTPClientConfig(o, path),
      queue,
      metadata: {
        send: readBool(m, "send", mp, true),
        sendInterval: readDuration(m, "send_interval", mp, 60_000),
        maxSamplesPerSend: readUint(m, "max_samples_per_send", mp, 2000),
      },
      configDir: ctx.dir,
    });
  });
  return out;
}

/** Parses the `remote_read` list. Throws ConfigError naming the key path. */
export function parseRemoteReadConfigs(raw: unknown, ctx: Pick<SectionContext, "dir" | "path">): RemoteReadConfig[] {
  const out: RemoteReadConfig[] = [];
  const names = new Set<string>();
  expectList(raw, ctx.path).forEach((entry, i) => {
    const path = joinPath(ctx.path, i);
    const o = expectObject(entry, path, READ_KEYS);
    const url = readUrl(o, path, "remote_read");
    const hash = configHash(entry);
    const name = readString(o, "name", path, "") || hash.slice(0, 6);
    if (names.has(name)) configFail(joinPath(path, "name"), `found multiple remote read configs with job name ${JSON.stringify(name)}`);
    names.add(name);
    const req = readStringMap(o, "required_matchers", path) ?? {};
    out.push({
      url, hash, name,
      remoteTimeout: readDuration(o, "remote_timeout", path, 60_000),
      headers: readHeaders(o, path),
      requiredMatchers: Object.entries(req).map(([k, v]) => new Matcher("=", k, v)),
      readRecent: readBool(o, "read_recent", path, false),
      filterExternalLabels: readBool(o, "filter_external_labels", path, true),
      http: parseHTTPClientConfig(o, path),
      configDir: ctx.dir,
    });
  });
  return out;
}

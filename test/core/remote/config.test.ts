import { describe, expect, test } from "bun:test";
import { DEFAULT_QUEUE_CONFIG, parseRemoteReadConfigs, parseRemoteWriteConfigs } from "../../../core/remote/config.ts";
import { parseYaml } from "../../../core/config/load.ts";

const ctx = { dir: "/etc/quiver", path: "remote_write" };
const w = (yaml: string) => parseRemoteWriteConfigs(parseYaml(yaml), ctx);
const r = (yaml: string) => parseRemoteReadConfigs(parseYaml(yaml), { ...ctx, path: "remote_read" });

describe("remote_write config", () => {
  test("defaults as Prometheus documents them", () => {
    const [c] = w("- url: http://vm:8428/api/v1/write\n");
    expect(c!.queue).toEqual({ ...DEFAULT_QUEUE_CONFIG });
    expect(c!.queue).toMatchObject({ capacity: 10000, maxShards: 50, minShards: 1, maxSamplesPerSend: 2000, batchSendDeadline: 5000, minBackoff: 30, maxBackoff: 5000 });
    expect(c!.remoteTimeout).toBe(30_000);
    expect(c!.name).toMatch(/^[0-9a-f]{6}$/);
    expect(c!.metadata).toEqual({ send: true, sendInterval: 60_000, maxSamplesPerSend: 2000 });
    expect(c!.sendExemplars).toBe(false);
  });

  test("every documented key", () => {
    const [c] = w(`
- url: https://mimir.example/api/v1/push
  name: mimir
  remote_timeout: 10s
  headers: {X-Scope-OrgID: team-a}
  send_exemplars: true
  write_relabel_configs:
    - source_labels: [__name__]
      regex: go_.*
      action: drop
  basic_auth: {username: u, password: p}
  tls_config: {insecure_skip_verify: true}
  queue_config:
    capacity: 2500
    min_shards: 2
    max_shards: 10
    max_samples_per_send: 500
    batch_send_deadline: 1s
    min_backoff: 100ms
    max_backoff: 10s
    retry_on_http_429: false
  metadata_config: {send: false, send_interval: 2m}
`);
    expect(c!.name).toBe("mimir");
    expect(c!.remoteTimeout).toBe(10_000);
    expect(c!.headers).toEqual({ "X-Scope-OrgID": "team-a" });
    expect(c!.writeRelabelConfigs[0]!.action).toBe("drop");
    expect(c!.http.basic_auth).toEqual({ username: "u", password: "p", username_file: undefined, password_file: undefined });
    expect(c!.http.tls_config.insecure_skip_verify).toBe(true);
    expect(c!.queue).toEqual({ capacity: 2500, minShards: 2, maxShards: 10, maxSamplesPerSend: 500, batchSendDeadline: 1000, minBackoff: 100, maxBackoff: 10_000, retryOnHttp429: false, sampleAgeLimit: 0 });
    expect(c!.metadata.send).toBe(false);
    expect(c!.configDir).toBe("/etc/quiver");
  });

  test.each([
    ["- url: http://a/\n  nope: 1\n", 'remote_write[0].nope: unknown key "nope"'],
    ["- url: http://a/\n  queue_config: {max_shard: 3}\n", 'remote_write[0].queue_config.max_shard: unknown key "max_shard"'],
    ["- name: x\n", "url for remote_write is empty"],
    ["- url: ftp://a/\n", "URL scheme must be 'http' or 'https'"],
    ["- url: http://a/\n  headers: {Authorization: x}\n", "authorization header must be changed via the basic_auth, authorization, oauth2, or sigv4 parameter"],
    ["- url: http://a/\n  headers: {User-Agent: x}\n", "User-Agent is a reserved header. It must not be changed"],
    ["- url: http://a/\n  name: q\n- url: http://b/\n  name: q\n", 'found multiple remote write configs with job name "q"'],
    ["- url: http://a/\n  queue_config: {min_shards: 5, max_shards: 2}\n", "min_shards (5) must not exceed max_shards (2)"],
    ["- url: http://a/\n  protobuf_message: io.prometheus.write.v3\n", "unknown remote write protobuf message io.prometheus.write.v3, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request"],
    ["- url: http://a/\n  sigv4: {region: x}\n", "sigv4 is not supported by Quiver"],
    ["- url: http://a/\n  basic_auth: {username: u}\n  authorization: {credentials: c}\n", "at most one of basic_auth"],
    ["- url: http://a/\n  queue_config: {batch_send_deadline: 5x}\n", "batch_send_deadline"],
  ])("rejects %j", (yaml, msg) => {
    expect(() => w(yaml)).toThrow(msg);
  });

  test("the hash changes with any key, so a reload restarts only changed queues", () => {
    const a = w("- url: http://a/\n")[0]!, b = w("- url: http://a/\n  remote_timeout: 5s\n")[0]!;
    expect(a.hash).not.toBe(b.hash);
    expect(w("- url: http://a/\n")[0]!.hash).toBe(a.hash);
  });
});

describe("remote_read config", () => {
  test("keys and defaults", () => {
    const [c] = r("- url: http://prom:9090/api/v1/read\n  read_recent: true\n  required_matchers: {job: node}\n");
    expect(c!.remoteTimeout).toBe(60_000);
    expect(c!.readRecent).toBe(true);
    expect(c!.filterExternalLabels).toBe(true);
    expect(c!.requiredMatchers.map((m) => m.toString())).toEqual(['job="node"']);
  });
  test("unknown keys are rejected", () => {
    expect(() => r("- url: http://a/\n  queue_config: {}\n")).toThrow('remote_read[0].queue_config: unknown key "queue_config"');
  });
});

import { describe, expect, test } from "bun:test";
import type { MetricFamily } from "../../../core/model/metric-family.ts";
import { makeLoop, samples, scrapeConfig } from "./helpers.ts";

describe("in-process targets get the target's URL parameters", () => {
  test("config params and __param_* relabeled labels reach collect(), as an HTTP exporter's query string would", async () => {
    const cfg = scrapeConfig({
      plugin: "blackbox",
      params: { module: ["http_2xx"] },
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { source_labels: ["__param_target"], target_label: "instance" },
        { target_label: "__address__", replacement: "blackbox" },
      ],
    });
    let seen: URLSearchParams | undefined;
    const collect = (_s: AbortSignal, params?: URLSearchParams): MetricFamily[] => {
      seen = params;
      return [{ name: "probe_success", type: "gauge", samples: [{ name: "probe_success", labels: {}, value: 1 }] }];
    };
    const { db, loop } = makeLoop(cfg, "https://example.org", { collect });
    await loop.scrapeOnce(1000);
    expect(seen?.get("module")).toBe("http_2xx");
    expect(seen?.get("target")).toBe("https://example.org");
    const got = await samples(db, "probe_success");
    expect(got).toEqual([{ labels: { __name__: "probe_success", instance: "https://example.org", job: "test" }, t: 1000, v: 1 }]);
  });
});

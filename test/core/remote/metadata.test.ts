import { expect, test } from "bun:test";
import { metadataFromTargets } from "../../../core/remote/metadata.ts";

test("metadataFromTargets collects every active target's metadata by metric name", () => {
  const md = (type: string, help: string) => ({ type, help, unit: "" });
  const src = metadataFromTargets({
    targetsActive: () => new Map([
      ["node", [{ metadata: new Map([["node_load1", md("gauge", "1m load average.")]]) }, { metadata: new Map([["node_load1", md("gauge", "1m load average.")], ["up", md("gauge", "")]]) }]],
      ["app", [{ metadata: new Map([["http_requests_total", md("counter", "Requests.")]]) }]],
    ]),
  });
  expect(src()).toEqual({
    node_load1: [md("gauge", "1m load average."), md("gauge", "1m load average.")],
    up: [md("gauge", "")],
    http_requests_total: [md("counter", "Requests.")],
  });
});

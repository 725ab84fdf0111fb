import { describe, expect, test } from "bun:test";
import { desiredShards, RateTracker } from "../../../core/remote/sharding.ts";

describe("dynamic sharding", () => {
  const rates = (inRate: number, outRate: number, outDurationRate: number, droppedRate = 0) => ({ inRate, outRate, outDurationRate, droppedRate });

  test("no sends yet keeps the current count", () => {
    expect(desiredShards(rates(1000, 0, 0), { highestRecvMs: 0, highestSentMs: 0 }, 3, 1, 50)).toBe(3);
  });

  test("shards = time per sample × (input rate + 5% of the backlog), clamped", () => {
    // 10k samples/s in, each send-second moves 1k samples: 10 shards needed.
    expect(desiredShards(rates(10_000, 10_000, 10), { highestRecvMs: 1000, highestSentMs: 1000 }, 1, 1, 50)).toBe(10);
    // A 100 s backlog at 10k/s adds 0.05 × 1M samples of work per second: 60 → clamped to 50.
    expect(desiredShards(rates(10_000, 10_000, 10), { highestRecvMs: 200_000, highestSentMs: 100_000 }, 1, 1, 50)).toBe(50);
    // Plenty of capacity: down to min_shards.
    expect(desiredShards(rates(100, 100, 0.01), { highestRecvMs: 1000, highestSentMs: 1000 }, 8, 2, 50)).toBe(2);
  });

  test("changes within ±30% are ignored", () => {
    expect(desiredShards(rates(11_000, 10_000, 10), { highestRecvMs: 1, highestSentMs: 1 }, 10, 1, 50)).toBe(10);
    expect(desiredShards(rates(14_000, 10_000, 10), { highestRecvMs: 1, highestSentMs: 1 }, 10, 1, 50)).toBe(14);
  });

  test("dropped samples lower the kept ratio", () => {
    expect(desiredShards(rates(10_000, 5_000, 5, 5_000), { highestRecvMs: 1, highestSentMs: 1 }, 1, 1, 50)).toBe(5);
  });

  test("rates are exponentially weighted per tick", () => {
    const r = new RateTracker();
    r.tick(0);
    r.in = 1000;
    expect(r.tick(1000).inRate).toBe(1000);
    r.in = 2000;
    expect(r.tick(2000).inRate).toBe(1000 + 0.2 * 1000);
  });
});

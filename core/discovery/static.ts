/**
 * @module core/discovery/static
 * static_configs: each entry becomes one target group (source = its index), emitted once at start.
 */
import type { StaticConfig } from "./config.ts";
import type { Discoverer, TargetGroup } from "./types.ts";

/** Converts static_configs entries to target groups (source "0", "1", …, as Prometheus numbers them). */
export function staticGroups(cfgs: readonly StaticConfig[]): TargetGroup[] {
  return cfgs.map((c, i) => ({
    targets: c.targets.map((t) => ({ __address__: t })),
    labels: { ...c.labels },
    source: String(i),
  }));
}

/** A discoverer that emits fixed groups once and then waits for abort. */
export function staticDiscoverer(cfgs: readonly StaticConfig[]): Discoverer {
  return {
    async run(signal, emit) {
      emit(staticGroups(cfgs));
      if (!signal.aborted) await new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true }));
    },
  };
}

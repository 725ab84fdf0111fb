/**
 * @module core/app/discoverers
 * Turns loaded discoverer plugins into the scrape manager's `<name>_sd_configs` factories. Each instance
 * is created through the plugin SDK (config validated by the plugin's create) and its run loop is guarded:
 * a throwing discoverer is logged by the discovery manager and leaves the others running.
 */
import type { DiscovererFactory } from "../discovery/types.ts";
import type { PluginManager } from "../plugin/manager.ts";

/** Factories for every loaded discoverer plugin, by plugin name (read when scrape configs apply). */
export function discovererFactories(plugins: PluginManager, configDir: () => string): ReadonlyMap<string, DiscovererFactory> {
  const view = new Map<string, DiscovererFactory>();
  const refresh = () => {
    view.clear();
    for (const [name, def] of plugins.definitions("discoverer")) {
      view.set(name, async (config, ctx) => {
        const inst = await def.create({ config, logger: ctx.logger.child({ plugin: name }), dataDir: "", configDir: configDir() });
        await inst.start?.();
        return {
          run: async (signal, emit) => {
            try {
              await inst.run(signal, emit);
            } finally {
              await inst.stop?.();
            }
          },
        };
      });
    }
  };
  // The map is consulted lazily by the discovery manager; refresh on each access so rescans are seen.
  return new Proxy(view, {
    get(target, prop, recv) {
      refresh();
      const v = Reflect.get(target, prop, recv);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

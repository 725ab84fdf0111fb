/**
 * @module core/app/discoverers
 * Turns loaded discoverer plugins into the scrape manager's `<name>_sd_configs` factories. Each instance
 * is created through the plugin SDK (config validated by the plugin's create); a throwing run loop is
 * logged by the discovery manager and leaves the other discoverers running.
 */
import type { DiscovererFactory } from "../discovery/types.ts";
import type { PluginManager } from "../plugin/manager.ts";

/** A live map of factories, rebuilt by `refresh()` after each plugin scan. */
export interface DiscovererRegistry {
  readonly factories: ReadonlyMap<string, DiscovererFactory>;
  /** Rebuilds the map from the plugins loaded now. */
  refresh(): void;
}

/** Factories for every loaded discoverer plugin, by plugin name. */
export function discovererRegistry(plugins: PluginManager, configDir: () => string): DiscovererRegistry {
  const factories = new Map<string, DiscovererFactory>();
  const refresh = () => {
    factories.clear();
    for (const [name, def] of plugins.definitions("discoverer")) {
      factories.set(name, async (config, ctx) => {
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
  refresh();
  return { factories, refresh };
}

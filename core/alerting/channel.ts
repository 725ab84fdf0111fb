/**
 * @module core/alerting/channel
 * Small helpers shared by notifier plugins: strict key checking, the template expander from the context
 * (or the defaults when a plugin runs outside Quiver's Alertmanager), and Alertmanager's truncation
 * rule (cut to n characters, ending with `…`).
 */
import type { PluginContext } from "../plugin/types.ts";
import { ConfigError } from "../util/errors.ts";
import { createTemplateExpander, type TemplateExpander } from "./template-data.ts";

/** Keys every integration accepts. */
export const COMMON_KEYS = ["send_resolved", "http_config", "timeout"];

/** Rejects keys outside `allowed` (plus COMMON_KEYS), naming Alertmanager's config type. */
export function checkKeys(cfg: Record<string, unknown>, allowed: readonly string[], typeName: string): void {
  for (const k of Object.keys(cfg)) {
    if (!allowed.includes(k) && !COMMON_KEYS.includes(k)) throw new ConfigError(`field ${k} not found in type config.${typeName}`);
  }
}

/** The template expander a plugin should use. */
export function templatesOf(ctx: PluginContext<unknown>): TemplateExpander {
  const t = (ctx as { templates?: TemplateExpander }).templates;
  return t ?? createTemplateExpander();
}

/** Truncates to at most `n` characters (code points), marking a cut with `…`; reports whether it cut. */
export function truncate(s: string, n: number): { text: string; truncated: boolean } {
  const cps = [...s];
  if (cps.length <= n) return { text: s, truncated: false };
  return { text: cps.slice(0, Math.max(0, n - 1)).join("") + "…", truncated: true };
}

/** Reads an optional string setting. */
export function str(cfg: Record<string, unknown>, key: string, def: string): string {
  const v = cfg[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== "string") throw new ConfigError(`${key}: expected a string`);
  return v;
}

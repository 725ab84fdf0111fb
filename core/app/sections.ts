/**
 * @module core/app/sections
 * The config section parsers this build wires into the loader, and the merge of `scrape_configs` with
 * the files named by `scrape_config_files` (Prometheus's semantics: job names unique across both).
 */
import { readFileSync } from "node:fs";
import type { Config, SectionContext, SectionParsers } from "../config/load.ts";
import { parseAlertingSection, type AlertingConfig } from "../notifier/config.ts";
import { parseRemoteReadConfigs, parseRemoteWriteConfigs, type RemoteReadConfig, type RemoteWriteConfig } from "../remote/config.ts";
import { parseScrapeConfigFile, parseScrapeConfigs, type ScrapeConfig } from "../scrape/config.ts";
import { configFail, expectList } from "../util/config-check.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";

/** The sections parsed outside core/config. */
export interface Sections {
  scrape_configs: ScrapeConfig[];
  scrape_config_files: ScrapeConfig[];
  alerting: AlertingConfig;
  remote_write: RemoteWriteConfig[];
  remote_read: RemoteReadConfig[];
}

/** What the parsers need to know about loaded plugins. */
export interface SectionPluginInfo {
  sdPluginNames: ReadonlySet<string>;
}

/** Builds the section parsers. `plugins` is read at parse time (after each plugin scan). */
export function sectionParsers(plugins: () => SectionPluginInfo): SectionParsers<Sections> {
  return {
    scrape_configs: (raw, ctx) => parseScrapeConfigs(raw, ctx.global, ctx.path, { sdPluginNames: plugins().sdPluginNames, dir: ctx.dir }),
    scrape_config_files: (raw, ctx) => scrapeConfigFiles(raw, ctx, plugins().sdPluginNames),
    alerting: (raw, ctx) => parseAlertingSection(raw, ctx, plugins().sdPluginNames),
    remote_write: parseRemoteWriteConfigs,
    remote_read: parseRemoteReadConfigs,
  };
}

function scrapeConfigFiles(raw: unknown, ctx: SectionContext, sd: ReadonlySet<string>): ScrapeConfig[] {
  const out: ScrapeConfig[] = [];
  const seen = new Set<string>();
  expectList(raw, ctx.path).forEach((pat, i) => {
    const at = `${ctx.path}[${i}]`;
    if (typeof pat !== "string") configFail(at, `expected a file pattern, got ${JSON.stringify(pat)}`);
    for (const file of ctx.expandGlob(pat)) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        configFail(at, `cannot read ${file}: ${errorMessage(e)}`);
      }
      out.push(...parseScrapeConfigFile(text, file, ctx.global, { sdPluginNames: sd }, seen));
    }
  });
  return out;
}

/** All scrape configs of a loaded config; throws ConfigError on a job name used twice. */
export function allScrapeConfigs(cfg: Config<Sections>): ScrapeConfig[] {
  const all = [...cfg.sections.scrape_configs, ...cfg.sections.scrape_config_files];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.job_name)) throw new ConfigError(`found multiple scrape configs with job name "${c.job_name}"`, cfg.file, "scrape_config_files");
    seen.add(c.job_name);
  }
  return all;
}

/**
 * @module core/app/sections
 * The config section parsers this build wires into the loader, and the merge of `scrape_configs` with
 * the files named by `scrape_config_files` (Prometheus's semantics: job names unique across both).
 */
import { readFileSync } from "node:fs";
import { parseYaml, type Config, type SectionContext, type SectionParsers } from "../config/load.ts";
import { parseAlertingSection, type AlertingConfig } from "../notifier/config.ts";
import { parseScrapeConfigs, type ScrapeConfig } from "../scrape/config.ts";
import { configFail, expectList, expectObject } from "../util/config-check.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";

/** The sections parsed outside core/config. */
export interface Sections {
  scrape_configs: ScrapeConfig[];
  scrape_config_files: ScrapeConfig[];
  alerting: AlertingConfig;
}

/** What the parsers need to know about loaded plugins. */
export interface SectionPluginInfo {
  sdPluginNames: ReadonlySet<string>;
}

/** Builds the section parsers. `plugins` is read at parse time (after each plugin scan). */
export function sectionParsers(plugins: () => SectionPluginInfo): SectionParsers<Sections> {
  return {
    scrape_configs: (raw, ctx) => parseScrapeConfigs(raw, ctx.global, ctx.path, { sdPluginNames: plugins().sdPluginNames }),
    scrape_config_files: (raw, ctx) => scrapeConfigFiles(raw, ctx, plugins().sdPluginNames),
    alerting: (raw, ctx) => parseAlertingSection(raw, ctx, plugins().sdPluginNames),
  };
}

function scrapeConfigFiles(raw: unknown, ctx: SectionContext, sd: ReadonlySet<string>): ScrapeConfig[] {
  const out: ScrapeConfig[] = [];
  expectList(raw, ctx.path).forEach((pat, i) => {
    const at = `${ctx.path}[${i}]`;
    if (typeof pat !== "string") configFail(at, `expected a file pattern, got ${JSON.stringify(pat)}`);
    for (const file of ctx.expandGlob(pat)) {
      let doc: unknown;
      try {
        doc = parseYaml(readFileSync(file, "utf8"), file);
      } catch (e) {
        if (e instanceof ConfigError) throw e;
        configFail(at, `cannot read ${file}: ${errorMessage(e)}`);
      }
      const o = expectObject(doc, `${file}`, ["scrape_configs"]);
      try {
        out.push(...parseScrapeConfigs(o.scrape_configs, ctx.global, "scrape_configs", { sdPluginNames: sd }));
      } catch (e) {
        if (e instanceof ConfigError) throw new ConfigError(`${file}: ${e.message}`, file, e.path, { cause: e });
        throw e;
      }
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

/**
 * @module core/relabel
 * Relabeling: rule types and validation (config.ts), template expansion (template.ts) and application
 * (relabel.ts). Import from here.
 */
export {
  DEFAULT_RELABEL_CONFIG, isValidLabelName, parseRelabelConfig, parseRelabelConfigs, RELABEL_ACTIONS, relabelConfig,
  type RelabelAction, type RelabelConfig,
} from "./config.ts";
export { hashMod, process, processBuilder } from "./relabel.ts";
export { expandTemplate, hasTemplateVar } from "./template.ts";

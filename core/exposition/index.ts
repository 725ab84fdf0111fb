/**
 * @module core/exposition
 * Public surface of the exposition formats: writers, content negotiation, body decoding and parsers.
 * Import from here rather than from the individual files.
 */
export * from "./content-type.ts";
export { BodySizeLimitError, decodeBody, type DecodeBodyOptions } from "./body.ts";
export { ExpositionParseError } from "./errors.ts";
export { formatGoFloat } from "./float.ts";
export { escapeHelpOpenMetrics, escapeHelpText, escapeLabelValue, isLegacyLabelName, isLegacyMetricName } from "./names.ts";
export { writeOpenMetrics, writeText, type WriteOptions } from "./writer.ts";
export { createParser, createParserForContentType, type ContentTypeParserOptions } from "./parser.ts";
export { type EntryKind, type ExpositionParser, type ParserOptions } from "./parser-base.ts";
export { canonicalFloatLabel, parseFloatToken } from "./number.ts";
export { TextParser } from "./text-parser.ts";
export { OpenMetricsParser, OM_TYPE_SUFFIXES } from "./openmetrics-parser.ts";
export { parseToFamilies } from "./families.ts";

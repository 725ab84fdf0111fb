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

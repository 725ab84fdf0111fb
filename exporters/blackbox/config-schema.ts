/**
 * @module exporters/blackbox/config-schema
 * Strict YAML-to-object checking for blackbox.yml: every mapping is checked against its list of known
 * keys, so a typo fails loading with the key, its YAML line and the config type, in the manner of
 * blackbox_exporter's `yaml.UnmarshalStrict` ("line 49: field invalid_extra_field not found in type
 * config.DNSProbe").
 */
import { isMap, isSeq, type Node, type ParsedNode, LineCounter } from "yaml";

/** A config loading error: names the file position and the reason. */
export class BlackboxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlackboxConfigError";
  }
}

/** Walks a parsed YAML node tree checking keys. `types` maps a dotted path pattern to [type name, keys]. */
export function checkKeys(node: Node | null | undefined, typeName: string, known: readonly string[], lc: LineCounter, nested: (key: string, value: ParsedNode | null) => void = () => {}): void {
  if (!node || !isMap(node)) return;
  for (const item of node.items) {
    const keyNode = item.key as ParsedNode | null;
    const key = keyNode && "value" in keyNode ? String((keyNode as { value: unknown }).value) : String(item.key);
    if (!known.includes(key)) {
      const line = keyNode?.range ? lc.linePos(keyNode.range[0]).line : 0;
      throw new BlackboxConfigError(`line ${line}: field ${key} not found in type config.${typeName}`);
    }
    nested(key, item.value as ParsedNode | null);
  }
}

/** Calls `fn` for each element of a YAML sequence node. */
export function eachSeq(node: ParsedNode | null, fn: (n: ParsedNode) => void): void {
  if (node && isSeq(node)) for (const it of node.items) fn(it as ParsedNode);
}

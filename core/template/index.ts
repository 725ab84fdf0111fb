/**
 * @module core/template
 * Go text/template for Quiver: Prometheus alert/recording rule templates (labels, annotations) and
 * Alertmanager notification templates share one engine.
 *
 * Use {@link RuleTemplate} for rule files: it prepends Prometheus's variable preamble (`$labels`,
 * `$externalLabels`, `$externalURL`, `$value`), validates at load (syntax, unknown functions, undefined
 * variables) and expands with the query function of the evaluation.
 */
import type { Labels } from "../model/labels.ts";
import { Executor, type TemplateFunc } from "./exec.ts";
import { goBuiltins, humanizeFuncs, stringFuncs } from "./funcs.ts";
import { parseTemplate, TemplateParseError, type Node, type ParsedTemplate } from "./parse.ts";
import { promQueryFuncs, type TemplateQueryFunc } from "./prom-funcs.ts";

export { Executor, SafeHTML, TemplateExecError, truth, type TemplateFunc } from "./exec.ts";
export { parseTemplate, TemplateParseError, type ParsedTemplate, type Node } from "./parse.ts";
export { formatFloat, formatV, sprintf, goQuote } from "./go-fmt.ts";
export { goBuiltins, humanize, humanize1024, humanizeDuration, humanizeFuncs, stringFuncs, toFloat, htmlEscape, queryEscape, GoTime } from "./funcs.ts";
export { promQueryFuncs, graphLink, tableLink, type QuerySample, type TemplateQueryFunc, type TemplateSample } from "./prom-funcs.ts";

const PREAMBLE = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

/** Every function name a Prometheus rule template may call. */
export function promFuncNames(): Set<string> {
  const all = promTemplateFuncs({ externalURL: "http://localhost/" });
  return new Set(all.keys());
}

/** The full function table of Prometheus rule templates. */
export function promTemplateFuncs(opts: { query?: TemplateQueryFunc; externalURL: string }): Map<string, TemplateFunc> {
  return new Map([...goBuiltins(), ...humanizeFuncs(), ...stringFuncs(), ...promQueryFuncs(opts)]);
}

/** Data of one rule-template expansion. */
export interface RuleTemplateData {
  labels: Labels | Record<string, string>;
  externalLabels: Record<string, string>;
  externalURL: string;
  /** The sample value ($value). */
  value: number;
}

/**
 * A label or annotation template of a rule, parsed once at load. Text without `{{` is kept as is and
 * never parsed.
 */
export class RuleTemplate {
  readonly #parsed: ParsedTemplate | null;
  #funcs: Map<string, TemplateFunc> | undefined;
  #funcsQuery: TemplateQueryFunc | undefined;
  #funcsURL = "";

  /**
   * Parses `text`. `name` appears in errors (Prometheus uses `__alert_<alertname>`).
   * @throws TemplateParseError for syntax errors, unknown functions and undefined variables.
   */
  constructor(readonly name: string, readonly text: string) {
    this.#parsed = text.includes("{{") ? parseTemplate(name, PREAMBLE + text, promFuncNames()) : null;
    if (this.#parsed) checkTemplateRefs(this.#parsed);
  }

  /** Whether the text contains template actions. */
  get isTemplate(): boolean {
    return this.#parsed !== null;
  }

  /**
   * Expands the template. Errors are returned as text the way Prometheus does for annotations:
   * `<error expanding template: …>`, so a broken template never stops an evaluation.
   */
  async expand(data: RuleTemplateData, query?: TemplateQueryFunc): Promise<string> {
    if (!this.#parsed) return this.text;
    const labels = "toObject" in data.labels && typeof data.labels.toObject === "function" ? (data.labels as Labels).toObject() : data.labels as Record<string, string>;
    // The function table depends only on the query function and URL, which are the same for every alert
    // of one evaluation: build it once per evaluation, not per expansion.
    if (!this.#funcs || this.#funcsQuery !== query || this.#funcsURL !== data.externalURL) {
      this.#funcs = promTemplateFuncs({ query, externalURL: data.externalURL });
      this.#funcsQuery = query;
      this.#funcsURL = data.externalURL;
    }
    const ex = new Executor(this.#funcs, this.#parsed.defines);
    try {
      return await ex.execute(this.#parsed, {
        Labels: labels,
        ExternalLabels: data.externalLabels,
        ExternalURL: data.externalURL,
        Value: data.value,
      });
    } catch (e) {
      return `<error expanding template: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }
}

/** Fails when a `{{ template "x" }}` names a template the text does not define (Go fails only when executed). */
function checkTemplateRefs(t: ParsedTemplate): void {
  const visit = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      if (n.t === "template" && !t.defines.has(n.name)) {
        throw new TemplateParseError(`template: ${t.name}:${n.line}: no such template ${JSON.stringify(n.name)}`);
      }
      if (n.t === "if" || n.t === "with" || n.t === "range") {
        visit(n.list);
        if (n.else) visit(n.else);
      }
    }
  };
  visit(t.root);
  for (const body of t.defines.values()) visit(body);
}

/**
 * @module core/template/exec
 * Executes a parsed Go template (core/template/parse.ts) against data. Execution is async because
 * template functions may be (Prometheus's `query` runs a PromQL query).
 *
 * Go semantics kept: `.Name` on a map reads the key (a missing key of a string map gives "", like Go's
 * zero value with missingkey=zero; of other maps `<no value>`), on an object reads the property and calls
 * it when it is a method (with any arguments of the command); `and`/`or` short-circuit; `range` over maps
 * visits keys in sorted order; `$` is the data the template was executed with; emptiness (false, 0, "",
 * nil, empty slice or map) decides `if`, `with` and `range`.
 */
import { QuiverError } from "../util/errors.ts";
import { formatV } from "./go-fmt.ts";
import type { Arg, Command, Node, ParsedTemplate, Pipe } from "./parse.ts";

/** A function callable from templates. Receives evaluated arguments (the piped value last). */
export type TemplateFunc = (...args: any[]) => unknown;

/** A failure while executing a template. */
export class TemplateExecError extends QuiverError {
  constructor(message: string) {
    super("execution", message);
  }
}

const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");
/** Wraps output that must not be escaped further (safeHtml); prints as its string. */
export class SafeHTML {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Whether a value is "non-empty" in Go's template sense. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0 || v === 0n) return false;
  if (typeof v === "number" && Number.isNaN(v)) return true;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length > 0;
  return true;
}

interface Scope {
  vars: Array<{ name: string; value: unknown }>;
}

/** Executes templates of one set (shared defines) with one function table. */
export class Executor {
  constructor(
    private readonly funcs: ReadonlyMap<string, TemplateFunc>,
    private readonly defines: ReadonlyMap<string, Node[]>,
    /** Applied to every action's printed output (HTML escaping for email bodies); SafeHTML is exempt. */
    private readonly escape?: (s: string) => string,
  ) {}

  /** Executes `t` (its main body) with `data` as dot and `$`; returns the output text. */
  async execute(t: ParsedTemplate, data: unknown): Promise<string> {
    return this.run(t.name, t.root, data);
  }

  /** Executes the named template of the set. */
  async executeNamed(name: string, data: unknown): Promise<string> {
    const body = this.defines.get(name);
    if (!body) throw new TemplateExecError(`template: no template ${JSON.stringify(name)} associated with template`);
    return this.run(name, body, data);
  }

  private async run(name: string, nodes: Node[], data: unknown, depth = 0): Promise<string> {
    if (depth > 100) throw new TemplateExecError(`template: ${name}: exceeded maximum template depth (100)`);
    const out: string[] = [];
    const scope: Scope = { vars: [{ name: "$", value: data }] };
    try {
      await this.walkList(name, out, scope, data, nodes, depth);
    } catch (e) {
      if (e === BREAK || e === CONTINUE) throw new TemplateExecError(`template: ${name}: break or continue outside range`);
      throw e;
    }
    return out.join("");
  }

  private async walkList(name: string, out: string[], sc: Scope, dot: unknown, nodes: Node[], depth: number): Promise<void> {
    const mark = sc.vars.length;
    try {
      for (const n of nodes) await this.walk(name, out, sc, dot, n, depth);
    } finally {
      sc.vars.length = mark;
    }
  }

  private async walk(name: string, out: string[], sc: Scope, dot: unknown, n: Node, depth: number): Promise<void> {
    switch (n.t) {
      case "text":
        out.push(n.text);
        return;
      case "action": {
        const v = await this.evalPipe(name, sc, dot, n.pipe);
        if (n.pipe.decl.length === 0) out.push(this.escape && !(v instanceof SafeHTML) ? this.escape(formatV(v)) : formatV(v));
        return;
      }
      case "if":
      case "with": {
        const mark = sc.vars.length;
        const v = await this.evalPipe(name, sc, dot, n.pipe);
        try {
          if (truth(v)) await this.walkList(name, out, sc, n.t === "with" ? v : dot, n.list, depth);
          else if (n.else) await this.walkList(name, out, sc, dot, n.else, depth);
        } finally {
          sc.vars.length = mark;
        }
        return;
      }
      case "range":
        return this.walkRange(name, out, sc, dot, n, depth);
      case "template": {
        const body = this.defines.get(n.name);
        if (!body) throw new TemplateExecError(`template: ${name}:${n.line}: no such template ${JSON.stringify(n.name)}`);
        const v = n.pipe ? await this.evalPipe(name, sc, dot, n.pipe) : null;
        out.push(await this.run(n.name, body, v, depth + 1));
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  private async walkRange(name: string, out: string[], sc: Scope, dot: unknown, n: Extract<Node, { t: "range" }>, depth: number): Promise<void> {
    const pipe: Pipe = { ...n.pipe, decl: [] };
    const v = await this.evalPipe(name, sc, dot, pipe);
    let entries: Array<[unknown, unknown]>;
    if (v === null || v === undefined) entries = [];
    else if (Array.isArray(v)) entries = v.map((x, i) => [BigInt(i), x]);
    else if (v instanceof Map) entries = [...v.keys()].sort().map((k) => [k, v.get(k)]);
    else if (typeof v === "bigint" || typeof v === "number") {
      entries = [];
      for (let i = 0n; i < BigInt(v); i++) entries.push([i, i]);
    } else if (typeof v === "object") {
      entries = Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]);
    } else throw new TemplateExecError(`template: ${name}:${n.pipe.line}: range can't iterate over ${formatV(v)}`);
    if (entries.length === 0) {
      if (n.else) await this.walkList(name, out, sc, dot, n.else, depth);
      return;
    }
    const decl = n.pipe.decl;
    for (const [k, x] of entries) {
      const mark = sc.vars.length;
      if (decl.length === 1) sc.vars.push({ name: decl[0]!, value: x });
      else if (decl.length === 2) sc.vars.push({ name: decl[0]!, value: k }, { name: decl[1]!, value: x });
      try {
        await this.walkList(name, out, sc, x, n.list, depth);
      } catch (e) {
        if (e === BREAK) break;
        if (e !== CONTINUE) throw e;
      } finally {
        sc.vars.length = mark;
      }
    }
  }

  private async evalPipe(name: string, sc: Scope, dot: unknown, p: Pipe): Promise<unknown> {
    let v: unknown = undefined;
    let first = true;
    for (const c of p.cmds) {
      v = await this.evalCmd(name, sc, dot, c, first ? NONE : v, p.line);
      first = false;
    }
    if (p.decl.length) {
      for (const d of p.decl) {
        if (p.assign) {
          const slot = findVar(sc, d);
          if (!slot) throw new TemplateExecError(`template: ${name}:${p.line}: undefined variable: ${d}`);
          slot.value = v;
        } else sc.vars.push({ name: d, value: v });
      }
    }
    return v;
  }

  private async evalCmd(name: string, sc: Scope, dot: unknown, c: Command, final: unknown, line: number): Promise<unknown> {
    const head = c.args[0]!;
    const err = (m: string) => new TemplateExecError(`template: ${name}:${line}: executing ${JSON.stringify(name)}: ${m}`);
    const evalArgs = async (): Promise<unknown[]> => {
      const xs: unknown[] = [];
      for (let i = 1; i < c.args.length; i++) xs.push(await this.evalArg(name, sc, dot, c.args[i]!, line));
      if (final !== NONE) xs.push(final);
      return xs;
    };
    try {
      if (head.k === "ident") {
        if (head.name === "and" || head.name === "or") {
          let last: unknown;
          const n = c.args.length - 1 + (final !== NONE ? 1 : 0);
          if (n === 0) throw err(`wrong number of args for ${head.name}: want at least 1 got 0`);
          for (let i = 1; i <= n; i++) {
            last = i < c.args.length ? await this.evalArg(name, sc, dot, c.args[i]!, line) : final;
            if (head.name === "and" ? !truth(last) : truth(last)) return last;
          }
          return last;
        }
        const fn = this.funcs.get(head.name);
        if (!fn) throw err(`function ${JSON.stringify(head.name)} not defined`);
        return await fn(...(await evalArgs()));
      }
      if ((head.k === "field" || head.k === "var" || head.k === "pipe") && (c.args.length > 1 || final !== NONE)) {
        const names = head.names;
        if (names.length > 0) {
          const recv = await this.evalArg(name, sc, dot, { ...head, names: names.slice(0, -1) } as Arg, line);
          return await this.field(recv, names[names.length - 1]!, await evalArgs(), err);
        }
      }
      if (c.args.length > 1 || final !== NONE) throw err(`can't give argument to non-function ${describe(head)}`);
      return await this.evalArg(name, sc, dot, head, line);
    } catch (e) {
      if (e instanceof TemplateExecError || e === BREAK || e === CONTINUE) throw e;
      throw err(e instanceof Error ? e.message : String(e));
    }
  }

  private async evalArg(name: string, sc: Scope, dot: unknown, a: Arg, line: number): Promise<unknown> {
    const err = (m: string) => new TemplateExecError(`template: ${name}:${line}: executing ${JSON.stringify(name)}: ${m}`);
    let base: unknown;
    let names: string[] = [];
    switch (a.k) {
      case "dot":
        return dot;
      case "lit":
        return a.v;
      case "ident": {
        const fn = this.funcs.get(a.name);
        if (!fn) throw err(`function ${JSON.stringify(a.name)} not defined`);
        return await fn();
      }
      case "field":
        base = dot;
        names = a.names;
        break;
      case "var": {
        const slot = findVar(sc, a.name);
        if (!slot) throw err(`undefined variable: ${a.name}`);
        base = slot.value;
        names = a.names;
        break;
      }
      case "pipe":
        base = await this.evalPipe(name, sc, dot, a.pipe);
        names = a.names;
        break;
    }
    for (const n of names) base = await this.field(base, n, [], err);
    return base;
  }

  private async field(recv: unknown, n: string, args: unknown[], err: (m: string) => Error): Promise<unknown> {
    if (recv === null || recv === undefined) throw err(`nil pointer evaluating interface {}.${n}`);
    if (recv instanceof Map) {
      if (args.length) throw err(`${n} is not a method but has arguments`);
      return recv.has(n) ? recv.get(n) : zeroOf(recv.values());
    }
    if (typeof recv !== "object") throw err(`can't evaluate field ${n} in type ${typeof recv}`);
    const o = recv as Record<string, unknown>;
    if (!(n in o)) {
      if (args.length) throw err(`can't evaluate field ${n}`);
      if (Object.getPrototypeOf(o) === Object.prototype) return zeroOf(Object.values(o));
      throw err(`can't evaluate field ${n} in type ${o.constructor?.name ?? "object"}`);
    }
    const v = o[n];
    if (typeof v === "function") return await (v as TemplateFunc).apply(o, args);
    if (args.length) throw err(`${n} is not a method but has arguments`);
    return v;
  }
}

const NONE = Symbol("none");

function zeroOf(values: Iterable<unknown>): unknown {
  for (const v of values) return typeof v === "string" ? "" : undefined;
  return "";
}

function findVar(sc: Scope, name: string): { name: string; value: unknown } | undefined {
  for (let i = sc.vars.length - 1; i >= 0; i--) if (sc.vars[i]!.name === name) return sc.vars[i];
  return undefined;
}

function describe(a: Arg): string {
  switch (a.k) {
    case "dot": return ".";
    case "field": return "." + a.names.join(".");
    case "var": return a.name + a.names.map((n) => "." + n).join("");
    case "lit": return formatV(a.v);
    case "ident": return a.name;
    case "pipe": return "(pipeline)";
  }
}

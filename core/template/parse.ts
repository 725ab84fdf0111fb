/**
 * @module core/template/parse
 * Lexer and parser for the subset of Go's text/template that Prometheus rule files and Alertmanager
 * templates use: text, actions with trim markers (`{{- … -}}`), comments, pipelines, variables
 * (`$x := …`, `$x = …`), field chains (`.A.B`, `$x.A`, `(pipe).A`), literals (strings, raw strings,
 * characters, ints, floats, booleans, nil), `if`/`else if`/`else`, `range` (with `$i, $e :=`, `else`,
 * `break`, `continue`), `with`/`else with`, `define`, `template`, `block` and `end`.
 *
 * Invariants: parsing never executes anything; every function name used must be in the `funcs` set given
 * to {@link parseTemplate} (Go checks this at parse time too), so an unknown function fails when the rule
 * file loads, not when the alert fires. Integer literals become bigint, floats become number.
 */
import { QuiverError } from "../util/errors.ts";

/** A template syntax error; the message reads like Go's (`template: name:line: …`). */
export class TemplateParseError extends QuiverError {
  constructor(message: string) {
    super("bad_data", message);
  }
}

/** A literal or reference in a command. */
export type Arg =
  | { k: "dot" }
  | { k: "field"; names: string[] } // .A.B on dot
  | { k: "var"; name: string; names: string[] } // $x.A.B
  | { k: "ident"; name: string } // function
  | { k: "lit"; v: unknown }
  | { k: "pipe"; pipe: Pipe; names: string[] }; // (pipe).A
/** One command of a pipeline: its operands (first may be a function). */
export interface Command {
  args: Arg[];
}
/** A pipeline with optional variable declaration or assignment. */
export interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Command[];
  line: number;
}
/** Template AST nodes. */
export type Node =
  | { t: "text"; text: string }
  | { t: "action"; pipe: Pipe }
  | { t: "if" | "with"; pipe: Pipe; list: Node[]; else: Node[] | null }
  | { t: "range"; pipe: Pipe; list: Node[]; else: Node[] | null }
  | { t: "template"; name: string; pipe: Pipe | null; line: number }
  | { t: "break" }
  | { t: "continue" };

/** A parsed template file: its main body and the named templates it defines. */
export interface ParsedTemplate {
  name: string;
  root: Node[];
  defines: Map<string, Node[]>;
}

type Tok =
  | { k: "field"; v: string; sp: boolean }
  | { k: "var"; v: string; sp: boolean }
  | { k: "ident"; v: string; sp: boolean }
  | { k: "str"; v: string; sp: boolean }
  | { k: "num"; v: bigint | number; sp: boolean }
  | { k: "punct"; v: string; sp: boolean }
  | { k: "dot"; v: "."; sp: boolean };

const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false"]);

function lexAction(src: string, fail: (m: string) => never): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let sp = true;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      sp = true;
      continue;
    }
    const start = i;
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === "\\") i++;
        if (src[i] === "\n") fail("unterminated quoted string");
        i++;
      }
      if (i >= src.length) fail("unterminated quoted string");
      i++;
      out.push({ k: "str", v: unquoteGo(src.slice(start, i), fail), sp });
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) fail("unterminated raw quoted string");
      out.push({ k: "str", v: src.slice(i + 1, end), sp });
      i = end + 1;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 2);
      if (end < 0) fail("unterminated character constant");
      const s = unquoteGo('"' + src.slice(i + 1, end) + '"', fail);
      out.push({ k: "num", v: BigInt(s.codePointAt(0) ?? 0), sp });
      i = end + 1;
    } else if (c === ":" && src[i + 1] === "=") {
      out.push({ k: "punct", v: ":=", sp });
      i += 2;
    } else if ("()|=,".includes(c)) {
      out.push({ k: "punct", v: c, sp });
      i++;
    } else if (c === "$") {
      i++;
      while (i < src.length && /[\w]/.test(src[i]!)) i++;
      out.push({ k: "var", v: src.slice(start, i), sp });
    } else if (c === "." && !/[0-9]/.test(src[i + 1] ?? "")) {
      i++;
      if (/[A-Za-z_]/.test(src[i] ?? "")) {
        while (i < src.length && /\w/.test(src[i]!)) i++;
        out.push({ k: "field", v: src.slice(start + 1, i), sp });
      } else out.push({ k: "dot", v: ".", sp });
    } else if (/[0-9+\-.]/.test(c)) {
      const m = /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+(?![.eE0-9])|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(src.slice(i));
      const text = m?.[0] ?? "";
      if (text === "" || text === "+" || text === "-") fail(`bad character ${JSON.stringify(c)}`);
      i += text.length;
      const clean = text.replace(/_/g, "");
      let v: bigint | number;
      if (/^[+-]?0[xXbBoO]/.test(clean) || /^[+-]?\d+$/.test(clean)) {
        const neg = clean.startsWith("-");
        const body = clean.replace(/^[+-]/, "");
        const b = /^0[0-7]+$/.test(body) ? BigInt("0o" + body.slice(1)) : BigInt(body);
        v = neg ? -b : b;
      } else {
        v = Number(clean);
        if (Number.isNaN(v)) fail(`bad number syntax: ${JSON.stringify(text)}`);
      }
      out.push({ k: "num", v, sp });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /\w/.test(src[i]!)) i++;
      out.push({ k: "ident", v: src.slice(start, i), sp });
    } else {
      fail(`unexpected ${JSON.stringify(c)} in command`);
    }
    sp = false;
  }
  return out;
}

/** Decodes a Go double-quoted string literal (with its quotes). */
export function unquoteGo(lit: string, fail: (m: string) => never): string {
  const body = lit.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", '"': '"', "'": "'" };
    if (n !== undefined && n in simple) out += simple[n];
    else if (n === "x" || n === "u" || n === "U") {
      const len = n === "x" ? 2 : n === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail(`invalid syntax in string ${lit}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else fail(`invalid syntax in string ${lit}`);
  }
  return out;
}

interface RawItem {
  kind: "text" | "action";
  text: string;
  line: number;
}

function splitItems(src: string, name: string): RawItem[] {
  const items: RawItem[] = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    trimNext = false;
    if (open < 0) {
      if (text) items.push({ kind: "text", text, line });
      break;
    }
    let inner = open + 2;
    if (src.startsWith("- ", inner) || src.startsWith("-\t", inner) || src.startsWith("-\n", inner) || src.startsWith("-\r", inner)) {
      text = text.replace(/[ \t\r\n]+$/, "");
      inner += 1;
    }
    if (text) items.push({ kind: "text", text, line });
    line += countLines(src.slice(i, open));
    // Find the closing delimiter outside string literals and comments.
    let j = inner;
    let close = -1;
    while (j < src.length) {
      const c = src[j]!;
      if (c === '"' || c === "`" || c === "'") {
        const q = c;
        j++;
        while (j < src.length && src[j] !== q) {
          if (src[j] === "\\" && q !== "`") j++;
          j++;
        }
        j++;
      } else if (src.startsWith("/*", j)) {
        const e = src.indexOf("*/", j + 2);
        if (e < 0) throw new TemplateParseError(`template: ${name}:${line}: unclosed comment`);
        j = e + 2;
      } else if (src.startsWith("}}", j)) {
        close = j;
        break;
      } else j++;
    }
    if (close < 0) throw new TemplateParseError(`template: ${name}:${line}: unclosed action`);
    let body = src.slice(inner, close);
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    const trimmed = body.trim();
    if (!(trimmed.startsWith("/*") && trimmed.endsWith("*/"))) items.push({ kind: "action", text: body, line });
    line += countLines(src.slice(open, close + 2));
    i = close + 2;
  }
  return items;
}

function countLines(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) n++;
  return n;
}

/**
 * Parses template text. `funcs` is the set of function names callable from it; any other identifier
 * in command position is a parse error, as in Go.
 * @throws TemplateParseError with Go-like wording.
 */
export function parseTemplate(name: string, src: string, funcs: ReadonlySet<string>): ParsedTemplate {
  const items = splitItems(src, name);
  const defines = new Map<string, Node[]>();
  let pos = 0;
  let curLine = 1;
  const fail: (m: string) => never = (m) => {
    throw new TemplateParseError(`template: ${name}:${curLine}: ${m}`);
  };

  // Parses nodes until one of the stop keywords; returns the nodes and the stop action's tokens.
  const parseList = (stops: readonly string[]): { nodes: Node[]; stop: Tok[] | null } => {
    const nodes: Node[] = [];
    while (pos < items.length) {
      const it = items[pos++]!;
      curLine = it.line;
      if (it.kind === "text") {
        nodes.push({ t: "text", text: it.text });
        continue;
      }
      const toks = lexAction(it.text, fail);
      if (toks.length === 0) fail("missing value for command");
      const first = toks[0]!;
      const kw = first.k === "ident" && KEYWORDS.has(first.v) ? first.v : "";
      if (kw === "end" || kw === "else") {
        if (!stops.includes(kw)) fail(`unexpected {{${kw}}}`);
        return { nodes, stop: toks };
      }
      switch (kw) {
        case "if":
        case "with":
        case "range": {
          nodes.push(parseControl(kw, toks.slice(1)));
          break;
        }
        case "define": {
          const nm = toks[1];
          if (!nm || nm.k !== "str" || toks.length !== 2) fail("define: expected a quoted template name");
          const saved = scopes.splice(0, scopes.length, ["$"]);
          const body = parseList(["end"]);
          scopes.splice(0, scopes.length, ...saved);
          if (!body.stop) fail(`unexpected EOF in define`);
          defines.set((nm as { v: string }).v, body.nodes);
          break;
        }
        case "template":
        case "block": {
          const nm = toks[1];
          if (!nm || nm.k !== "str") fail(`${kw}: expected a quoted template name`);
          const tname = (nm as { v: string }).v;
          const pipe = toks.length > 2 ? parsePipe(toks.slice(2), false) : null;
          if (kw === "block") {
            if (!pipe) fail("block: missing pipeline");
            const saved = scopes.splice(0, scopes.length, ["$"]);
            const body = parseList(["end"]);
            scopes.splice(0, scopes.length, ...saved);
            if (!body.stop) fail("unexpected EOF in block");
            defines.set(tname, body.nodes);
          }
          nodes.push({ t: "template", name: tname, pipe, line: it.line });
          break;
        }
        case "break":
        case "continue":
          if (toks.length !== 1) fail(`unexpected tokens after ${kw}`);
          if (rangeDepth === 0) fail(`{{${kw}}} outside {{range}}`);
          nodes.push({ t: kw });
          break;
        default:
          nodes.push({ t: "action", pipe: parsePipe(toks, true) });
      }
    }
    return { nodes, stop: null };
  };

  let rangeDepth = 0;
  const scopes: string[][] = [["$"]];
  const isDeclared = (v: string) => scopes.some((sc) => sc.includes(v));
  const parseControl = (kw: "if" | "with" | "range", toks: Tok[]): Node => {
    scopes.push([]);
    const pipe = parsePipe(toks, true);
    if (kw === "range") rangeDepth++;
    const body = parseList(["end", "else"]);
    if (kw === "range") rangeDepth--;
    scopes.pop();
    if (!body.stop) fail(`unexpected EOF`);
    let elseList: Node[] | null = null;
    const stop = body.stop!;
    if ((stop[0] as { v: string }).v === "else") {
      const rest = stop.slice(1);
      if (rest.length > 0) {
        // `else if …` / `else with …`: nests a control node that shares our {{end}}.
        const k2 = rest[0]!;
        if (k2.k !== "ident" || (k2.v !== "if" && k2.v !== "with")) fail("unexpected tokens after else");
        elseList = [parseControl(k2.v as "if" | "with", rest.slice(1))];
        return { t: kw, pipe, list: body.nodes, else: elseList } as Node;
      }
      scopes.push([]);
      const eb = parseList(["end"]);
      scopes.pop();
      if (!eb.stop) fail("unexpected EOF");
      elseList = eb.nodes;
    }
    return { t: kw, pipe, list: body.nodes, else: elseList } as Node;
  };

  const parsePipe = (toks: Tok[], allowDecl: boolean): Pipe => {
    let decl: string[] = [];
    let assign = false;
    let i = 0;
    // Declarations: $x := / $x = / $i, $e :=
    const declEnd = toks.findIndex((t) => t.k === "punct" && (t.v === ":=" || t.v === "="));
    if (declEnd > 0 && toks.slice(0, declEnd).every((t) => t.k === "var" || (t.k === "punct" && t.v === ","))) {
      if (!allowDecl) fail("unexpected declaration");
      decl = toks.slice(0, declEnd).filter((t) => t.k === "var").map((t) => t.v);
      assign = (toks[declEnd] as { v: string }).v === "=";
      if (decl.length > 2) fail("too many declarations in command");
      i = declEnd + 1;
    }
    const cmds: Command[] = [];
    let cur: Arg[] = [];
    const parseOperand = (): Arg => {
      const t = toks[i++]!;
      let arg: Arg;
      switch (t.k) {
        case "dot":
          arg = { k: "dot" };
          break;
        case "field": {
          const names = [t.v];
          while (i < toks.length && toks[i]!.k === "field" && !toks[i]!.sp) names.push((toks[i++] as { v: string }).v);
          return { k: "field", names };
        }
        case "var":
          if (!isDeclared(t.v)) fail(`undefined variable "${t.v}"`);
          arg = { k: "var", name: t.v, names: [] };
          break;
        case "str":
        case "num":
          arg = { k: "lit", v: t.v };
          break;
        case "ident":
          if (t.v === "true" || t.v === "false") arg = { k: "lit", v: t.v === "true" };
          else if (t.v === "nil") arg = { k: "lit", v: null };
          else if (KEYWORDS.has(t.v)) fail(`unexpected keyword ${t.v} in command`);
          else {
            if (!funcs.has(t.v)) fail(`function "${t.v}" not defined`);
            arg = { k: "ident", name: t.v };
          }
          break;
        case "punct": {
          if (t.v !== "(") fail(`unexpected "${t.v}" in operand`);
          let depth = 1;
          const start = i;
          while (i < toks.length && depth > 0) {
            const x = toks[i++]!;
            if (x.k === "punct" && x.v === "(") depth++;
            if (x.k === "punct" && x.v === ")") depth--;
          }
          if (depth !== 0) fail("unclosed left paren");
          arg = { k: "pipe", pipe: parsePipe(toks.slice(start, i - 1), false), names: [] };
          break;
        }
        default:
          fail("unexpected token");
          throw 0;
      }
      if (arg.k === "var" || arg.k === "pipe") {
        while (i < toks.length && toks[i]!.k === "field" && !toks[i]!.sp) arg.names.push((toks[i++] as { v: string }).v);
      } else if (i < toks.length && toks[i]!.k === "field" && !toks[i]!.sp) fail(`unexpected . after term`);
      return arg;
    };
    while (i < toks.length) {
      const t = toks[i]!;
      if (t.k === "punct" && t.v === "|") {
        if (cur.length === 0) fail("missing command");
        cmds.push({ args: cur });
        cur = [];
        i++;
        continue;
      }
      if (t.k === "punct" && t.v !== "(") fail(`unexpected "${t.v}" in command`);
      cur.push(parseOperand());
    }
    if (cur.length === 0) fail(cmds.length ? "missing command" : "missing value for command");
    cmds.push({ args: cur });
    if (decl.length && !assign) scopes[scopes.length - 1]!.push(...decl);
    if (assign) for (const d of decl) if (!isDeclared(d)) fail(`undefined variable "${d}"`);
    for (let c = 1; c < cmds.length; c++) {
      const a0 = cmds[c]!.args[0]!;
      if (a0.k === "lit") fail("non executable command in pipeline stage " + (c + 1));
    }
    return { decl, assign, cmds, line: curLine };
  };

  const top = parseList([]);
  return { name, root: top.nodes, defines };
}

/**
 * @module core/promql/promqltest/script
 * Parser for the promqltest script format (see ../shared/conformance/promql/FORMAT.md): a file becomes
 * a list of commands (load, clear, eval) with their bodies. Bodies end at the first empty or comment
 * line. Times are Prometheus durations (ms here).
 */
import { parseDuration } from "../../util/duration.ts";

/** An expectation about annotations or failure. */
export interface Expectation {
  kind: "fail" | "warn" | "info" | "no_warn" | "no_info" | "ordered";
  msg?: string;
  regex?: string;
}

/** A parsed `load` command. */
export interface LoadCmd {
  type: "load";
  line: number;
  stepMs: number;
  nhcb: boolean;
  /** Raw `<series> <values>` body lines, with optional `@st` lines. */
  lines: string[];
}

/** A parsed `eval` command. */
export interface EvalCmd {
  type: "eval";
  line: number;
  text: string;
  instant: boolean;
  atMs: number;
  startMs: number;
  endMs: number;
  stepMs: number;
  expr: string;
  expects: Expectation[];
  rangeVector?: { fromMs: number; toMs: number; stepMs: number };
  expectString?: string;
  scalar?: string;
  /** Expected series lines (`<labels> <values>`). */
  series: string[];
}

/** Any command. */
export type Command = LoadCmd | EvalCmd | { type: "clear"; line: number };

/** Parses a script; throws Error("line N: …") on malformed commands. */
export function parseScript(text: string): Command[] {
  const raw = text.split("\n").map((l) => l.trim());
  const lines = raw.map((l) => (l.startsWith("#") ? "" : l));
  const cmds: Command[] = [];
  let i = 0;
  const fail = (n: number, msg: string): never => {
    throw new Error(`line ${n + 1}: ${msg}`);
  };
  while (i < lines.length) {
    const l = lines[i]!;
    if (l === "") {
      i++;
      continue;
    }
    const start = i;
    const body: string[] = [];
    i++;
    const word = l.split(/\s+/)[0]!;
    if (word !== "clear") while (i < lines.length && lines[i] !== "") body.push(lines[i++]!);
    if (word === "clear") {
      cmds.push({ type: "clear", line: start + 1 });
    } else if (word === "load" || word === "load_with_nhcb") {
      const m = /^\S+\s+(\S+)$/.exec(l);
      if (!m) fail(start, `invalid load command: ${l}`);
      cmds.push({ type: "load", line: start + 1, stepMs: parseDuration(m![1]!), nhcb: word === "load_with_nhcb", lines: body });
    } else if (word.startsWith("eval")) {
      cmds.push(parseEval(l, body, start, fail));
    } else {
      fail(start, `unknown command ${JSON.stringify(word)}`);
    }
  }
  return cmds;
}

function parseEval(l: string, body: string[], at: number, fail: (n: number, m: string) => never): EvalCmd {
  const im = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+instant\s+at\s+(\S+)\s+(.+)$/.exec(l);
  const rm = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/.exec(l);
  if (!im && !rm) fail(at, `invalid eval command: ${l}`);
  const word = (im ?? rm)![1]!;
  const cmd: EvalCmd = {
    type: "eval", line: at + 1, text: l, instant: !!im, atMs: 0, startMs: 0, endMs: 0, stepMs: 0,
    expr: "", expects: [], series: [],
  };
  if (im) {
    cmd.atMs = parseDuration(im[2]!);
    cmd.expr = im[3]!;
  } else {
    cmd.startMs = parseDuration(rm![2]!);
    cmd.endMs = parseDuration(rm![3]!);
    cmd.stepMs = parseDuration(rm![4]!);
    cmd.expr = rm![5]!;
  }
  if (word === "eval_fail") cmd.expects.push({ kind: "fail" });
  if (word === "eval_warn") cmd.expects.push({ kind: "warn" });
  if (word === "eval_info") cmd.expects.push({ kind: "info" });
  if (word === "eval_ordered") cmd.expects.push({ kind: "ordered" });
  for (const b of body) {
    let m = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(b);
    if (m) {
      cmd.rangeVector = { fromMs: parseDuration(m[1]!), toMs: parseDuration(m[2]!), stepMs: parseDuration(m[3]!) };
      continue;
    }
    m = /^expect\s+string\s+(.*)$/.exec(b);
    if (m) {
      cmd.expectString = unquote(m[1]!.trim());
      continue;
    }
    m = /^expect\s+(fail|warn|info|no_warn|no_info|ordered)(?:\s+(msg|regex):(.*))?$/.exec(b);
    if (m) {
      const e: Expectation = { kind: m[1] as Expectation["kind"] };
      if (m[2] === "msg") e.msg = m[3]!.trim();
      if (m[2] === "regex") e.regex = m[3]!.trim();
      cmd.expects.push(e);
      continue;
    }
    m = /^expected_fail_(message|regexp)\s+(.*)$/.exec(b);
    if (m) {
      const f = cmd.expects.find((x) => x.kind === "fail");
      if (f) {
        if (m[1] === "message") f.msg = m[2]!.trim();
        else f.regex = m[2]!.trim();
      }
      continue;
    }
    if (/^expect\b/.test(b)) fail(at, `invalid expect line: ${b}`);
    if (/^[+-]?(\d|\.\d|Inf|inf|NaN|nan)/.test(b) && !/\s/.test(b)) {
      cmd.scalar = b;
      continue;
    }
    cmd.series.push(b);
  }
  return cmd;
}

/** Unquotes a Go-style double-quoted or backquoted string. */
export function unquote(s: string): string {
  if (s.startsWith("`") && s.endsWith("`")) return s.slice(1, -1);
  if (s.startsWith('"') && s.endsWith('"')) {
    return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
  }
  throw new Error(`invalid quoted string ${s}`);
}

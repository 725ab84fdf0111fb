/**
 * @module exporters/node/test/ttar
 * A reader for the ttar ("text tar") archives of node_exporter's fixtures (format described in
 * ../shared/conformance/node_exporter/README.md): directories, files with a line count, symlinks, modes,
 * the `EOF` no-final-newline marker and the `NULLBYTE` escape.
 */
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Unpacks `archive` into `dest`. Throws with the line number on malformed input. */
export function unpackTtar(archive: string, dest: string): { dirs: number; files: number; symlinks: number } {
  const lines = readFileSync(archive, "latin1").split("\n");
  let i = 0;
  let last: string | null = null;
  const counts = { dirs: 0, files: 0, symlinks: 0 };
  const unescape = (s: string) => s.replace(/(\\?)NULLBYTE/g, (_m, bs) => (bs ? "NULLBYTE" : "\0"));
  while (i < lines.length) {
    const line = lines[i++]!;
    if (line === "" && i === lines.length) break;
    if (line.startsWith("#")) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Directory: (.*)$/.exec(line))) {
      last = join(dest, m[1]!);
      mkdirSync(last, { recursive: true });
      counts.dirs++;
    } else if ((m = /^Path: (.*)$/.exec(line))) {
      const p = join(dest, m[1]!);
      const next = lines[i++] ?? "";
      let mm: RegExpExecArray | null;
      if ((mm = /^Lines: (\d+)$/.exec(next))) {
        const n = Number(mm[1]);
        let content = "";
        for (let k = 0; k < n; k++) {
          let l = lines[i++];
          if (l === undefined) throw new Error(`ttar ${archive}:${i}: archive ends inside ${m[1]}`);
          if (k === n - 1 && /(^|[^\\])EOF$/.test(l)) {
            content += unescape(l.slice(0, -3)).replace(/\\EOF/g, "EOF");
            continue;
          }
          l = unescape(l).replace(/\\EOF/g, "EOF");
          content += l + "\n";
        }
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, Buffer.from(content, "latin1"));
        last = p;
        counts.files++;
      } else if ((mm = /^SymlinkTo: (.*)$/.exec(next))) {
        mkdirSync(dirname(p), { recursive: true });
        symlinkSync(mm[1]!, p);
        last = null;
        counts.symlinks++;
      } else throw new Error(`ttar ${archive}:${i}: expected Lines: or SymlinkTo: after Path:, got ${JSON.stringify(next)}`);
    } else if ((m = /^Mode: ([0-7]+)$/.exec(line))) {
      if (last) chmodSync(last, parseInt(m[1]!, 8) | 0o200); // keep owner-writable so temp dirs can be removed
    } else {
      throw new Error(`ttar ${archive}:${i}: unexpected line ${JSON.stringify(line)}`);
    }
  }
  return counts;
}

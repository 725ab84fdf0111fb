/**
 * @module core/tsdb/block/arrow
 * Thin helpers over apache-arrow for block files: building column Data straight from typed arrays
 * (zero-copy, no per-row builders), writing a one-batch IPC file with zstd body compression, and
 * reading columns back as typed arrays.
 *
 * The zstd codec comes from node:zlib (present in Bun and Deno). When a runtime lacks it, files are
 * written uncompressed (readers handle both); the codec is registered into apache-arrow's registry,
 * which is that library's process-wide table, once.
 */
import {
  Binary, compressionRegistry, CompressionType, Field, Int64, List, makeData, RecordBatch, Schema, Struct, Table,
  tableFromIPC, tableToIPC, Uint32, Utf8, type Data, type DataType,
} from "apache-arrow";
import zlib from "node:zlib";

const hasZstd = typeof zlib.zstdCompressSync === "function" && typeof zlib.zstdDecompressSync === "function";
let registered = false;

/** zstd level used for block columns. */
export const ZSTD_LEVEL = 9;

function ensureCodec(): void {
  if (registered || !hasZstd) return;
  registered = true;
  compressionRegistry.set(CompressionType.ZSTD, {
    encode: (d: Uint8Array) => new Uint8Array(zlib.zstdCompressSync(d, { params: { [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } })),
    decode: (d: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(d)),
  });
}

/** A Uint32 column. */
export function u32Col(v: Uint32Array): Data {
  return makeData({ type: new Uint32(), length: v.length, data: v });
}

/** An Int64 column from integral ms numbers. */
export function i64Col(v: ArrayLike<number>): Data {
  const b = new BigInt64Array(v.length);
  for (let i = 0; i < v.length; i++) b[i] = BigInt(v[i]!);
  return makeData({ type: new Int64(), length: v.length, data: b });
}

/** A Binary column from offsets (length n+1) and bytes. */
export function binaryCol(offsets: Int32Array, bytes: Uint8Array): Data {
  return makeData({ type: new Binary(), length: offsets.length - 1, valueOffsets: offsets, data: bytes });
}

/** A Utf8 column from strings. */
export function utf8Col(strs: readonly string[]): Data {
  const enc = new TextEncoder();
  const parts = strs.map((s) => enc.encode(s));
  const offsets = new Int32Array(strs.length + 1);
  let total = 0;
  for (let i = 0; i < parts.length; i++) { total += parts[i]!.length; offsets[i + 1] = total; }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
  return makeData({ type: new Utf8(), length: strs.length, valueOffsets: offsets, data: bytes });
}

/** A List<Uint32> column from offsets (length n+1) and the flat values. */
export function listU32Col(offsets: Int32Array, values: Uint32Array): Data {
  const child = makeData({ type: new Uint32(), length: values.length, data: values });
  return makeData({ type: new List(new Field("item", new Uint32(), false)), length: offsets.length - 1, valueOffsets: offsets, child });
}

/** Serialises named columns (equal lengths) as an Arrow IPC file, zstd-compressed when available. */
export function encodeTable(cols: ReadonlyArray<readonly [string, Data]>): Uint8Array {
  ensureCodec();
  const fields = cols.map(([name, d]) => new Field(name, d.type as DataType, false));
  const n = cols.length ? cols[0]![1].length : 0;
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: n, children: cols.map(([, d]) => d) });
  const table = new Table([new RecordBatch(schema, data)]);
  return tableToIPC(table, "file", hasZstd ? CompressionType.ZSTD : null);
}

/** Parses an Arrow IPC file. Throws on malformed bytes. */
export function decodeTable(bytes: Uint8Array): Table {
  ensureCodec();
  return tableFromIPC(bytes);
}

/** The single Data chunk of a column (blocks write one batch); throws if absent. */
export function column(t: Table, name: string): Data {
  const c = t.getChild(name);
  if (!c) throw new RangeError(`missing column ${name}`);
  if (c.data.length === 1) return c.data[0]!;
  throw new RangeError(`column ${name} has ${c.data.length} batches, expected 1`);
}

/** Int64 column values as numbers. */
export function i64Values(d: Data): Float64Array {
  const src = d.values as BigInt64Array;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(src[d.offset + i]!);
  return out;
}

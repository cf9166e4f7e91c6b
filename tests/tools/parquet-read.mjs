// Reads a Parquet file with hyparquet (pure JavaScript, independent of the Parquet.Net writer under test) and prints
// {"columns": [{name, type, repetition, logical}], "rows": [...]} as JSON: the .NET tests check the types and values.
// Usage: node parquet-read.mjs FILE
import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';

const bytes = readFileSync(process.argv[2]);
const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const metadata = parquetMetadata(file);
// The first schema element is the root; the others are the columns (flat tables only).
const columns = metadata.schema.slice(1).map(e => ({
  name: e.name,
  type: e.type,
  repetition: e.repetition_type,
  logical: e.logical_type?.type ?? e.converted_type ?? null,
}));
const rows = await parquetReadObjects({ file });
// JSON cannot hold NaN; say so explicitly rather than letting it become null.
const replacer = (_, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : typeof v === 'bigint' ? v.toString() : v);
process.stdout.write(JSON.stringify({ rows_in_metadata: Number(metadata.num_rows), columns, rows }, replacer));

// Reads the results store (RESULTS/store/*.parquet) with DuckDB and checks
// it against the same records as JSON lines (RESULTS/records.jsonl, written
// by snn-bench export --format jsonl): every row, every config column,
// parameter, metric and metadata value, null where the record lacks one;
// the column types; the format metadata of every file; and the README's
// example query.
// usage: node check.mjs RESULTS
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check.mjs RESULTS");
  process.exit(2);
}
const want = readFileSync(join(dir, "records.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
let failures = 0;
const fail = (msg) => { console.error("FAIL " + msg); failures++; };

const db = await DuckDBInstance.create(":memory:");
const conn = await db.connect();
const glob = join(dir, "store", "*.parquet").replaceAll("'", "''");
const query = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS();

// The whole store, combined by column name, in the order ReadStore reads it.
const reader = await conn.runAndReadAll(
  `SELECT * FROM read_parquet('${glob}', union_by_name = true, filename = true) ORDER BY filename, rank`);
const rows = reader.getRowObjectsJS();
const types = Object.fromEntries(reader.columnNames().map((n, i) => [n, reader.columnTypes()[i].toString()]));
if (rows.length !== want.length) fail(`${rows.length} rows, JSON lines have ${want.length}`);

const expectTypes = {
  run_id: "VARCHAR", benchmark: "VARCHAR", machine: "VARCHAR", model: "VARCHAR", seed: "UBIGINT",
  ranks: "BIGINT", threads: "BIGINT", backend: "VARCHAR", comm: "VARCHAR", scaling: "VARCHAR",
  t_presim: "DOUBLE", t_sim: "DOUBLE", rank: "BIGINT",
};
for (const [col, t] of Object.entries(expectTypes)) {
  if (types[col] !== t) fail(`column ${col}: type ${types[col]}, want ${t}`);
}

const same = (a, b) => (typeof b === "number" ? Number(a) === b : String(a) === String(b));
let cells = 0;
for (let i = 0; i < Math.min(rows.length, want.length); i++) {
  const row = rows[i], rec = want[i];
  const checked = new Set(["filename"]);
  const check = (col, v) => {
    cells++;
    checked.add(col);
    if (!same(row[col], v)) fail(`row ${i} column ${col}: ${row[col]}, want ${v}`);
  };
  check("run_id", rec.run_id);
  check("rank", rec.rank);
  for (const [k, v] of Object.entries(rec.config)) {
    if (k === "params") continue;
    check(k, v);
  }
  for (const [k, v] of Object.entries(rec.config.params ?? {})) {
    check("param." + k, v);
    if (types["param." + k] !== "VARCHAR") fail(`column param.${k}: type ${types["param." + k]}`);
  }
  for (const [k, v] of Object.entries(rec.metrics)) {
    check(k, v);
    if (types[k] !== "DOUBLE") fail(`metric ${k}: type ${types[k]}, want DOUBLE`);
  }
  for (const [k, v] of Object.entries(rec.meta)) {
    check(k, v);
    if (types[k] !== "VARCHAR") fail(`meta ${k}: type ${types[k]}, want VARCHAR`);
  }
  // A parameter, metric or key the record lacks is null.
  for (const col of Object.keys(types)) {
    if (!checked.has(col) && row[col] !== null) fail(`row ${i} column ${col}: ${row[col]}, want null (the record lacks it)`);
  }
  if (!row.filename.endsWith(rec.run_id + ".parquet")) fail(`row ${i}: file ${row.filename} does not match run ${rec.run_id}`);
}

// Format metadata in every file.
const kv = await query(
  `SELECT file_name, decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${glob}')`);
const files = new Set(rows.map((r) => r.filename));
for (const f of files) {
  const get = (k) => kv.find((r) => r.file_name === f && r.key === k)?.value;
  if (get("snnkit.format") !== "snnkit-results") fail(`${f}: snnkit.format ${get("snnkit.format")}`);
  if (get("snnkit.format_version") !== "1") fail(`${f}: snnkit.format_version ${get("snnkit.format_version")}`);
}

// The README's example: mean simulation time by configuration.
const agg = await query(
  `SELECT model, ranks, threads, count(DISTINCT run_id) AS runs, avg("run.time_simulate") AS t
   FROM read_parquet('${glob}', union_by_name = true) GROUP BY ALL ORDER BY ALL`);
const runs = new Set(want.map((r) => r.run_id)).size;
if (agg.reduce((n, r) => n + Number(r.runs), 0) !== runs) fail(`aggregate counts ${JSON.stringify(agg)}, want ${runs} runs`);
for (const r of agg) if (!(r.t > 0)) fail(`aggregate: run.time_simulate ${r.t}`);

console.log(`duckdb: ${rows.length} rows of ${files.size} files, ${cells} cells checked against records.jsonl; ` +
  `${agg.length} configurations in the example query`);
if (failures) {
  console.error(`${failures} failures`);
  process.exit(1);
}

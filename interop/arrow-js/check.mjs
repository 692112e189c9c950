// Reads every partition file of a network directory with Arrow JS and
// checks it against manifest.json: row counts, schema metadata, synapse
// counts, and that every target index is a valid local neuron.
// usage: node check.mjs NETDIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check.mjs NETDIR");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
let failures = 0;
const fail = (msg) => { console.error("FAIL " + msg); failures++; };

for (const rank of manifest.rank_files) {
  for (const file of rank.files) {
    const table = tableFromIPC(readFileSync(join(dir, file.name)));
    const md = table.schema.metadata;
    if (table.numRows !== file.rows) fail(`${file.name}: ${table.numRows} rows, manifest says ${file.rows}`);
    if (md.get("snnkit.rank") !== String(rank.rank)) fail(`${file.name}: snnkit.rank ${md.get("snnkit.rank")}`);
    if (md.get("snnkit.model_digest") !== manifest.model_digest) fail(`${file.name}: model digest differs`);
    if (md.get("snnkit.table") !== file.table) fail(`${file.name}: table ${md.get("snnkit.table")}`);
    if (file.table === "synapses") {
      let synapses = 0;
      const lists = table.getChild("synapses");
      for (let i = 0; i < table.numRows; i++) {
        const row = lists.get(i);
        synapses += row.length;
        for (let k = 0; k < row.length; k++) {
          const t = row.get(k).target;
          if (t >= rank.neurons) fail(`${file.name}: row ${i} targets local neuron ${t} of ${rank.neurons}`);
        }
      }
      if (synapses !== rank.synapses) fail(`${file.name}: ${synapses} synapses, manifest says ${rank.synapses}`);
    }
    console.log(`ok ${file.name}: ${table.numRows} rows (${file.table})`);
  }
}
if (failures > 0) process.exit(1);
console.log(`Arrow JS read all ${manifest.rank_files.length * 2} files of ${dir}`);

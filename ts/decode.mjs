// Decodes account dumps with the committed IDL and the Anchor TypeScript client, as a
// TypeScript wallet would: `node decode.mjs <idl.json> <AccountName>=<base64 file>...`.
// Prints one JSON object: account name -> decoded fields (u64 as decimal strings,
// addresses in base58, byte arrays as number arrays).
import { readFileSync } from "node:fs";
import { BorshAccountsCoder } from "@anchor-lang/core";

const [idlPath, ...dumps] = process.argv.slice(2);
if (!idlPath || dumps.length === 0) {
  console.error("usage: node decode.mjs <idl.json> <AccountName>=<base64 file>...");
  process.exit(2);
}
const coder = new BorshAccountsCoder(JSON.parse(readFileSync(idlPath, "utf8")));

const plain = (value) => {
  if (value === null || value === undefined) return null;
  if (typeof value.toBase58 === "function") return value.toBase58();
  if (typeof value.toArrayLike === "function") return value.toString(10);
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
};

const decoded = {};
for (const dump of dumps) {
  const [name, file] = dump.split("=");
  const data = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  decoded[name] = plain(coder.decode(name, data));
}
console.log(JSON.stringify(decoded));

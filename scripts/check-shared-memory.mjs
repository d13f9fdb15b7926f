// Fails unless the wasm module imports a *shared* memory. A build without
// the linker's --shared-memory still "works", silently single-threaded.
// Reads the import section directly (kind 2 = memory; limits flag bit 1 = shared).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const bytes = readFileSync(file);
let at = 8; // magic + version
const u32 = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[at++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return result >>> 0;
};
const name = () => { const n = u32(); const s = bytes.subarray(at, at + n).toString(); at += n; return s; };

let memory = null;
while (at < bytes.length && !memory) {
  const id = bytes[at++];
  const size = u32();
  const end = at + size;
  if (id === 2) {
    for (let count = u32(); count > 0 && !memory; count--) {
      const where = `${name()}.${name()}`;
      const kind = bytes[at++];
      if (kind === 0) u32(); // function: type index
      else if (kind === 1) { at++; const f = u32(); u32(); if (f & 1) u32(); } // table
      else if (kind === 2) memory = { where, flags: u32() };
      else if (kind === 3) at += 2; // global: valtype, mutability
      else if (kind === 4) { at++; u32(); } // tag
      else break;
    }
  }
  at = end;
}
if (!memory) {
  console.error(`${file}: imports no memory: build from crate/ so that crate/.cargo/config.toml applies`);
  process.exit(1);
}
if (!(memory.flags & 2)) {
  console.error(`${file}: memory ${memory.where} is NOT shared: the linker did not get --shared-memory`);
  process.exit(1);
}
console.log(`${file}: imports shared memory ${memory.where}`);

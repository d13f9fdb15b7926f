// The crate's layers, read from the tree: each module of crate/src may use
// only the modules of the layers below it, and the three strategies
// (crate/src/strategy/{pool,spawn_per_task,rayon_run}) may use their shared
// contract but not each other. Comments are not code; names imported from
// the crate root count as the module that defines them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const SRC = join(root, 'crate', 'src');
/** Bottom to top; modules of one layer do not use each other. */
const LAYERS = [['sync', 'config'], ['runtime'], ['task'], ['stats', 'workload'], ['strategy'], ['session'], ['web']];
const STRATEGIES = ['pool', 'spawn_per_task', 'rayon_run'];
const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((m) => [m, i])));

async function rustFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? rustFiles(join(dir, e.name)) : e.name.endsWith('.rs') ? [join(dir, e.name)] : [])));
  return nested.flat();
}

/** `strategy/pool/worker.rs` → { module: 'strategy', part: 'pool' }. */
function ownerOf(file) {
  const [first, second] = relative(SRC, file).split(sep);
  const module = first.replace(/\.rs$/, '');
  return { module, part: module === 'strategy' && STRATEGIES.includes(second) ? second : null };
}

/** Root re-exports of lib.rs: name → the module path it comes from. */
function rootNames(lib) {
  const names = new Map();
  for (const [, path, list] of lib.matchAll(/^pub use ([a-z_:]+)::\{([^}]*)\};/gm)) {
    for (const name of list.split(',').map((n) => n.trim()).filter(Boolean)) names.set(name, path.split('::'));
  }
  for (const [, path, name] of lib.matchAll(/^pub use ([a-z_:]+)::([A-Za-z_]+);/gm)) names.set(name, path.split('::'));
  return names;
}

/** Every module path this code uses, as arrays like ['strategy', 'pool']. */
function uses(code, names) {
  const found = [];
  for (const [, path] of code.matchAll(/\bcrate::([a-z_]+(?:::[a-z_]+)?)/g)) found.push(path.split('::'));
  for (const [, list] of code.matchAll(/\bcrate::\{([^}]*)\}/g)) {
    for (const name of list.split(',').map((n) => n.trim().split(/\s/)[0]).filter(Boolean)) {
      if (names.has(name)) found.push(names.get(name));
    }
  }
  for (const [, name] of code.matchAll(/\bcrate::([A-Z][A-Za-z_]*)/g)) if (names.has(name)) found.push(names.get(name));
  return found;
}

function violation(owner, used) {
  const [module, part] = used;
  if (!rank.has(module)) return null; // crate::crossbeam_channel and the like
  if (module === owner.module) {
    const usedPart = STRATEGIES.includes(part) ? part : null;
    return owner.module === 'strategy' && usedPart && usedPart !== owner.part
      ? `strategy ${owner.part ?? '(contract)'} uses strategy ${usedPart}` : null;
  }
  return rank.get(module) < rank.get(owner.module) ? null : `${owner.module} uses ${module} (layer ${rank.get(module)} ≥ ${rank.get(owner.module)})`;
}

test('every module of crate/src belongs to a layer, and uses only the layers below it', async () => {
  const lib = await readFile(join(SRC, 'lib.rs'), 'utf8');
  const names = rootNames(lib);
  assert.ok(names.get('Pool')?.join('::') === 'strategy::pool', 'lib.rs re-exports Pool from strategy::pool');
  const problems = [];
  const files = (await rustFiles(SRC)).filter((f) => relative(SRC, f) !== 'lib.rs');
  const modules = new Set(files.map((f) => ownerOf(f).module));
  assert.deepEqual([...modules].filter((m) => !rank.has(m)), [], 'a module in no layer');
  for (const file of files) {
    const code = (await readFile(file, 'utf8')).split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
    const owner = ownerOf(file);
    for (const used of uses(code, names)) {
      const why = violation(owner, used);
      if (why) problems.push(`${relative(SRC, file)}: ${why}`);
    }
  }
  assert.deepEqual([...new Set(problems)], []);
});

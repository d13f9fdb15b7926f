// The package's one error path (lib/errors.ts), loaded from source through
// Vite: each WireError kind the runtime sends becomes its own error class,
// and anything else thrown in the orchestrator becomes a runtime error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { createServer } from 'vite';
import { root } from './helpers.mjs';

let server, errors;
before(async () => {
  server = await createServer({
    configFile: false, root: `${root}/lib`, logLevel: 'silent',
    server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true },
  });
  errors = await server.ssrLoadModule('/errors.ts');
});
after(() => server?.close());

test('every kind of WireError becomes its own error class, keeping message and field', async () => {
  // The kinds as generated from Rust's ErrorKind (lib/wire.ts).
  const wire = await readFile(`${root}/lib/wire.ts`, 'utf8');
  const kinds = [...wire.match(/export type ErrorKind = ([^;]+);/)[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
  assert.deepEqual(kinds, ['config', 'start', 'busy', 'runtime']);
  const expected = { config: 'ConfigError', start: 'StartError', busy: 'BusyError', runtime: 'RuntimeError' };
  for (const kind of kinds) {
    const error = errors.fromWire({ kind, message: `a ${kind} failure`, ...(kind === 'config' ? { field: 'workers' } : {}) });
    assert.equal(error.name, expected[kind], kind);
    assert.equal(error.message, `a ${kind} failure`);
    assert.ok(error instanceof Error);
    if (kind === 'config') {
      assert.ok(error instanceof errors.ConfigError);
      assert.equal(error.field, 'workers');
    } else {
      // Not a config problem: every other kind is a RuntimeError.
      assert.ok(error instanceof errors.RuntimeError, kind);
      assert.ok(!(error instanceof errors.ConfigError), kind);
    }
  }
  assert.ok(errors.fromWire({ kind: 'busy', message: '' }) instanceof errors.BusyError);
  assert.ok(errors.fromWire({ kind: 'start', message: '' }) instanceof errors.StartError);
});

test("the runtime's WireErrors pass through the orchestrator; anything else thrown becomes a runtime error", () => {
  const config = { kind: 'config', message: 'workers must be between 1 and 256 (got 0)', field: 'workers' };
  assert.equal(errors.toWire(config), config);
  assert.deepEqual(errors.toWire(new WebAssembly.RuntimeError('unreachable')), { kind: 'runtime', message: 'unreachable' });
  assert.deepEqual(errors.toWire('a string'), { kind: 'runtime', message: 'a string' });
  // Shaped like a WireError but not one: an unknown kind, a message that is not text.
  assert.deepEqual(errors.toWire({ kind: 'other', message: 'x' }), { kind: 'runtime', message: '[object Object]' });
  assert.deepEqual(errors.toWire({ kind: 'config', message: 5 }), { kind: 'runtime', message: '[object Object]' });
  assert.deepEqual(errors.toWire(null), { kind: 'runtime', message: 'null' });
});

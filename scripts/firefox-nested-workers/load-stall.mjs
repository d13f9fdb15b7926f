// A minimal reproduction of why wasm-pack test --firefox cannot run this
// crate's thread tests: in Firefox ESR, a module worker nested in a dedicated
// worker now and then never finishes loading its modules (an import() that
// never settles, or a worker script whose static imports never load, so it
// never sees its first message), with no error and no console listener
// (classic WebDriver). The same workers constructed by the page always load.
// No wasm, shared memory or isolation is involved.
//
//   node scripts/firefox-nested-workers/load-stall.mjs [rounds] [n]
//
// Prints, for each of nested/page × dynamic/static, how many rounds of n
// workers constructed at once had a worker still loading after 10 s.
import { evaluate, newSession, sleep, withGeckodriver } from './webdriver.mjs';

const count = Number(process.argv[2] ?? 80);
const n = Number(process.argv[3] ?? 16);

await withGeckodriver(async ({ call, server }) => {
  for (const from of ['worker', 'page']) {
    for (const load of ['dynamic', 'static']) {
      const session = await newSession(call);
      try {
        await call('POST', `/session/${session.sessionId}/url`, { url: `${server.url}load-stall.html?from=${from}&load=${load}&rounds=${count}&n=${n}` });
        let report = null;
        while (!report) {
          await sleep(1000);
          report = await evaluate(call, session.sessionId, 'return window.result');
        }
        const stalled = report.filter((r) => Object.keys(r.stuck).length > 0);
        const where = stalled.map((r) => `round ${r.round}: ${Object.entries(r.stuck).map(([s, k]) => `${k} at ${s}`).join(', ')}`);
        console.log(`started by the ${from === 'page' ? 'page' : 'worker (nested)'}, ${load} import: ` +
          `${stalled.length} of ${count} rounds stalled${where.length ? ` (${where.join('; ')})` : ''}`);
      } finally {
        await call('DELETE', `/session/${session.sessionId}`);
      }
    }
  }
});

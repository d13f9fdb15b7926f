// How long after a run's last result run() learns that it ended: the gap
// summary.elapsedMs - summary.lastResultMs over 40 small pool runs (median, max).
// Usage: npm run build && node scripts/measure-run-end.mjs
import { API_FIXTURE, launch, openPage, serveRepo, startPlayground } from '../tests/helpers.mjs';
const browser = await launch();
const server = await serveRepo();
const page = await openPage(browser, server.url + API_FIXTURE);
await startPlayground(page);
const r = await page.evaluate(async () => {
  const gaps = [], walls = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const s = await window.playground.run({ workers: 2, tasks: 20, kind: 'sleep', sleepMs: [1, 2], failureRate: 0 });
    walls.push(performance.now() - t0);
    gaps.push(s.elapsedMs - s.lastResultMs);
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  return { gapMedian: med(gaps), gapMax: Math.max(...gaps), wallMedian: med(walls) };
});
console.log(JSON.stringify(r));
await browser.close(); await server.close();

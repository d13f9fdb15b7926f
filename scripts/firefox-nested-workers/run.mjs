// A minimal reproduction of the thread start-up stall in Firefox ESR
// (issue 14): a dedicated worker that constructs more than a few nested
// module workers blocks inside `new Worker` (its heartbeat stops) and none
// of the children starts; the same workers constructed by the page start.
// It takes a console listener: Playwright subscribes to WebDriver BiDi's
// log.entryAdded, and geckodriver.mjs here shows that without that
// subscription all of them start.
//
//   node scripts/firefox-nested-workers/run.mjs [n]
//
// Needs Debian's firefox-esr and playwright-core 1.64.1 (its WebDriver
// BiDi route works with ESR 153; 1.65 does not): PLAYWRIGHT_CORE=<a directory
// with node_modules/playwright-core> if it is not installed here.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(process.env.PLAYWRIGHT_CORE ? join(process.env.PLAYWRIGHT_CORE, 'x.js') : import.meta.url);
const { firefox } = require('playwright-core');
const n = Number(process.argv[2] ?? 60);
const server = await serve(here);
const browser = await firefox.launch({ channel: 'moz-firefox', executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr' });
try {
  console.log(`Firefox ${browser.version()}, ${n} module workers`);
  for (const file of ['nested.html', 'page.html']) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}${file}?n=${n}`);
    await page.waitForTimeout(4_000);
    const [log, now] = await page.evaluate(() => [window.log, Math.round(performance.now())]);
    const constructed = log.filter(([, m]) => m.startsWith('after')).length;
    const started = log.filter(([, m]) => m.endsWith('started')).length;
    const beats = log.filter(([, m]) => m === 'alive').map(([t]) => t);
    console.log(`${file}: ${constructed} of ${n} constructed, ${started} started, last heartbeat at ${beats.at(-1) ?? '-'} ms, read at ${now} ms`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

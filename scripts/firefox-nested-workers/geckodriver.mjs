// The same nested-worker page (nested.html) in Firefox ESR through
// geckodriver, to show what the stall depends on: a classic WebDriver session
// starts 60 of 60; a WebDriver BiDi session starts them too, until it
// subscribes to log.entryAdded (what Playwright always does): then the
// worker blocks inside `new Worker` after a few, and none starts.
//
//   node scripts/firefox-nested-workers/geckodriver.mjs [n]
//
// Needs geckodriver (cargo install geckodriver --version 0.37.1 --locked;
// GECKODRIVER=path if it is not in ~/.cargo/bin) and Debian's firefox-esr.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

if (typeof WebSocket === 'undefined') {
  // Node 20 has WebSocket behind a flag.
  const again = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}
const here = dirname(fileURLToPath(import.meta.url));
const n = Number(process.argv[2] ?? 60);
const geckodriver = process.env.GECKODRIVER ?? join(process.env.CARGO_HOME ?? join(process.env.HOME, '.cargo'), 'bin/geckodriver');
const port = 4400 + Math.floor(Math.random() * 500);
const driver = spawn(geckodriver, ['--port', String(port), '--binary', process.env.FIREFOX ?? '/usr/bin/firefox-esr'], { stdio: 'ignore' });
const server = await serve(here);
const call = async (method, path, body) =>
  (await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })).json();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function once(label, bidi, events) {
  const capabilities = { alwaysMatch: { 'moz:firefoxOptions': { args: ['-headless'] }, ...(bidi ? { webSocketUrl: true } : {}) } };
  const session = (await call('POST', '/session', { capabilities })).value;
  let socket;
  try {
    if (bidi) {
      socket = new WebSocket(session.capabilities.webSocketUrl);
      await new Promise((resolve) => { socket.onopen = resolve; });
      socket.onmessage = () => {};
      if (events.length) socket.send(JSON.stringify({ id: 1, method: 'session.subscribe', params: { events } }));
      await sleep(300);
    }
    await call('POST', `/session/${session.sessionId}/url`, { url: `${server.url}nested.html?n=${n}` });
    await sleep(4_000);
    const log = (await call('POST', `/session/${session.sessionId}/execute/sync`, { script: 'return window.log', args: [] })).value;
    const constructed = log.filter(([, m]) => m.startsWith('after')).length;
    const started = log.filter(([, m]) => m.endsWith('started')).length;
    console.log(`${label}: ${constructed} of ${n} constructed, ${started} started`);
  } finally {
    socket?.close();
    await call('DELETE', `/session/${session.sessionId}`);
  }
}

try {
  for (let i = 0; i < 50 && !(await fetch(`http://127.0.0.1:${port}/status`).then(() => true, () => false)); i++) await sleep(100);
  await once('classic WebDriver', false, []);
  await once('WebDriver BiDi, no subscription', true, []);
  await once('WebDriver BiDi, subscribed to log.entryAdded', true, ['log.entryAdded']);
} finally {
  driver.kill();
  await server.close();
}

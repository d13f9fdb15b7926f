// The same nested-worker page (nested.html) in Firefox ESR through
// geckodriver, to show what the stall depends on: a classic WebDriver session
// starts 60 of 60; a WebDriver BiDi session starts them too, until it
// subscribes to log.entryAdded (what Playwright always does): then the
// worker blocks inside `new Worker` after a few, and none starts.
//
//   node scripts/firefox-nested-workers/geckodriver.mjs [n]
//
// Needs geckodriver and firefox-esr (see webdriver.mjs).
import { spawnSync } from 'node:child_process';
import { evaluate, newSession, sleep, withGeckodriver } from './webdriver.mjs';

if (typeof WebSocket === 'undefined') {
  // Node 20 has WebSocket behind a flag.
  const again = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}
const n = Number(process.argv[2] ?? 60);

async function once({ call, server }, label, bidi, events) {
  const session = await newSession(call, bidi ? { webSocketUrl: true } : {});
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
    const log = await evaluate(call, session.sessionId, 'return window.log');
    const constructed = log.filter(([, m]) => m.startsWith('after')).length;
    const started = log.filter(([, m]) => m.endsWith('started')).length;
    console.log(`${label}: ${constructed} of ${n} constructed, ${started} started`);
  } finally {
    socket?.close();
    await call('DELETE', `/session/${session.sessionId}`);
  }
}

await withGeckodriver(async (driver) => {
  await once(driver, 'classic WebDriver', false, []);
  await once(driver, 'WebDriver BiDi, no subscription', true, []);
  await once(driver, 'WebDriver BiDi, subscribed to log.entryAdded', true, ['log.entryAdded']);
});

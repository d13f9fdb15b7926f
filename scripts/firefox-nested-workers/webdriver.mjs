// Firefox ESR through geckodriver (classic WebDriver), for the scripts here:
// starts geckodriver and a static server of this folder, runs `body`, and
// ends both. Needs geckodriver (scripts/setup.sh --test installs it; or
// GECKODRIVER=path) and Debian's firefox-esr.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `body({ call, server })`, where `call(method, path, body)` speaks to geckodriver. */
export async function withGeckodriver(body) {
  const geckodriver = process.env.GECKODRIVER ?? join(process.env.CARGO_HOME ?? join(process.env.HOME, '.cargo'), 'bin/geckodriver');
  const port = 4400 + Math.floor(Math.random() * 500);
  const driver = spawn(geckodriver, ['--port', String(port), '--binary', process.env.FIREFOX ?? '/usr/bin/firefox-esr'], { stdio: 'ignore' });
  const server = await serve(here);
  const call = async (method, path, payload) =>
    (await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: payload && JSON.stringify(payload) })).json();
  try {
    for (let i = 0; i < 50 && !(await fetch(`http://127.0.0.1:${port}/status`).then(() => true, () => false)); i++) await sleep(100);
    return await body({ call, server });
  } finally {
    driver.kill();
    await server.close();
  }
}

/** A headless classic WebDriver session (plus `extra` capabilities): its id. */
export async function newSession(call, extra = {}) {
  const capabilities = { alwaysMatch: { 'moz:firefoxOptions': { args: ['-headless'] }, ...extra } };
  return (await call('POST', '/session', { capabilities })).value;
}

/** `script`'s value in the session's page. */
export async function evaluate(call, sessionId, script) {
  return (await call('POST', `/session/${sessionId}/execute/sync`, { script, args: [] })).value;
}

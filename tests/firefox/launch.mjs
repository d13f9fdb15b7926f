// Firefox as every tests/firefox file drives it: Debian's Firefox ESR (or
// $FIREFOX) over WebDriver BiDi, through playwright-core 1.64.1 (the npm
// alias playwright-core-firefox: 1.65 cannot drive ESR 153).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { firefox } from 'playwright-core-firefox';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/** Firefox, launched; its version goes to stderr (the bench's stdout is its report). */
export async function launchFirefox() {
  assert.ok(existsSync(FIREFOX), `${FIREFOX} is missing: scripts/setup.sh installs it (apt-get install firefox-esr)`);
  const browser = await firefox.launch({ channel: 'moz-firefox', executablePath: FIREFOX });
  console.error(`# ${browser.version()}`);
  return browser;
}

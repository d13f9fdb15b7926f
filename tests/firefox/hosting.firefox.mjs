// The built site (www/dist) on static hosts, in Firefox ESR: the hosting
// tests of tests/hosting.test.mjs, whose checks (tests/hosting-checks.mjs)
// run here unchanged. Covered: a host that sends no headers (coi-serviceworker
// isolates the page after exactly one reload, the link's run completes), one
// that sends COOP/COEP (isolated with no reload), and the page opened from a
// file (it says nothing can run and what to do). Not run here: the static
// server's answer to a malformed %-escape, which no browser takes part in.
//
// The navigation count rests on Playwright's request events, which over
// WebDriver BiDi come from network.beforeRequestSent: a request is a
// navigation request when the event carries a navigation id, and both
// document loads (the second through coi-serviceworker) do, as in Chromium.
// The checks also ask the page how it was loaded (its performance navigation
// entry: 'reload' or 'navigate').
import { useBrowser } from '../helpers.mjs';
import { testHosting } from '../hosting-checks.mjs';
import { launchFirefox } from './launch.mjs';

// Unlike Chromium, Firefox runs the page's module scripts from file://, so on
// a page opened from a file the playground starts and its banner says why
// nothing can run. (coi-serviceworker also logs there that it could not
// register, as it should: service workers cannot run on file pages.)
testHosting(useBrowser(launchFirefox), { fileBox: 'not-isolated' });

// The built site (www/dist) on static hosts: one that sends no headers (the
// site's coi-serviceworker isolates the page after exactly one reload), one
// that sends COOP/COEP (no reload), and a page opened from a file.
// The tests of a browser are in hosting-checks.mjs, which Firefox runs too
// (tests/firefox/hosting.firefox.mjs).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { testHosting } from './hosting-checks.mjs';
import { serveSite, useBrowser } from './helpers.mjs';

// Chromium refuses module scripts from file://, so a page opened from a file
// shows its static message; were the modules to run, the playground would say
// the same in its banner.
testHosting(useBrowser(), { fileBox: 'boot-message' });

/** A raw GET (fetch would normalise a malformed path before sending it). */
const rawGet = (url, path) => new Promise((resolve, reject) => {
  const { hostname, port } = new URL(url);
  request({ hostname, port, path, method: 'GET' }, (response) => {
    response.resume();
    response.on('end', () => resolve(response.statusCode));
  }).on('error', reject).end();
});

test('the static server answers a malformed %-escape with 400 and keeps serving', async () => {
  const site = await serveSite();
  try {
    assert.equal(await rawGet(site.url, '/%E0%A4%A'), 400);
    assert.equal(await rawGet(site.url, '/%'), 400);
    assert.equal(await rawGet(site.url, '/'), 200, 'still serving after bad requests');
  } finally {
    await site.close();
  }
});

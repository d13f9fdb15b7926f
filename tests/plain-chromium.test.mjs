// What the page itself feels, in a Chromium no test tool instruments (see
// runInPlainChromium): one worker per task for 5,000 tasks, twice. The
// spawns over the 512-thread limit are refused (the same number each time),
// and a 10 ms timer on the page never waits long.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInPlainChromium, serveRepo } from './helpers.mjs';

test('one worker per task for 5,000 tasks, twice: the same refusals each time, and the page never stalls', async () => {
  const server = await serveRepo();
  try {
    const lines = await runInPlainChromium(`${server.url}tests/fixtures/responsiveness.html`);
    assert.deepEqual(lines.filter((l) => l.kind === 'ERROR'), []);
    const rounds = lines.filter((l) => l.kind === 'RESULT').map((l) => JSON.parse(l.text));
    assert.equal(rounds.length, 2);
    for (const { round, maxGapMs, summary } of rounds) {
      assert.equal(summary.peakThreads, 512, `round ${round}`);
      assert.equal(summary.spawnRefused, 4_488, `round ${round}`);
      assert.equal(summary.succeeded + summary.failed, 5_000, `round ${round}`);
      assert.ok(maxGapMs < 500, `round ${round}: a 10 ms timer on the page waited ${maxGapMs.toFixed(0)} ms`);
      console.log(`# round ${round}: ${summary.spawnRefused} refused, timer gap at most ${maxGapMs.toFixed(0)} ms, ${(summary.elapsedMs / 1000).toFixed(1)} s`);
    }
  } finally {
    await server.close();
  }
});

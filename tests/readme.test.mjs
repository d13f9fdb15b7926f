// The README's benchmark figures come from a recorded run: its generated
// section is exactly what bench/results.json renders to, and no figure is
// typed by hand around it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { currentSection, README, render, RESULTS } from '../scripts/bench-report.mjs';

const readme = readFileSync(README, 'utf8');

test('the README benchmark section is generated from bench/results.json', () => {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'));
  assert.equal(results.smoke, false, 'bench/results.json is a full run, not a smoke run');
  assert.equal(currentSection(readme), render(results), 'stale: run `node scripts/bench-report.mjs` (npm run bench does)');
});

test('outside the generated section, the benchmark prose quotes no measured figure', () => {
  const section = readme.slice(readme.indexOf('## Benchmarks'), readme.indexOf('## Hosting'));
  const generated = currentSection(readme);
  const prose = section.replace(generated, '');
  const figures = prose.match(/\d[\d.,]*\s*(µs|ms|MB|%|×)|×\s*\d/g) ?? [];
  assert.deepEqual(figures, [], 'a figure belongs in bench/results.json and the generated table');
});

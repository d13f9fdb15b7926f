// The page's settings table (www/src/config.ts), loaded from source through
// Vite, against what is derived from it and what is written by hand: every
// setting of PlaygroundSettings has exactly one row, the RunConfig fields map
// back to their rows, the link and attribute names are the ones shared links
// and pages use, and lib/element.d.ts's comment lists each attribute with its
// row's default and range.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { root, useSource } from './helpers.mjs';

const src = useSource({ config: '/src/config.ts', checks: '/src/checks.ts', urlState: '/src/url-state.ts', format: '/src/format.ts' });
let elementTypes;
before(async () => {
  elementTypes = await readFile(join(root, 'lib/element.d.ts'), 'utf8');
});

/** The names link parameters and attributes have always had: links and pages people shared use them. */
const SHARED_NAMES = {
  strategy: 'strategy', workers: 'workers', tasks: 'tasks', failure: 'failure-rate', queue: 'queue-capacity',
  kind: 'kind', sleep: 'sleep-ms', cpu: 'cpu-iterations', timeout: 'timeout-ms', connections: 'connections',
  panic: 'panic-rate', trap: 'trap-rate', seed: 'seed', cap: 'spawn-cap', rate: 'arrival-rate', view: 'view',
};

const rows = () => src.config.SETTINGS;
const isChoice = (row) => 'choices' in row;

/** The fields of PlaygroundSettings, as lib/element.d.ts declares them. */
function declaredSettings() {
  const body = elementTypes.match(/export interface PlaygroundSettings \{([\s\S]*?)\n\}/)[1];
  return [...body.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]);
}

/** lib/element.d.ts's comment: one { attribute, text, default } per listed attribute. */
function documentedAttributes() {
  const lines = elementTypes.split('\n');
  const first = lines.findIndex((line) => line.startsWith('// Attributes, read when'));
  assert.ok(first >= 0, 'lib/element.d.ts has its list of attributes');
  const listed = [];
  for (const line of lines.slice(first + 1)) {
    if (!line.startsWith('//')) break;
    const m = line.match(/^\/\/ {3}([a-z-]+) +(.*?) +\(default ([^)]+)\)$/);
    if (m) listed.push({ attribute: m[1], text: m[2], default: m[3] });
    else assert.doesNotMatch(line, /^\/\/ {3}\S/, `every attribute line shows its default: ${line}`);
  }
  return listed;
}

/** A default as an attribute's value reads: a range "min-max", an empty number as the word its control shows. */
function attributeDefault(param) {
  const own = rows().filter((row) => row.param === param);
  if (own.length === 2) return `${own.find((r) => r.end === 'min').default}-${own.find((r) => r.end === 'max').default}`;
  return own[0].default === null ? own[0].optional : String(own[0].default);
}

test('every setting of PlaygroundSettings has exactly one row, and the defaults are the rows\' defaults', () => {
  const keys = rows().map((row) => row.key);
  assert.deepEqual([...keys].sort(), [...declaredSettings()].sort(), 'the rows are the settings lib/element.d.ts declares');
  assert.equal(new Set(keys).size, keys.length, 'no setting has two rows');
  assert.deepEqual(src.config.DEFAULTS, Object.fromEntries(rows().map((row) => [row.key, row.default])));
  for (const row of rows()) {
    assert.ok(row.label && row.param && row.attribute && row.field, `${row.key}: label, parameter, attribute and field`);
    if (isChoice(row)) {
      assert.ok(row.choices.some((c) => c.value === row.default), `${row.key}: its default is one of its choices`);
    } else {
      assert.ok(row.min <= row.max, `${row.key}: a range`);
      assert.equal(row.default === null, row.optional !== undefined, `${row.key}: only an optional number defaults to empty`);
      const shown = row.default === null ? '' : String(row.default);
      assert.deepEqual(src.checks.parseNumber(row.key, shown), { value: row.default }, `${row.key}: its default passes its own checks`);
    }
  }
});

test('link parameters and attributes keep the names shared links and pages use; a range is one parameter', () => {
  assert.deepEqual(src.urlState.ATTRIBUTES, SHARED_NAMES);
  assert.deepEqual(Object.keys(src.urlState.ATTRIBUTES), Object.keys(SHARED_NAMES), 'in the same order');
  for (const [param, attribute] of Object.entries(SHARED_NAMES)) {
    if (param === 'view') continue;
    const own = rows().filter((row) => row.param === param);
    assert.ok(own.length === 1 || (own.length === 2 && own.map((r) => r.end).sort().join() === 'max,min'),
      `${param}: one setting, or the two ends of a range`);
    assert.ok(own.every((row) => row.attribute === attribute && row.field === own[0].field), `${param}: one attribute, one field`);
    assert.ok(own.every((row) => (row.end === undefined) === (own.length === 1)), `${param}: only a range's rows have ends`);
  }
});

test('each setting goes through a link and through an attribute under its row\'s names', () => {
  for (const row of rows()) {
    const changed = { ...src.config.DEFAULTS };
    if (isChoice(row)) changed[row.key] = row.choices.find((c) => c.value !== row.default).value;
    else if (row.end === 'min') changed[row.key] = 0;
    else changed[row.key] = row.default === null ? row.min + 1 : row.max;
    const link = src.urlState.encode(changed, 'compare');
    assert.ok(new URLSearchParams(link).has(row.param), `${row.key} is written as ${row.param}: ${link}`);
    assert.deepEqual(src.urlState.decode(link), { settings: changed, view: 'compare', problems: [] }, `${row.key}: ${link}`);
    const attributes = Object.fromEntries([...new URLSearchParams(link)].map(([param, value]) => [src.urlState.ATTRIBUTES[param], value]));
    assert.ok(row.attribute in attributes, `${row.key} is the attribute ${row.attribute}`);
    const element = { getAttribute: (name) => attributes[name] ?? null };
    assert.deepEqual(src.urlState.decodeAttributes(element), { settings: changed, view: 'compare', problems: [] }, `${row.key}: ${JSON.stringify(attributes)}`);
  }
});

test('the RunConfig the page builds is the one it always built, and each field maps back to its row', () => {
  const run = src.config.toRunConfig(src.config.DEFAULTS);
  // The exported JSON shows this object as it is: the same fields in the same order (arrivalRate, added
  // last as the Rust RunConfig has it: null, every task at once, as runs always were).
  assert.equal(JSON.stringify(run), JSON.stringify({
    strategy: 'pool', workers: 8, tasks: 1000, failureRate: 0.1, queueCapacity: 100, kind: 'sleep',
    sleepMs: [5, 20], cpuIterations: [2000000, 8000000], timeoutMs: null, connections: null, panicRate: 0, trapRate: 0, seed: 42, spawnCap: null,
    arrivalRate: null,
  }));
  assert.equal(src.config.toRunConfig({ ...src.config.DEFAULTS, arrivalRate: 128 }).arrivalRate, 128, 'a rate in tasks per second, as the control shows it');
  assert.equal(src.config.toRunConfig(src.config.DEFAULTS, 'rayon').strategy, 'rayon');
  assert.deepEqual(Object.keys(run).sort(), [...new Set(rows().map((row) => row.field))].sort(), 'every row sets its field');
  for (const field of Object.keys(run)) {
    const key = src.config.keyForField(field);
    assert.ok(key, `${field} maps to a control`);
    const row = rows().find((r) => r.key === key);
    assert.equal(row.field, field, `${field} maps back to its own row, ${key}`);
    assert.ok(row.end === undefined || row.end === 'min', `${field}: a range's errors show at its min end`);
    assert.equal(src.config.keyForField(`.${field}`), key);
    assert.equal(src.config.keyForField(`${field}[1]`), key);
  }
  assert.equal(src.config.keyForField('config'), null);
  assert.equal(src.config.keyForField('toString'), null);
});

test('lib/element.d.ts lists every attribute with its row\'s default, choices and range', () => {
  const listed = documentedAttributes();
  assert.deepEqual(listed.map((l) => l.attribute), Object.values(src.urlState.ATTRIBUTES), 'the attributes the element reads, in order');
  for (const { attribute, text, default: shown } of listed) {
    if (attribute === 'view') {
      assert.equal(shown, 'run');
      assert.equal(text, src.urlState.VIEWS.join(' | '));
      continue;
    }
    const param = Object.keys(src.urlState.ATTRIBUTES).find((p) => src.urlState.ATTRIBUTES[p] === attribute);
    assert.equal(shown, attributeDefault(param), `${attribute}: the default lib/element.d.ts shows`);
    const row = rows().find((r) => r.attribute === attribute);
    if (isChoice(row)) assert.equal(text, row.choices.map((c) => c.value).join(' | '), `${attribute}: its choices`);
    // "1 to 256": the row's range, its numbers written as the page writes them.
    if (/\d to /.test(text)) {
      const written = (n) => (n === Number.MAX_SAFE_INTEGER ? '2^53 - 1' : src.format.count(n));
      assert.ok(text.includes(`${written(row.min)} to ${written(row.max)}`), `${attribute}: "${text}" shows the range ${row.min} to ${row.max}`);
    }
  }
});

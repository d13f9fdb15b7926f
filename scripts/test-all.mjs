// Runs every test suite in order and ends with one line over all of them:
// "N passed, N failed". Exits non-zero if any test failed or a suite broke.
//   node scripts/test-all.mjs [native|wasm|wasm-firefox|e2e|firefox ...]   (default: all)
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cargoBin = join(process.env.CARGO_HOME ?? join(process.env.HOME, '.cargo'), 'bin');
// The pinned toolchain's own bin holds cargo-clippy: rustup's proxy for it
// may be missing from PATH (only cargo, rustc and rustfmt are sure to be).
const toolchainBin = (() => {
  try {
    return join(execFileSync('rustc', ['--print', 'sysroot'], { cwd: root, encoding: 'utf8' }).trim(), 'bin');
  } catch {
    return null;
  }
})();
const env = {
  ...process.env,
  PATH: [cargoBin, join(root, 'node_modules/.bin'), toolchainBin, process.env.PATH].filter(Boolean).join(':'),
  CARGO_TERM_COLOR: 'never',
  WASM_BINDGEN_TEST_TIMEOUT: process.env.WASM_BINDGEN_TEST_TIMEOUT ?? '120',
};

// Each suite: the commands to run and how to count its tests from its output.
const cargoCounts = (out) => {
  let passed = 0, failed = 0;
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  return { passed, failed };
};
const nodeCounts = (out) => ({
  passed: Number(out.match(/^# pass (\d+)/m)?.[1] ?? 0),
  failed: Number(out.match(/^# fail (\d+)/m)?.[1] ?? 0) + Number(out.match(/^# cancelled (\d+)/m)?.[1] ?? 0),
});
const firefoxFiles = () =>
  readdirSync(join(root, 'tests/firefox')).filter((f) => f.endsWith('.firefox.mjs')).sort().map((f) => `tests/firefox/${f}`);
const suites = {
  native: {
    title: 'native: fmt, clippy, cargo test of the portable core, and the loom models',
    steps: [
      ['cargo', ['fmt', '--all', '--', '--check'], root],
      ['cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings'], root],
      ['cargo', ['test', '--workspace'], root],
      // loom explores every interleaving of our sync primitives (bounded so
      // that it stays quick); its own target dir keeps `--cfg loom` from
      // invalidating the normal build.
      ['cargo', ['test', '--release', '-p', 'wasm-worker-pool', '--lib', 'loom'], root,
        { RUSTFLAGS: '--cfg loom', LOOM_MAX_PREEMPTIONS: '3', CARGO_TARGET_DIR: join(root, 'target/loom') }],
    ],
    count: cargoCounts,
  },
  wasm: {
    title: 'wasm: clippy for wasm32, and wasm-pack test --headless --chrome (the web runtime on real Web Workers)',
    steps: [
      ['cargo', ['clippy', '--lib', '--tests', '--', '-D', 'warnings'], join(root, 'crate')],
      ['wasm-pack', ['test', '--headless', '--chrome', '--chromedriver', '/usr/bin/chromedriver'], join(root, 'crate')],
    ],
    count: cargoCounts,
  },
  'wasm-firefox': {
    title: 'wasm in Firefox ESR: wasm-pack test --headless --firefox, the same tests as in Chromium; their case worker ' +
      'has the page start its threads, as the package does in Firefox (crate/tests/web_common/host.js)',
    steps: [
      ['wasm-pack', ['test', '--headless', '--firefox', '--geckodriver', join(cargoBin, 'geckodriver')], join(root, 'crate')],
    ],
    count: cargoCounts,
  },
  e2e: {
    title: 'end-to-end in Chromium (the optimised production build)',
    steps: [['npm', ['run', 'build'], root], ['npx', ['tsc', '-p', 'www'], root], ['node', ['--test', '--test-reporter=tap', '--test-concurrency=1', 'tests/'], root]],
    count: nodeCounts,
  },
  firefox: {
    title: 'end-to-end in Firefox ESR: the runtime, the site on hosts with and without headers, the package in a Vite app ' +
      'and a plain page (the build e2e made; WebDriver BiDi through playwright-core 1.64.1)',
    // Every tests/firefox/*.firefox.mjs (Node 20's --test takes no globs).
    steps: [['node', ['--test', '--test-reporter=tap', '--test-concurrency=1', ...firefoxFiles()], root]],
    count: nodeCounts,
  },
};

function run(command, args, cwd, extraEnv = {}) {
  return new Promise((resolveRun) => {
    let output = '';
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (stream, sink) => stream.on('data', (chunk) => { output += chunk; sink.write(chunk); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('error', (error) => { output += String(error); resolveRun({ code: 127, output }); });
    child.on('close', (code) => resolveRun({ code, output }));
  });
}

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(suites);
const totals = { passed: 0, failed: 0 };
const report = [];
for (const name of chosen) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown suite ${name}; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name}: ${suite.title}`);
  let output = '', broken = null;
  for (const [command, args, cwd, extraEnv] of suite.steps) {
    const result = await run(command, args, cwd, extraEnv);
    output += result.output;
    if (result.code !== 0) { broken = `${command} ${args.join(' ')} exited with ${result.code}`; break; }
  }
  const counts = suite.count(output);
  // A suite that ran no test (a filter that matches nothing) has tested nothing.
  if (!broken && counts.passed + counts.failed === 0) broken = 'it ran no test';
  // A suite that broke without a failing test still counts as one failure.
  if (broken && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  report.push(`${name}: ${counts.passed} passed, ${counts.failed} failed${broken ? ` (${broken})` : ''}`);
}
console.log('\n=== summary');
for (const line of report) console.log(`  ${line}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);

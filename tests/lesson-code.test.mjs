// The code the lessons show, checked without a browser: the Rust region
// extractor (scripts/rust-snippets.mjs) on made-up sources, its errors with
// file and line; every Rust snippet a lesson shows is its region as the .rs
// file on disk has it now (so changing the demonstration's code changes the
// snippet); every Go piece is verbatim from its program in www/src/go (the
// tutorial's, copied verbatim), and those programs hold together.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectSnippets, extractSnippets, rustFilesIn, rustSnippets, snippetCalls, SNIPPET_DIRS } from '../scripts/rust-snippets.mjs';
import { root, useSource } from './helpers.mjs';

const src = useSource({ lessons: '/src/lessons.ts', go: '/src/go-code.ts', virtual: 'virtual:rust-snippets' });

const text = (map, name) => map.get(name)?.text;

test('the extractor: nested and overlapping regions, every marker line dropped, dedented, blank ends trimmed', () => {
  const source = [
    'fn outer() {',            // 1
    '    // snippet: a',       // 2
    '',                        // 3
    '    let x = 1;',          // 4
    '        // snippet: b',   // 5
    '        if x > 0 {',      // 6
    '    // snippet: c',       // 7
    '            go();',       // 8
    '        }',               // 9
    '        // end snippet: b', // 10
    '    let y = 2;',          // 11
    '    // end snippet: a',   // 12
    '    more();',             // 13
    '    // end snippet: c',   // 14
    '    //snippet:d',         // 15
    '    match v {',           // 16
    '        Err(_) => {',     // 17
    '            stop();',     // 18
    '        } // end snippet: d', // 19
    '    }',                   // 20
    '}',                       // 21
  ].join('\n');
  const found = extractSnippets(source, 'x.rs');
  assert.deepEqual([...found.keys()].sort(), ['a', 'b', 'c', 'd']);
  assert.equal(text(found, 'a'), 'let x = 1;\n    if x > 0 {\n        go();\n    }\nlet y = 2;');
  assert.equal(text(found, 'b'), 'if x > 0 {\n    go();\n}');
  // Overlapping: c starts inside b and ends after a.
  assert.equal(text(found, 'c'), '        go();\n    }\nlet y = 2;\nmore();');
  // A marker after code keeps that code.
  assert.equal(text(found, 'd'), 'match v {\n    Err(_) => {\n        stop();\n    }');
  assert.deepEqual(Object.fromEntries([...found].map(([name, r]) => [name, r.line])), { a: 2, b: 5, c: 7, d: 15 }, 'the line of each start marker');
  for (const { text: t } of found.values()) assert.doesNotMatch(t, /snippet:/, 'no marker line is left in any snippet');
  // Not markers: a doc comment, or a marker quoted inside another comment.
  const quiet = extractSnippets('//! Regions between `// snippet: NAME` and `// end snippet: NAME`\n/// snippet: no\n// see `// snippet: x`\nfn f() {}', 'doc.rs');
  assert.equal(quiet.size, 0);
});

test('the extractor refuses, naming file and line: an unterminated region, an end without a start, a name defined twice, an empty region', () => {
  assert.throws(() => extractSnippets('a\n// snippet: open\nb\n', 'crate/src/u.rs'),
    { message: /^crate\/src\/u\.rs:2: Rust snippet 'open' is never ended/ });
  assert.throws(() => extractSnippets('a\nb\n    // end snippet: stray\n', 'crate/src/s.rs'),
    { message: /^crate\/src\/s\.rs:3: 'end snippet: stray' without a 'snippet: stray' before it/ });
  assert.throws(() => extractSnippets('// snippet: twice\na\n// end snippet: twice\n\n// snippet: twice\nb\n// end snippet: twice\n', 'crate/src/d.rs'),
    { message: /^crate\/src\/d\.rs:5: Rust snippet 'twice' is defined twice \(first at crate\/src\/d\.rs:1\)/ });
  assert.throws(() => extractSnippets('// snippet: again\n// snippet: again\n', 'crate/src/n.rs'),
    { message: /^crate\/src\/n\.rs:2: Rust snippet 'again' is defined twice/ });
  assert.throws(() => extractSnippets('x\n// snippet: empty\n\n// end snippet: empty\n', 'crate/src/e.rs'),
    { message: /^crate\/src\/e\.rs:2: Rust snippet 'empty' is empty/ });

  // Twice across files, each named.
  const dir = mkdtempSync(join(tmpdir(), 'wwp-snippets-'));
  try {
    mkdirSync(join(dir, 'crate/src/deep'), { recursive: true });
    writeFileSync(join(dir, 'crate/src/a.rs'), 'fn a() {\n    // snippet: same\n    a();\n    // end snippet: same\n}\n');
    writeFileSync(join(dir, 'crate/src/deep/b.rs'), '\n\n// snippet: same\nb();\n// end snippet: same\n');
    writeFileSync(join(dir, 'crate/src/notes.txt'), '// snippet: ignored\n');
    const files = rustFilesIn([join(dir, 'crate/src')]);
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['crate/src/a.rs', 'crate/src/deep/b.rs']);
    assert.throws(() => collectSnippets(files, dir),
      { message: /^crate\/src\/deep\/b\.rs:3: Rust snippet 'same' is defined twice \(first at crate\/src\/a\.rs:2\)/ });
    writeFileSync(join(dir, 'crate/src/deep/b.rs'), '// snippet: other\nb();\n// end snippet: other\n');
    assert.deepEqual(collectSnippets(rustFilesIn([join(dir, 'crate/src')]), dir), {
      snippets: { same: 'a();', other: 'b();' },
      sources: { same: 'crate/src/a.rs:2', other: 'crate/src/deep/b.rs:1' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the plugin: the virtual module is every region of the crate, and a literal rustSnippet() naming no region fails the build with file and line', () => {
  const { snippets, sources } = collectSnippets(rustFilesIn(SNIPPET_DIRS.map((d) => join(root, d))), root);
  assert.deepEqual({ ...src.virtual.default }, snippets);
  assert.deepEqual({ ...src.virtual.sources }, sources);

  assert.deepEqual(snippetCalls("a\nrustSnippet('x/y')\n  b(rustSnippet( \"z\" ), rustSnippet(name))"), [{ name: 'x/y', line: 2 }, { name: 'z', line: 3 }]);
  const plugin = rustSnippets();
  const context = { error(message) { throw new Error(message); }, addWatchFile() {} };
  const transform = (code) => plugin.transform.handler.call(context, code, join(root, 'www/src/example.ts'));
  const known = Object.keys(snippets)[0];
  assert.equal(transform(`const a = rustSnippet('${known}');`), undefined);
  assert.throws(() => transform(`const a = 1;\nconst b = rustSnippet('no-such/region');`),
    { message: /^www\/src\/example\.ts:2: unknown Rust snippet 'no-such\/region'/ });
});

/** A region read straight from its file: the lines after `// snippet: name` to its end, other regions' markers dropped (code before a marker kept), dedented, trimmed. */
function regionOnDisk(file, name) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trimEnd().endsWith(`// snippet: ${name}`));
  assert.ok(start >= 0, `${file} has '// snippet: ${name}'`);
  const body = [];
  for (const line of lines.slice(start + 1)) {
    const marker = /^(.*?)\s*\/\/\s*(end snippet|snippet):\s*(\S+)\s*$/.exec(line);
    if (marker && marker[1].trim() !== '') body.push(marker[1]);
    if (marker?.[2] === 'end snippet' && marker[3] === name) break;
    if (!marker) body.push(line);
  }
  while (body[0]?.trim() === '') body.shift();
  while (body.at(-1)?.trim() === '') body.pop();
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => (l.trim() ? l.slice(indent) : '')).join('\n');
}

/** The Rust regions each lesson shows. */
const RUST_OF = {
  'unlimited-vs-pool': ['unlimited-vs-pool/wrong', 'unlimited-vs-pool/right'],
  connections: ['connections'],
  'cancel-timeout': ['cancel-timeout'],
  panics: ['panics/catch', 'panics/classify'],
  traps: ['traps/config', 'traps/death-hook'],
  'queue-never-closed': ['queue-never-closed/mistake', 'queue-never-closed/fix'],
  'send-after-close': ['send-after-close/mistake', 'send-after-close/fix'],
  'unbuffered-queue': ['unbuffered-queue/mistake', 'unbuffered-queue/fix'],
  'waitgroup-misuse': ['waitgroup-misuse/add-inside', 'waitgroup-misuse/copied', 'waitgroup-misuse/missing-done', 'waitgroup-misuse/fix'],
  'best-practices': Array.from({ length: 15 }, (_, i) => `best-practices/${i + 1}`),
};

test('every Rust snippet a lesson shows is its region as the .rs file has it now', () => {
  const { LESSONS, lessonCode } = src.lessons;
  assert.deepEqual(LESSONS.map((l) => l.id), Object.keys(RUST_OF));
  for (const lesson of LESSONS) {
    const rust = lessonCode(lesson).filter((c) => c.language === 'Rust');
    const missing = lesson.code.layout === 'practices' ? lesson.code.practices.filter((p) => 'why' in p.rust).map((p) => `best-practices/${p.n}`) : [];
    assert.deepEqual([...rust.map((c) => c.snippet), ...missing].sort(), [...RUST_OF[lesson.id]].sort(), `${lesson.id}: its Rust regions`);
    for (const code of rust) {
      const [, file, line] = /^(.+\.rs):(\d+)$/.exec(code.source);
      assert.ok(file.startsWith('crate/src/') || file.startsWith('crate/tests/shown_code/'), `${code.snippet}: from ${file}`);
      assert.ok(readFileSync(join(root, file), 'utf8').split('\n')[Number(line) - 1].trimEnd().endsWith(`// snippet: ${code.snippet}`), `${code.source} starts it`);
      assert.ok(code.text.trim().length > 0, `${code.snippet} is not empty`);
      assert.equal(code.text, regionOnDisk(file, code.snippet), `${code.snippet} (${code.source}) is the region on disk`);
    }
  }
  assert.throws(() => src.lessons.rustSnippet('no-such/region'), { message: "unknown Rust snippet 'no-such/region'" });
});

const GO_DIR = join(root, 'www/src/go');
const goFiles = () => readdirSync(GO_DIR).filter((f) => f.endsWith('.go')).sort();

test('every Go piece a lesson shows is verbatim from its program in www/src/go, and what is shown is those pieces', () => {
  const { LESSONS, lessonCode, GO_FILES } = src.lessons;
  assert.deepEqual(Object.keys(GO_FILES).sort(), goFiles(), 'the lessons import every program in www/src/go, and only those');
  const used = new Set();
  for (const lesson of LESSONS) {
    const go = lessonCode(lesson).filter((c) => c.language === 'Go');
    assert.ok(go.length > 0, `${lesson.id} shows the tutorial's Go`);
    for (const code of go) {
      const file = readFileSync(join(GO_DIR, code.file), 'utf8');
      assert.equal(GO_FILES[code.file], file, `${code.file} as imported`);
      assert.equal(code.blocks.length, code.names.length);
      code.blocks.forEach((block, i) => {
        assert.ok(file.includes(block), `${lesson.id}: ${code.names[i]} is verbatim in ${code.file}`);
        assert.ok(block.startsWith(file.slice(file.lastIndexOf('\n', file.indexOf(block)) + 1, file.indexOf(block) + 1)), `${code.names[i]} starts at a line start`);
        if (!code.names[i].startsWith('BEST PRACTICE')) {
          const fn = code.names[i].split('.').at(-1);
          assert.match(block, new RegExp(`^func (\\([^)]*\\) )?${fn}\\(`, 'm'), `${code.names[i]}: its func line`);
          assert.match(block, /\n}$/, `${code.names[i]}: through its closing brace`);
        }
        used.add(code.file);
      });
      assert.equal(code.text, code.blocks.map(src.go.goDedent).join('\n\n'), `${lesson.id}: ${code.file} shows its pieces`);
    }
  }
  assert.deepEqual([...used].sort(), goFiles(), 'every program is used');
});

test('the Go programs hold together: verbatim UTF-8 (emoji repaired), each a package main whose functions all close their braces', () => {
  const { goFunction } = src.go;
  for (const name of goFiles()) {
    const bytes = readFileSync(join(GO_DIR, name));
    const file = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    assert.match(file, /^package main\n\nimport \(\n/, `${name}: a program`);
    assert.ok(file.endsWith('}\n'), `${name}: ends with its last function`);
    // The tutorial's emoji as it was mis-decoded (UTF-8 read as Mac Roman): none left.
    assert.doesNotMatch(file, /‚Ä|‚ú|‚ö|‚ùå|Ô∏è|üìù|üöÄ|üêõ/, `${name}: no mojibake`);
    const funcs = [...file.matchAll(/^func (?:\(\w+ \*?(\w+)\) )?(\w+)\(/gm)].map(([, recv, fn]) => (recv ? `${recv}.${fn}` : fn));
    assert.ok(funcs.includes('main'), `${name}: func main`);
    // Each function cut out whole: one after another, none inside another.
    let end = 0;
    for (const fn of funcs) {
      const block = goFunction(file, fn, name);
      const at = file.indexOf(block, end);
      assert.ok(at >= end, `${name}: ${fn} comes after the function before it`);
      end = at + block.length;
    }
    assert.equal(file.slice(end), '\n', `${name}: nothing after its last function`);
  }
  assert.throws(() => goFunction('package main\n\nfunc a() {\n}\n', 'b', 'x.go'), { message: "no Go function 'b' in x.go" });
  assert.throws(() => goFunction('package main\n\nfunc (p *P) w() {\n}\n\nfunc (q *Q) w() {\n}\n', 'w', 'x.go'), { message: /2 Go functions 'w' in x\.go: name one as Receiver\.w/ });
  assert.equal(goFunction('package main\n\nfunc (p *P) w() {\n}\n\n// Q\'s\nfunc (q *Q) w() {\n\ts := "}"\n\tr := \'}\'\n\t// }\n}\n', 'Q.w'), '// Q\'s\nfunc (q *Q) w() {\n\ts := "}"\n\tr := \'}\'\n\t// }\n}');
});

test('the highlighted Go lines: a ❌ ✅ ⚠️ comment, and the code a comment-only one is about; an emoji in a string is not a mark', () => {
  const { goMarks } = src.go;
  const marks = (lines) => Object.fromEntries(goMarks(lines.join('\n')));
  assert.deepEqual(marks([
    '// ❌ INCORRECT: the doc comment', // 0
    'func f() {',                      // 1 (the code it is about)
    '\tx := 1',                        // 2
    '\t// ✅ SOLUTION: close it',      // 3
    '\t// and then wait',              // 4 (the comment goes on)
    '',                                // 5
    '\tclose(jobs)',                   // 6 (the code it is about)
    '\tfmt.Println("⚠️  not a mark")', // 7
    '\tjobs <- 999 // ⚠️ a mark',      // 8 (its own line only)
    '\ty := 2',                        // 9
    '\ts := "// ❌ in a string"',      // 10
    '}',                               // 11
  ]), { 0: 'wrong', 1: 'wrong', 3: 'right', 4: 'right', 6: 'right', 8: 'warning' });

  // Every common error's Go marks its mistake and its fix.
  for (const lesson of src.lessons.LESSONS.filter((l) => l.action.kind === 'demonstrate')) {
    const [mistake, fix] = lesson.code.columns;
    const kinds = (column) => new Set(column.parts.flatMap((p) => p.go.flatMap((g) => [...goMarks(g.text).values()])));
    assert.ok(kinds(mistake).has('wrong'), `${lesson.id}: the mistake's Go has ❌ lines`);
    assert.ok(kinds(fix).has('right'), `${lesson.id}: the fix's Go has ✅ lines`);
  }
});

test('the best practices: the tutorial\'s fifteen, each its ✅ line of Go and the Rust that implements it, or why none does', () => {
  const lesson = src.lessons.LESSONS.find((l) => l.id === 'best-practices');
  assert.equal(lesson.section, 'Best Practices Summary');
  const { practices } = lesson.code;
  assert.deepEqual(practices.map((p) => p.n), Array.from({ length: 15 }, (_, i) => i + 1));
  assert.equal(practices[0].title, 'Use context.Context for cancellation');
  assert.equal(practices[14].title, 'Monitor queue depth');
  for (const p of practices) {
    assert.match(p.go.blocks[0], new RegExp(`^\\s*// ✅ BEST PRACTICE ${p.n}: `), `practice ${p.n}: its Go starts at its comment`);
    assert.ok(p.go.blocks[0].split('\n').length >= 2, `practice ${p.n}: and has code under it`);
    if ('why' in p.rust) assert.ok(p.rust.why.length > 20, `practice ${p.n}: why no Rust`);
    else assert.equal(p.rust.snippet, `best-practices/${p.n}`);
  }
  assert.equal(lesson.action.kind, 'run');
  assert.deepEqual(
    { strategy: lesson.action.preset.strategy, workers: lesson.action.preset.workers, queueCapacity: lesson.action.preset.queueCapacity },
    { strategy: 'pool', workers: 5, queueCapacity: 50 }, 'the tutorial\'s NewBestPracticeWorkerPool(ctx, 5, 50)');
});

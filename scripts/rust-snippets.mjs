// The Rust that the lessons show, taken at build time from the compiled
// source: every marked region of every .rs file under crate/src/ and
// crate/tests/shown_code/, as the virtual module 'virtual:rust-snippets'
// (default export: name → text; `sources`: name → 'file:line'). A region is
//
//     // snippet: queue-never-closed/mistake
//     ...code...
//     // end snippet: queue-never-closed/mistake
//
// A marker may also end a line of code (`} // end snippet: x`): that code
// stays. Regions may nest or overlap; the marker lines of every region are
// left out of every snippet; a snippet is dedented by its smallest
// indentation and loses its leading and trailing blank lines. An unterminated
// region, an end without a start, a name defined twice and an empty region
// are errors that name the file and line (the build fails). So does a
// literal rustSnippet('name') call in the page's source that names no region
// (the page's own lookup throws at run time too).
//
// Plain JavaScript so that www/vite.config.ts, www/vite.element.config.ts and
// the tests' useSource (tests/helpers.mjs) can all use it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where regions are looked for, relative to the repository root. */
export const SNIPPET_DIRS = ['crate/src', 'crate/tests/shown_code'];
export const VIRTUAL_ID = 'virtual:rust-snippets';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

// A marker is a line comment: alone on its line, or after code on it
// (`} // end snippet: x`), whose code then stays in the snippet.
const MARKER = /^((?:(?!\/\/).)*)\/\/\s*(end snippet|snippet):\s*([\w./-]+)\s*$/;

/** The marker a line is, if it is one: { kind: 'start' | 'end', name, code } (`code`: what precedes it on its line). */
export function markerOf(line) {
  const match = MARKER.exec(line);
  if (!match) return null;
  return { kind: match[2] === 'snippet' ? 'start' : 'end', name: match[3], code: match[1].trimEnd() };
}

/** Drops the smallest indentation of the non-blank lines, blanks blank lines, trims blank lines at both ends. */
export function dedent(lines) {
  const blank = (line) => line.trim() === '';
  let start = 0;
  let end = lines.length;
  while (start < end && blank(lines[start])) start += 1;
  while (end > start && blank(lines[end - 1])) end -= 1;
  const kept = lines.slice(start, end);
  const indent = Math.min(...kept.filter((l) => !blank(l)).map((l) => /^\s*/.exec(l)[0].length));
  return kept.map((l) => (blank(l) ? '' : l.slice(indent))).join('\n');
}

/**
 * The regions of one file: Map name → { text, line } (line: 1-based, of its
 * start marker). `file` names the file in errors.
 */
export function extractSnippets(source, file) {
  const lines = source.split(/\r?\n/);
  const open = new Map(); // name → { line, lines }
  const found = new Map();
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    const marker = markerOf(line);
    const keep = (code) => {
      if (code.trim() !== '') for (const region of open.values()) region.lines.push(code);
    };
    if (marker?.kind === 'start') {
      const earlier = open.get(marker.name) ?? found.get(marker.name);
      if (earlier) throw new Error(`${at}: Rust snippet '${marker.name}' is defined twice (first at ${file}:${earlier.line})`);
      open.set(marker.name, { line: i + 1, lines: [] });
      keep(marker.code);
    } else if (marker?.kind === 'end') {
      const region = open.get(marker.name);
      if (!region) throw new Error(`${at}: 'end snippet: ${marker.name}' without a 'snippet: ${marker.name}' before it`);
      keep(marker.code);
      open.delete(marker.name);
      const text = region.lines.some((l) => l.trim() !== '') ? dedent(region.lines) : '';
      if (text === '') throw new Error(`${file}:${region.line}: Rust snippet '${marker.name}' is empty`);
      found.set(marker.name, { text, line: region.line });
    } else {
      for (const region of open.values()) region.lines.push(line);
    }
  });
  for (const [name, region] of open) {
    throw new Error(`${file}:${region.line}: Rust snippet '${name}' is never ended (no 'end snippet: ${name}')`);
  }
  return found;
}

/** Every .rs file under these directories, sorted. */
export function rustFilesIn(dirs) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.rs')) files.push(path);
    }
  };
  for (const dir of dirs) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`rust-snippets: no directory ${dir}`);
    walk(dir);
  }
  return files;
}

/**
 * Every region of these files: { snippets: name → text, sources: name →
 * 'path:line' } (paths relative to `root`, with '/'). A name defined in two
 * files is an error naming both.
 */
export function collectSnippets(files, root = ROOT) {
  const snippets = {};
  const sources = {};
  for (const path of files) {
    const file = relative(root, path).split(sep).join('/');
    for (const [name, { text, line }] of extractSnippets(readFileSync(path, 'utf8'), file)) {
      if (Object.hasOwn(snippets, name)) throw new Error(`${file}:${line}: Rust snippet '${name}' is defined twice (first at ${sources[name]})`);
      snippets[name] = text;
      sources[name] = `${file}:${line}`;
    }
  }
  return { snippets, sources };
}

/** The literal rustSnippet('name') calls of a module's source: [{ name, line }]. */
export function snippetCalls(code) {
  const calls = [];
  for (const match of code.matchAll(/\brustSnippet\(\s*(['"`])([^'"`$\\]+)\1\s*\)/g)) {
    calls.push({ name: match[2], line: code.slice(0, match.index).split('\n').length });
  }
  return calls;
}

/**
 * The Vite plugin. `root` (default: this repository) and `dirs` (default
 * SNIPPET_DIRS, relative to root) say where to look.
 */
export function rustSnippets({ root = ROOT, dirs = SNIPPET_DIRS } = {}) {
  const absolute = dirs.map((d) => resolve(root, d));
  const ours = (file) => file.endsWith('.rs') && absolute.some((d) => file.startsWith(d + sep));
  return {
    name: 'wwp:rust-snippets',
    resolveId(source) {
      return source === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const files = rustFilesIn(absolute);
      // A changed .rs file reloads the module (and the page) in the dev server.
      for (const file of files) this.addWatchFile(file);
      const { snippets, sources } = collectSnippets(files, root);
      return `export default ${JSON.stringify(snippets, null, 2)};\nexport const sources = ${JSON.stringify(sources, null, 2)};\n`;
    },
    transform: {
      order: 'pre',
      handler(code, id) {
        if (id.startsWith('\0') || id.includes('/node_modules/') || !/\.[cm]?[jt]s$/.test(id.split('?')[0])) return undefined;
        const calls = snippetCalls(code);
        if (calls.length === 0) return undefined;
        const files = rustFilesIn(absolute);
        for (const file of files) this.addWatchFile(file);
        const { snippets } = collectSnippets(files, root);
        const file = relative(root, id.split('?')[0]).split(sep).join('/');
        for (const { name, line } of calls) {
          if (!Object.hasOwn(snippets, name)) this.error(`${file}:${line}: unknown Rust snippet '${name}' (no '// snippet: ${name}' region under ${dirs.join(', ')})`);
        }
        return undefined;
      },
    },
    configureServer(server) {
      // New and deleted .rs files too (addWatchFile covers the files that exist).
      if (!server.watcher) return;
      server.watcher.add(absolute);
      const reload = (file) => {
        if (!ours(file)) return;
        for (const environment of Object.values(server.environments ?? {})) {
          const mod = environment.moduleGraph?.getModuleById(RESOLVED_ID);
          if (mod) environment.moduleGraph.invalidateModule(mod);
        }
        server.ws?.send({ type: 'full-reload' });
      };
      server.watcher.on('add', reload);
      server.watcher.on('unlink', reload);
    },
  };
}

export default rustSnippets;

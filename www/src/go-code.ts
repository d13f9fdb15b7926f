// The tutorial's Go, as the lessons show it: whole functions (and the
// comment above each) cut out of its programs (www/src/go/*.go, verbatim from
// the tutorial) by brace matching, the lines of a numbered best practice, and
// which lines the tutorial marks with ❌, ✅ or ⚠️ in a comment (those are
// highlighted, and so is the code line a marked comment line is about).

/** What a marked line says: ❌ the mistake, ✅ the right way, ⚠️ a warning. */
export type GoMark = 'wrong' | 'right' | 'warning';

/** Where each line's code ends and its comment starts, outside strings and runes; -1: no comment. */
interface Scan { commentAt: number[]; depthAfter: number[] }

/**
 * One pass over Go source that knows strings ("…" with escapes, `…` raw,
 * '…' runes) and comments (// and /* *\/): per line, where a // comment
 * starts, and the brace depth at the end of the line.
 */
function scan(source: string): Scan {
  const commentAt: number[] = [];
  const depthAfter: number[] = [];
  let depth = 0;
  let line = 0;
  let lineStart = 0;
  let comment = -1;
  let state: 'code' | 'string' | 'raw' | 'rune' | 'block' = 'code';
  const endLine = () => {
    commentAt[line] = comment;
    depthAfter[line] = depth;
    line += 1;
    comment = -1;
  };
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\n') {
      if (state === 'string' || state === 'rune') state = 'code'; // unterminated: Go would refuse it
      endLine();
      lineStart = i + 1;
      continue;
    }
    switch (state) {
      case 'code':
        if (c === '/' && source[i + 1] === '/') {
          comment = i - lineStart;
          const next = source.indexOf('\n', i);
          i = (next < 0 ? source.length : next) - 1;
        } else if (c === '/' && source[i + 1] === '*') { state = 'block'; i += 1; }
        else if (c === '"') state = 'string';
        else if (c === '`') state = 'raw';
        else if (c === "'") state = 'rune';
        else if (c === '{') depth += 1;
        else if (c === '}') depth -= 1;
        break;
      case 'string':
      case 'rune':
        if (c === '\\') i += 1;
        else if ((c === '"' && state === 'string') || (c === "'" && state === 'rune')) state = 'code';
        break;
      case 'raw':
        if (c === '`') state = 'code';
        break;
      case 'block':
        if (c === '*' && source[i + 1] === '/') { state = 'code'; i += 1; }
        break;
    }
  }
  endLine();
  return { commentAt, depthAfter };
}

const MARKS: [string, GoMark][] = [['❌', 'wrong'], ['✅', 'right'], ['⚠', 'warning']];

/** The mark of a comment's text, if it carries one. */
function markOf(comment: string): GoMark | null {
  for (const [emoji, mark] of MARKS) if (comment.includes(emoji)) return mark;
  return null;
}

/**
 * The highlighted lines of a piece of Go (0-based line → mark): each line
 * whose comment carries ❌, ✅ or ⚠️ (an emoji inside a string does not
 * count); and, for a comment-only marked line, the comment lines right under
 * it and the next line with code.
 */
export function goMarks(text: string): Map<number, GoMark> {
  const lines = text.split('\n');
  const { commentAt } = scan(text);
  const marks = new Map<number, GoMark>();
  const codeOnly = (i: number) => (commentAt[i] < 0 ? lines[i] : lines[i].slice(0, commentAt[i])).trim();
  const commentOnly = (i: number) => commentAt[i] >= 0 && codeOnly(i) === '';
  for (let i = 0; i < lines.length; i += 1) {
    if (commentAt[i] < 0) continue;
    const mark = markOf(lines[i].slice(commentAt[i]));
    if (!mark) continue;
    marks.set(i, mark);
    if (codeOnly(i) !== '') continue;
    let j = i + 1;
    while (j < lines.length && commentOnly(j) && !markOf(lines[j].slice(commentAt[j]))) marks.set(j++, mark);
    while (j < lines.length && (lines[j].trim() === '' || commentOnly(j))) j += 1;
    if (j < lines.length && !marks.has(j)) marks.set(j, mark);
  }
  return marks;
}

/** `func name(`, `func (r *Recv) name(`; `name` may be `Recv.name`. */
function declares(line: string, name: string): boolean {
  const [recv, fn] = name.includes('.') ? name.split('.') : [null, name];
  const match = /^func\s+(?:\(\s*\w+\s+\*?(\w+)\s*\)\s*)?(\w+)\s*\(/.exec(line);
  return match !== null && match[2] === fn && (recv === null || match[1] === recv);
}

/**
 * One top-level function of a Go file, verbatim: the comment lines right
 * above it, its `func` line, and everything to its closing brace. Throws if
 * the file has no such function, or more than one (name it `Recv.name`).
 */
export function goFunction(source: string, name: string, file = 'the Go source'): string {
  const lines = source.split('\n');
  const starts = lines.flatMap((line, i) => (declares(line, name) ? [i] : []));
  if (starts.length === 0) throw new Error(`no Go function '${name}' in ${file}`);
  if (starts.length > 1) throw new Error(`${starts.length} Go functions '${name}' in ${file}: name one as Receiver.${name}`);
  const [start] = starts;
  const { depthAfter } = scan(source);
  const before = start === 0 ? 0 : depthAfter[start - 1];
  // Its last line: where the depth is back to what it was before it, once its body has opened.
  let end = start;
  let opened = false;
  for (; end < lines.length; end += 1) {
    opened ||= depthAfter[end] > before || lines[end].includes('{');
    if (opened && depthAfter[end] === before) break;
  }
  if (end === lines.length) throw new Error(`Go function '${name}' in ${file} never closes its braces`);
  let first = start;
  while (first > 0 && lines[first - 1].trimStart().startsWith('//')) first -= 1;
  return lines.slice(first, end + 1).join('\n');
}

/**
 * The lines of the tutorial's "✅ BEST PRACTICE n": its comment line and the
 * code under it, through the end of the block it opens, up to a blank line
 * or a line indented less than the comment (verbatim, indentation kept).
 */
export function goPractice(source: string, n: number, file = 'the Go source'): string {
  const lines = source.split('\n');
  const at = lines.findIndex((line) => new RegExp(`// ✅ BEST PRACTICE ${n}:`).test(line));
  if (at < 0) throw new Error(`no BEST PRACTICE ${n} in ${file}`);
  const { depthAfter } = scan(source);
  const indent = (line: string) => /^\s*/.exec(line)![0].length;
  const base = depthAfter[at];
  let end = at;
  for (let i = at + 1; i < lines.length; i += 1) {
    // Inside a block the practice's code opened, blank lines do not end it.
    const open = depthAfter[i - 1] > base;
    if (!open && (lines[i].trim() === '' || indent(lines[i]) < indent(lines[at]) || depthAfter[i] < base)) break;
    end = i;
  }
  return lines.slice(at, end + 1).join('\n');
}

/** The practices' names as the tutorial's program prints them at its end ("1.  ✅ Use context.Context for cancellation"). */
export function goPracticeTitles(source: string): Map<number, string> {
  const titles = new Map<number, string>();
  for (const match of source.matchAll(/fmt\.Println\("(\d+)\.\s+✅ ([^"]+)"\)/g)) titles.set(Number(match[1]), match[2]);
  return titles;
}

/** A piece of Go without the indentation its non-blank lines share (a whole function stays as it is): how a fragment from inside a function is shown. */
export function goDedent(block: string): string {
  const lines = block.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length);
  const indent = Math.min(...indents);
  return lines.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))).join('\n');
}

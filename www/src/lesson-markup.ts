// The lessons' markup (their content is lessons.ts): the list with its
// contents, each lesson's code (the tutorial's Go, its marked lines
// highlighted, beside the Rust; the common errors as two columns, the mistake
// and the fix; the best practices as a list), and the reports of a try: a
// demonstration's, the mistake and the fix each with whether the tutorial's
// failure happened, its verdict and what was observed; or a run's
// explanation.
import type { CommonErrorReport, Observed } from 'wasm-worker-pool';
import { definitionRow } from './dom';
import { goMarks } from './go-code';
import { LESSONS, type BestPractice, type Code, type CodeColumn, type CodePart, type Lesson, type LessonAction, type RunExplanation } from './lessons';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The file a Rust region is in ('crate/src/x.rs:12' → 'crate/src/x.rs'). */
const fileOf = (source: string) => source.replace(/:\d+$/, '');

/**
 * One piece of code as a captioned figure. Go has its marked lines in
 * <mark>s (a bar at the left and a background: not colour alone); the
 * text is the code exactly, so that it copies as it is.
 */
export function codeFigure(code: Code): HTMLElement {
  const figure = element('figure', `code code-${code.language.toLowerCase()}`);
  figure.dataset.language = code.language;
  const what = code.language === 'Go' ? `${code.file}: ${code.names.join(', ')}` : code.snippet;
  if (code.language === 'Go') {
    figure.dataset.goFile = code.file;
    figure.dataset.goNames = code.names.join(',');
  } else {
    figure.dataset.snippet = code.snippet;
    figure.dataset.source = code.source;
  }
  const caption = element('figcaption');
  caption.append(`${code.language} · `, element('code', undefined, code.language === 'Go' ? code.file : fileOf(code.source)));
  if (code.language === 'Go') caption.append(` · ${code.names.join(', ')}`);
  const pre = element('pre');
  // Focusable so that a keyboard can scroll long lines; a named group, since a bare <pre> may not carry a name.
  pre.tabIndex = 0;
  pre.setAttribute('role', 'group');
  pre.setAttribute('aria-label', `${code.language} code: ${what}`);
  const c = element('code');
  if (code.language === 'Go') {
    const marks = goMarks(code.text);
    code.text.split('\n').forEach((line, i, lines) => {
      const mark = marks.get(i);
      if (mark) {
        const m = element('mark', `line-mark ${mark}`, line);
        c.append(m);
      } else {
        c.append(line);
      }
      if (i < lines.length - 1) c.append('\n');
    });
  } else {
    c.textContent = code.text;
  }
  pre.append(c);
  figure.append(caption, pre);
  return figure;
}

/** Go beside Rust (stacked under 1100 px). */
function codePair(part: Pick<CodePart, 'go' | 'rust'>): HTMLElement {
  const pair = element('div', 'code-pair');
  for (const codes of [part.go, part.rust]) {
    const cell = element('div', 'code-cell');
    cell.append(...codes.map(codeFigure));
    pair.append(cell);
  }
  return pair;
}

/** Two columns (the mistake, the fix), each its parts' Go over their Rust; stacked under 1100 px. */
function codeColumns(lesson: Lesson, columns: readonly CodeColumn[]): HTMLElement {
  const box = element('div', 'code-columns');
  columns.forEach((column, i) => {
    const group = element('div', 'code-column');
    group.setAttribute('role', 'group');
    const h4 = element('h4', undefined, column.heading);
    h4.id = `lesson-${lesson.id}-column-${i + 1}`;
    group.setAttribute('aria-labelledby', h4.id);
    group.append(h4);
    for (const part of column.parts) {
      const div = element('div', 'code-part');
      if (part.heading) div.append(element('h5', undefined, part.heading));
      div.append(...part.go.map(codeFigure), ...part.rust.map(codeFigure));
      group.append(div);
    }
    box.append(group);
  });
  return box;
}

/** The fifteen best practices: each its Go beside its Rust (or why there is none). */
function practiceList(lesson: Lesson, practices: readonly BestPractice[]): HTMLElement {
  const list = element('ol', 'practices');
  for (const practice of practices) {
    const li = element('li', 'practice');
    li.id = `lesson-${lesson.id}-${practice.n}`;
    li.append(element('h4', undefined, `${practice.n}. ${practice.title}`));
    const pair = element('div', 'code-pair');
    const goCell = element('div', 'code-cell');
    goCell.append(codeFigure(practice.go));
    const rustCell = element('div', 'code-cell');
    if ('why' in practice.rust) {
      const p = element('p', 'no-rust');
      p.append(element('strong', undefined, 'Rust: nothing to write. '), practice.rust.why);
      rustCell.append(p);
    } else {
      rustCell.append(codeFigure(practice.rust));
    }
    pair.append(goCell, rustCell);
    li.append(pair);
    list.append(li);
  }
  return list;
}

function lessonCode(lesson: Lesson): HTMLElement {
  switch (lesson.code.layout) {
    case 'side-by-side': return codePair(lesson.code.part);
    case 'columns': return codeColumns(lesson, lesson.code.columns);
    case 'practices': return practiceList(lesson, lesson.code.practices);
  }
}

/** Render the list; `onTry` runs a lesson. */
export function renderLessons(box: HTMLElement, onTry: (lesson: Lesson, button: HTMLButtonElement) => void): Map<string, HTMLElement> {
  const reports = new Map<string, HTMLElement>();
  box.replaceChildren();
  const nav = element('nav');
  nav.setAttribute('aria-label', 'Lessons');
  const toc = element('ol', 'lesson-toc');
  for (const lesson of LESSONS) {
    const li = element('li');
    const a = element('a', undefined, lesson.title);
    a.href = `#lesson-${lesson.id}`;
    li.append(a);
    toc.append(li);
  }
  nav.append(toc);
  const key = element('p', 'marks-key');
  key.append('In the Go, ', element('mark', 'line-mark warning', 'highlighted lines'),
    ' (a bar at their left) are the lines the tutorial marks with ❌, ✅ or ⚠️, and the code each such comment is about.');
  box.append(nav, key);
  for (const lesson of LESSONS) {
    const article = element('article', 'lesson');
    article.id = `lesson-${lesson.id}`;
    article.tabIndex = -1;
    const look = element('p', 'look-for', lesson.lookFor);
    look.id = `lesson-${lesson.id}-look`;
    const button = element('button', 'try', lesson.action.kind === 'compare' ? 'Try it: compare' : 'Try it');
    button.type = 'button';
    button.dataset.lesson = lesson.id;
    button.setAttribute('aria-describedby', look.id);
    button.addEventListener('click', () => onTry(lesson, button));
    const report = element('div', 'report');
    report.id = `report-${lesson.id}`;
    report.setAttribute('aria-live', 'polite');
    reports.set(lesson.id, report);
    article.append(
      element('h3', undefined, lesson.title),
      element('p', 'section', `Tutorial: ${lesson.section}`),
      element('p', undefined, lesson.text),
      lessonCode(lesson),
      look, button, report,
    );
    box.append(article);
  }
  return reports;
}

const label = (key: string) => key.replace(/([A-Z])/g, ' $1').toLowerCase().replace(/^./, (c) => c.toUpperCase());

/** What was observed, as a two-column table. */
function observedTable(observed: Record<string, Observed>, caption: string): HTMLTableElement {
  const table = element('table', 'observed');
  table.append(element('caption', undefined, caption));
  const tbody = element('tbody');
  for (const [key, value] of Object.entries(observed)) {
    const tr = element('tr');
    const th = element('th', undefined, label(key));
    th.scope = 'row';
    const td = element('td', undefined, typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(value));
    tr.append(th, td);
    tbody.append(tr);
  }
  table.append(tbody);
  return table;
}

/** Forgets what a try reported. */
export function clearReport(box: HTMLElement): void {
  for (const key of ['report', 'summary', 'ran', 'mistakeHappened', 'fixHappened']) delete box.dataset[key];
}

type Failure = Extract<LessonAction, { kind: 'demonstrate' }>['failure'];

/**
 * A demonstration's report: what goes wrong in Go and how the Rust API
 * prevents it, then the mistake and the fix, each with whether the tutorial's
 * failure happened (in words), its verdict and what was observed.
 */
export function renderDemonstration(box: HTMLElement, report: CommonErrorReport, failure: Failure): void {
  box.replaceChildren();
  clearReport(box);
  box.dataset.report = JSON.stringify(report);
  box.dataset.mistakeHappened = String(report.mistake.happened);
  box.dataset.fixHappened = String(report.fix.happened);
  const dl = element('dl', 'report-list');
  definitionRow(dl, 'Symptom in Go', report.symptom);
  definitionRow(dl, 'How the Rust API prevents or reports it', report.prevention);
  const variants = element('div', 'variants');
  for (const [key, name] of [['mistake', 'The mistake'], ['fix', 'The fix']] as const) {
    const variant = report[key];
    const group = element('div', `variant ${key}`);
    group.setAttribute('role', 'group');
    const h5 = element('h5', undefined, `${name}, run just now`);
    h5.id = `${box.id}-${key}`;
    group.setAttribute('aria-labelledby', h5.id);
    const status = element('p', `status ${variant.happened ? 'happened' : 'absent'}`);
    status.dataset.happened = String(variant.happened);
    status.append(element('strong', undefined, variant.happened ? 'Happened: yes' : 'Did not happen'),
      ` — ${variant.happened ? failure.happened : failure.absent}`);
    group.append(h5, status, element('p', 'verdict', variant.verdict), observedTable(variant.observed, `Observed in ${name.toLowerCase()}`));
    variants.append(group);
  }
  box.append(element('h4', undefined, report.title), dl, variants);
}

/** A run's explanation (the traps lesson): symptom, what was detected, how Rust prevents it, the numbers. */
export function renderExplanation(box: HTMLElement, report: RunExplanation): void {
  box.replaceChildren();
  clearReport(box);
  box.dataset.report = JSON.stringify(report);
  const dl = element('dl', 'report-list');
  for (const [term, text] of [['Symptom in Go', report.symptom], ['Detected just now', report.detected], ['How the Rust API prevents or reports it', report.prevention]]) {
    definitionRow(dl, term, text);
  }
  box.append(element('h4', undefined, report.title), dl, observedTable(report.observed, 'Observed'));
}

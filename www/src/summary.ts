// The end-of-run summary, like the tutorial's "📊 Summary": total, each
// outcome, workers used, elapsed, throughput, latency percentiles. The
// container keeps the raw summary as JSON in data-summary.
import { OUTCOMES, type RunSummary } from 'wasm-worker-pool';
import { OUTCOME_LABEL } from './colors';
import { STRATEGY_LABEL } from './config';
import { count, ms, ordinal, percent, rate, us } from './format';

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = '') => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
};

export const outcomeSum = (s: RunSummary) => s.succeeded + s.failed + s.panicked + s.timedOut + s.cancelled;

function ids(list: number[], label: string): HTMLElement | null {
  if (list.length === 0) return null;
  const shown = list.slice(0, 20).map(count).join(', ');
  const more = list.length > 20 ? ` and ${count(list.length - 20)} more` : '';
  return h('p', 'ids', `${label} (${count(list.length)}): ${shown}${more}`);
}

export function renderSummary(box: HTMLElement, summary: RunSummary, seed: number): void {
  box.replaceChildren();
  box.dataset.summary = JSON.stringify(summary);
  box.hidden = false;
  const title = summary.aborted ? 'Summary (cancelled)' : 'Summary';
  box.append(h('h3', '', `${title}: ${STRATEGY_LABEL[summary.strategy]}, seed ${seed}`));

  // One bar split by outcome, in the outcome colours and patterns.
  const total = Math.max(1, summary.tasks);
  const bar = h('div', 'outcome-bar');
  bar.setAttribute('role', 'img');
  const parts: string[] = [];
  for (const o of OUTCOMES) {
    const n = summary[o];
    if (n <= 0) continue;
    const seg = h('span', `seg ${o}`);
    seg.style.width = `${(n / total) * 100}%`;
    seg.title = `${OUTCOME_LABEL[o]}: ${count(n)}`;
    bar.append(seg);
    parts.push(`${OUTCOME_LABEL[o]} ${count(n)} (${percent(n / total)})`);
  }
  bar.setAttribute('aria-label', `Outcomes: ${parts.join(', ')}`);
  box.append(bar);

  const list = h('dl', 'summary-list');
  const row = (label: string, value: string, className = '') => {
    const item = h('div', `item ${className}`);
    const dt = h('dt', '', '');
    if (className) {
      const sw = h('span', `swatch ${className}`);
      sw.setAttribute('aria-hidden', 'true');
      dt.append(sw);
    }
    dt.append(label);
    item.append(dt, h('dd', '', value));
    list.append(item);
  };
  row('Total tasks', count(summary.tasks));
  for (const o of OUTCOMES) row(OUTCOME_LABEL[o], `${count(summary[o])} (${percent(summary[o] / total)})`, o);
  row(summary.strategy === 'spawn-per-task' ? 'Threads used' : 'Workers used', count(summary.threadsUsed));
  row('Peak threads', count(summary.peakThreads));
  row('Elapsed', ms(summary.elapsedMs));
  row('First result after', ms(summary.firstResultMs));
  row('Throughput', rate(summary.throughputPerSec));
  box.append(list);

  const table = h('table', 'latency');
  table.append(h('caption', '', 'Latency'));
  const head = h('tr');
  // The corner above the row headers heads nothing: a plain cell, not an empty header.
  head.append(h('td'));
  for (const text of ['p50', 'p95', 'p99', 'max']) {
    const th = h('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  const thead = h('thead');
  thead.append(head);
  const tbody = h('tbody');
  for (const [label, p] of [['Run time (per task)', summary.runTime], ['Queue wait', summary.queueWait]] as const) {
    const tr = h('tr');
    const th = h('th', '', label);
    th.scope = 'row';
    tr.append(th, h('td', '', us(p.p50Us)), h('td', '', us(p.p95Us)), h('td', '', us(p.p99Us)), h('td', '', us(p.maxUs)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  box.append(table);

  const notes: (HTMLElement | null)[] = [
    ids(summary.failedTaskIds, 'Failed task ids'),
    ids(summary.panickedTaskIds, 'Panicked task ids (each panic was caught; its worker kept going)'),
  ];
  if (summary.spawnRefused > 0) {
    notes.push(h('p', 'note', `${count(summary.spawnRefused)} tasks never got a thread and ended failed: ` +
      `${summary.spawnRefusedReason ?? 'spawn refused'}. That is the tutorial's "memory exhaustion" made real; ` +
      'a worker pool, or a cap on live threads, avoids it.'));
  }
  if (summary.threadFailures > 0) {
    notes.push(h('p', 'note thread-failures', `${count(summary.threadFailures)} tasks failed because their thread ` +
      `failed to start or died: ${summary.threadFailureReason ?? 'a thread failure'}. ` +
      'They did not run (or did not finish): they are counted as failed, not cancelled.'));
  }
  if (summary.aborted) {
    notes.push(h('p', 'note', `Cancelled by you: ${count(summary.cancelled)} tasks ended cancelled` +
      (summary.neverSubmitted ? `, ${count(summary.neverSubmitted)} of them before they were submitted` : '') +
      `. Every task is counted once: ${count(outcomeSum(summary))} of ${count(summary.tasks)}.`));
  }
  if (summary.timelineEvents < summary.tasks - summary.neverSubmitted) {
    const sample = summary.timelineEvery > 1
      ? `every ${ordinal(summary.timelineEvery)} task by id (${count(summary.timelineEvents)} tasks), an even sample across the whole run`
      : `${count(summary.timelineEvents)} tasks`;
    notes.push(h('p', 'note', `The timeline and the exports keep ${sample}; the counts above are exact.`));
  }
  for (const n of notes) if (n) box.append(n);
}

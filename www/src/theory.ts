// "Queueing theory beside the measurement", in the Run view after the
// summary: what a finished run measured, read the way queueing theory reads a
// queue (arrival rate λ, mean service time S, utilisation ρ = λS/c), Little's
// law checked on the measured values, and, where the settings make the
// service times known (sleep tasks: uniform on their range), a prediction of
// the mean queue wait: Erlang C (M/M/c) and Allen–Cunneen (M/G/c) for open
// arrivals below saturation, and for a batch (every task at once) what
// applies to a queue that drains instead of reaching a steady state. In words
// first, the formulas in a <details>. The numbers are on the panel as data-
// attributes (data-rho, data-little-l, data-little-lambda-w, …) and, whole,
// as JSON in data-theory. The maths is queueing.ts; theoryOf() is pure, so
// tests compute the panel's numbers without a browser.
import type { RunSummary, TimelineEvent } from 'wasm-worker-pool';
import type { Settings } from './config';
import { count, counted, ms, percent } from './format';
import {
  allenCunneenWait, batchMakespan, batchWait, erlangC, erlangCWait, measure, relativeError, uniformService,
  type Measured, type Service,
} from './queueing';

/** The panel's place in the Run view's markup (markup.ts), after the summary. */
export const THEORY_MARKUP = `
      <section id="theory" class="theory" aria-labelledby="theory-title" hidden></section>`;

/** What the panel is computed from. */
export interface TheoryInput {
  settings: Settings;
  summary: RunSummary;
  events: readonly TimelineEvent[];
  /** Cores of this machine: CPU tasks run no more at once. */
  cores: number;
  /** Times the running pool was resized (the theory assumes a fixed c). */
  resizes?: number;
}

export interface OpenPrediction {
  kind: 'open';
  /** The arrival rate set (tasks/s). */
  ratePerSec: number;
  /** Servers the formulas use: the workers, fewer with a connection limit (or CPU tasks on fewer cores). */
  servers: number;
  /** Service times from the settings (sleep tasks), ms; null: not known in advance (CPU, no-op). */
  service: Service | null;
  /** ρ from the settings: λS/c. */
  rho: number | null;
  /** Below 1 (a steady state exists). */
  stable: boolean;
  /** Erlang C: the probability a task waits. */
  waitProbability: number | null;
  /** Mean queue wait, M/M/c (ms). */
  erlangCWaitMs: number | null;
  /** Mean queue wait, Allen–Cunneen M/G/c with the settings' Cs² (ms). */
  allenCunneenWaitMs: number | null;
  /** Allen–Cunneen from the measured λ, S and Cs² (ms; null when they give ρ ≥ 1). */
  measuredAllenCunneenWaitMs: number | null;
}

export interface BatchPrediction {
  kind: 'batch';
  tasks: number;
  servers: number;
  /** The S the prediction uses (ms): the settings' mean for sleep tasks, else the measured one. */
  serviceMs: number | null;
  fromSettings: boolean;
  /** ceil(n/c)·S (ms). */
  makespanMs: number | null;
  /** The measured busy window: first start to last result (ms). */
  measuredMakespanMs: number | null;
  /** Mean queue wait if every task took S, through this queue (ms); null for one worker per task. */
  waitMs: number | null;
}

export interface Theory {
  mode: 'open' | 'batch';
  strategy: Settings['strategy'];
  /** c: workers (threads of rayon; one worker per task: the most threads alive at once). */
  servers: number;
  measured: Measured;
  /** λ measured from the submission times (tasks/s); Infinity: all in one instant. */
  lambdaPerSec: number | null;
  /** S measured (ms). */
  serviceMs: number | null;
  /** ρ = λS/c from the measured λ and S. */
  rho: number | null;
  /** The workers' busy share: work done / (c × busy window). */
  busyShare: number | null;
  little: {
    /** Tasks through the run per second: the λ of Little's law over the whole run (what arrived also left). */
    lambdaPerSec: number;
    windowMs: number;
    l: number; wMs: number | null; lambdaW: number | null; error: number | null;
    lq: number; wqMs: number | null; lambdaWq: number | null; queueError: number | null;
  };
  /** The measured mean queue wait (ms). */
  waitMs: number | null;
  prediction: OpenPrediction | BatchPrediction | null;
  /** Why the theory fits this run less than exactly, in words. */
  caveats: string[];
}

/** Servers that can work at once: the workers, no more than the connections, CPU tasks no more than the cores. */
export function effectiveServers(s: Settings, servers: number, cores: number): number {
  let c = servers;
  if (s.connections !== null) c = Math.min(c, s.connections);
  if (s.kind === 'cpu') c = Math.min(c, Math.max(1, cores));
  return Math.max(1, c);
}

/** The settings' service-time distribution (ms), when they fix it: sleep tasks (a deadline cuts them short). A no-op's time is only the machine's: measured, never from the settings. */
export function settingsService(s: Settings): Service | null {
  if (s.kind === 'sleep') return uniformService(s.sleepMin, s.sleepMax, s.timeoutMs);
  return null;
}

const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

/** Everything the panel shows, from the run's settings, summary and events. */
export function theoryOf({ settings, summary, events, cores, resizes = 0 }: TheoryInput): Theory {
  const every = Math.max(1, summary.timelineEvery);
  const m = measure(events, summary.elapsedMs, every);
  const open = settings.strategy === 'pool' && settings.arrivalRate !== null;
  const servers = settings.strategy === 'spawn-per-task' ? Math.max(1, summary.peakThreads) : settings.workers;
  const lambda = m.arrivalRatePerSec;
  const S = m.meanServiceMs;
  const rho = lambda === null || S === null ? null : (lambda * (S / 1000)) / servers;
  const busyShare = m.busyMs && m.busyMs > 0 ? m.workMs / (servers * m.busyMs) : null;
  const went = summary.tasks - summary.neverSubmitted;
  const through = summary.elapsedMs > 0 ? went / (summary.elapsedMs / 1000) : 0;
  const lambdaW = m.meanSystemMs === null ? null : through * (m.meanSystemMs / 1000);
  const lambdaWq = m.meanWaitMs === null ? null : through * (m.meanWaitMs / 1000);
  const little = {
    lambdaPerSec: through, windowMs: summary.elapsedMs,
    l: m.inSystem, wMs: m.meanSystemMs, lambdaW, error: lambdaW === null ? null : relativeError(m.inSystem, lambdaW),
    lq: m.inQueue, wqMs: m.meanWaitMs, lambdaWq, queueError: lambdaWq === null ? null : relativeError(m.inQueue, lambdaWq),
  };

  const service = settingsService(settings);
  const c = effectiveServers(settings, servers, cores);
  let prediction: OpenPrediction | BatchPrediction | null = null;
  if (open) {
    const rate = settings.arrivalRate!;
    const perMs = rate / 1000;
    const rho0 = service ? (perMs * service.mean) / c : null;
    const stable = rho0 !== null && rho0 < 1;
    const measuredAc = lambda !== null && Number.isFinite(lambda) && S !== null && m.serviceCs2 !== null
      ? finite(allenCunneenWait(lambda / 1000, S, c, 1, m.serviceCs2)) : null;
    prediction = {
      kind: 'open', ratePerSec: rate, servers: c, service, rho: rho0, stable,
      waitProbability: stable && service ? erlangC(c, perMs * service.mean) : null,
      erlangCWaitMs: stable && service ? erlangCWait(perMs, service.mean, c) : null,
      allenCunneenWaitMs: stable && service ? allenCunneenWait(perMs, service.mean, c, 1, service.cs2) : null,
      measuredAllenCunneenWaitMs: measuredAc,
    };
  } else {
    const serviceMs = service ? service.mean : S;
    const n = went;
    const capacity = settings.strategy === 'pool' ? settings.queueCapacity : n;
    prediction = {
      kind: 'batch', tasks: n, servers: c, serviceMs, fromSettings: service !== null,
      makespanMs: serviceMs === null ? null : batchMakespan(n, c, serviceMs),
      measuredMakespanMs: summary.firstStartMs === null || summary.lastResultMs === null ? null : summary.lastResultMs - summary.firstStartMs,
      waitMs: serviceMs === null || settings.strategy === 'spawn-per-task' ? null : batchWait(n, c, serviceMs, capacity),
    };
  }

  const caveats: string[] = [];
  if (summary.aborted) caveats.push('The run was cancelled: the numbers cover only what ran before it stopped.');
  if (every > 1) caveats.push(`The timeline kept 1 task in ${count(every)}, so the averages are taken over that sample and the counts scaled up by ${count(every)}.`);
  if (resizes > 0) caveats.push('The pool was resized during the run; the formulas assume a fixed number of workers (the one the run started with).');
  if (settings.connections !== null && settings.connections < servers) {
    caveats.push(`Only ${counted(settings.connections, 'connection')}: at most that many tasks work at once, so the predictions use c = ${count(c)}; the measured service time includes the wait for a connection.`);
  }
  if (settings.kind === 'cpu') caveats.push(`CPU tasks share this machine's ${counted(cores, 'core')}: no more run at once, and how long one takes depends on the machine, so a prediction uses the measured service times.`);
  if (settings.timeoutMs !== null && settings.kind === 'sleep') caveats.push('A per-task deadline cuts the longer tasks short: the service times the predictions use are cut at the deadline too.');
  if (settings.trapPct > 0) caveats.push('Tasks that trap kill their worker; the pool starts a new one, which takes time the formulas do not count.');
  if (open && summary.submitsBlocked > 0) {
    caveats.push(`The queue (${counted(settings.queueCapacity, 'job')}) was full ${counted(summary.submitsBlocked, 'time')} and the feeder had to wait (backpressure): the arrivals were held back, so this was not the unlimited queue the formulas assume.`);
  }
  if (open && settings.queueCapacity === 0) caveats.push('An unbuffered queue (capacity 0): a task arriving while every worker is busy holds up the next arrivals, so waits are longer than in the unlimited queue the formulas assume.');
  // The first task's own wait (its arrival is not start-up: the feeder waits for it).
  const first = events.reduce<TimelineEvent | null>((a, e) => (e.startedMs >= 0 && (a === null || e.startedMs < a.startedMs) ? e : a), null);
  const firstWait = first ? first.startedMs - first.enqueuedMs : 0;
  if (open && firstWait > 50) {
    caveats.push(`The first task waited ${ms(firstWait)} for a worker to start, and the tasks that arrived meanwhile waited too: a start-up the steady-state formulas leave out (a second run reuses the parked workers).`);
  }

  return {
    mode: open ? 'open' : 'batch', strategy: settings.strategy, servers, measured: m,
    lambdaPerSec: lambda, serviceMs: S, rho, busyShare, little, waitMs: m.meanWaitMs, prediction, caveats,
  };
}

// ---- what the panel shows ----

/** A number as the panel shows it: 3 significant digits, thousands grouped; "∞" for infinity. */
export function figure(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Math.abs(value) >= 1000) return count(value);
  return String(Number(value.toPrecision(3)));
}

/** A relative difference in words: "0.8 %", or "under 0.05 %". */
export function difference(error: number | null): string {
  if (error === null) return '–';
  return error < 0.0005 ? 'under 0.05 %' : percent(error);
}

const rateText = (v: number | null) => (v === null ? '–' : `${figure(v)} tasks/s`);

type Child = Node | string;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', ...children: Child[]): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
};

/** A table in a box that scrolls sideways on a narrow screen, reachable from the keyboard. */
function scrolling(table: HTMLTableElement, label: string): HTMLElement {
  const box = el('div', 'table-scroll', table);
  box.tabIndex = 0;
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', label);
  return box;
}

/** A value element that keeps its number (data-value) beside its text. */
function valued(tag: 'dd' | 'td', value: number | null, text: string): HTMLElement {
  const node = el(tag, '', text);
  if (value !== null) node.dataset.value = String(value);
  return node;
}

/** What ρ means, in a sentence. */
function rhoWords(rho: number | null): string {
  if (rho === null) return '';
  if (!Number.isFinite(rho)) return 'Every task arrived in the same instant: λ is unbounded, far above what any number of workers can serve at once.';
  if (rho < 0.95) return `Each worker is busy about ${percent(rho)} of the time while tasks keep arriving at this rate; the rest of the time it waits for work.`;
  if (rho <= 1.05) return 'About 1: the workers only just keep up, so any burst of arrivals queues.';
  return 'Above 1: tasks arrive faster than the workers can serve them, so the queue grows until the arrivals stop (or it is full and the submitter waits).';
}

function leadText(t: Theory, s: Settings): string {
  const p = t.prediction;
  if (p?.kind === 'open') {
    const base = `Tasks arrived one by one at random gaps (Poisson arrivals, ${figure(p.ratePerSec)} per second set), to ${counted(t.servers, 'worker')}.`;
    if (p.rho === null) return `${base} How long a task takes is not known from the settings here, so only the measured numbers and Little's law apply.`;
    return p.stable
      ? `${base} With the settings' mean task time, ρ = ${figure(p.rho)} < 1: the workers keep up on average, so the queue settles into a steady state, and queueing theory predicts its mean wait.`
      : `${base} With the settings' mean task time, ρ = ${figure(p.rho)} ≥ 1: the tasks arrive faster than the workers can serve them, so there is no steady state: the queue grows until it is full and the feeder waits. The steady-state formulas do not apply; Little's law still does.`;
  }
  if (s.strategy === 'spawn-per-task') {
    return 'Every task was handed out at once, each to a Web Worker of its own: a batch (everything arrives at t = 0) with no fixed number of workers, so there is no queue to predict; here c is the most threads alive at once. Little\'s law still holds.';
  }
  return `Every task was submitted at once: a batch, everything arrives at t = 0 (as fast as the queue takes them). The queue starts full and drains; it never reaches a steady state, so the steady-state formulas (Erlang C) do not apply. What does: Little's law, and the time a batch takes, about ceil(n/c) rounds of S.`;
}

/** Renders the panel for a finished run. */
export function renderTheory(box: HTMLElement, theory: Theory, settings: Settings): void {
  const t = theory;
  box.replaceChildren();
  box.hidden = false;
  const data: Record<string, number | string | null> = {
    mode: t.mode, servers: t.servers, lambda: t.lambdaPerSec, serviceMs: t.serviceMs, rho: t.rho, busyShare: t.busyShare,
    littleL: t.little.l, littleLambdaW: t.little.lambdaW, littleError: t.little.error,
    littleLq: t.little.lq, littleLambdaWq: t.little.lambdaWq, littleQueueError: t.little.queueError,
    littleLambda: t.little.lambdaPerSec, measuredWaitMs: t.waitMs,
  };
  const p = t.prediction;
  if (p?.kind === 'open') {
    Object.assign(data, {
      predictedRho: p.rho, erlangCProbability: p.waitProbability, erlangCWaitMs: p.erlangCWaitMs,
      predictedWaitMs: p.allenCunneenWaitMs, measuredAllenCunneenWaitMs: p.measuredAllenCunneenWaitMs,
    });
  } else if (p?.kind === 'batch') {
    Object.assign(data, { batchMakespanMs: p.makespanMs, measuredMakespanMs: p.measuredMakespanMs, predictedWaitMs: p.waitMs });
  }
  for (const key of Object.keys(box.dataset)) delete box.dataset[key];
  for (const [key, value] of Object.entries(data)) if (value !== null) box.dataset[key] = String(value);
  box.dataset.theory = JSON.stringify(t, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

  const title = el('h3', '', 'Queueing theory beside the measurement');
  title.id = 'theory-title';
  box.append(title, el('p', 'theory-lead', leadText(t, settings)));

  // λ, S, c, ρ.
  const list = el('dl', 'theory-list');
  const row = (term: string, value: number | null, text: string, note = '') => {
    const item = el('div', 'item', el('dt', '', term), valued('dd', value, text));
    if (note) item.append(el('dd', 'theory-note', note));
    list.append(item);
  };
  const lambdaNote = t.mode === 'batch' && t.strategy === 'pool'
    ? 'submissions per second, from the times the tasks were handed to the queue (in a batch, as fast as the queue takes them)'
    : 'submissions per second, from the times the tasks were handed to the queue';
  row('Arrival rate λ', t.lambdaPerSec, rateText(t.lambdaPerSec), lambdaNote);
  const settingsMean = p?.kind === 'open' ? p.service?.mean ?? null : p?.kind === 'batch' && p.fromSettings ? p.serviceMs : null;
  row('Mean service time S', t.serviceMs, ms(t.serviceMs),
    `how long a task ran, on average${settingsMean !== null && settings.kind === 'sleep' ? `; the settings' mean is ${ms(settingsMean)}` : ''}`);
  row(settings.strategy === 'spawn-per-task' ? 'Threads c' : 'Workers c', t.servers, count(t.servers),
    settings.strategy === 'spawn-per-task' ? 'the most threads alive at once' : '');
  row('Utilisation ρ = λS/c', t.rho, figure(t.rho), rhoWords(t.rho));
  row('Workers busy', t.busyShare, t.busyShare === null ? '–' : percent(t.busyShare),
    'measured: the time tasks ran, over c × the busy window (first start to last result)');
  box.append(list);

  // Little's law.
  const lt = t.little;
  box.append(el('h4', '', "Little's law: L = λW"));
  box.append(el('p', '', `The average number of tasks inside equals the rate they pass through times how long each stays: for any queue that starts and ends empty, whatever the arrivals or the task times. Checked on this run, from 0 to ${ms(lt.windowMs)}: λ = ${rateText(lt.lambdaPerSec)} went through, each spent W = ${ms(lt.wMs)} inside (Wq = ${ms(lt.wqMs)} of it in the queue).`));
  const table = el('table', 'theory-little');
  table.append(el('caption', '', "Little's law, measured"));
  const head = el('tr', '', el('td'));
  for (const text of ['L (time-average, from the timeline)', 'λ × W', 'Difference']) {
    const th = el('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  const tbody = el('tbody');
  const littleRow = (label: string, l: number, lw: number | null, error: number | null, id: string) => {
    const th = el('th', '', label);
    th.scope = 'row';
    const tr = el('tr', '', th, valued('td', l, figure(l)), valued('td', lw, figure(lw)), valued('td', error, difference(error)));
    tr.id = id;
    tbody.append(tr);
  };
  littleRow('In the system (waiting or running)', lt.l, lt.lambdaW, lt.error, 'theory-little-system');
  littleRow('In the queue only (Lq and λ × Wq)', lt.lq, lt.lambdaWq, lt.queueError, 'theory-little-queue');
  table.append(el('thead', '', head), tbody);
  box.append(scrolling(table, "Little's law, measured"));

  // The prediction.
  if (p?.kind === 'open') box.append(...openPart(t, p));
  else if (p?.kind === 'batch') box.append(...batchPart(t, p, settings));

  if (t.caveats.length) {
    box.append(el('h4', '', 'Where this run differs from the model'));
    const ul = el('ul', 'theory-caveats');
    for (const c of t.caveats) ul.append(el('li', '', c));
    box.append(ul);
  }
  box.append(formulas());
}

function openPart(t: Theory, p: OpenPrediction): Node[] {
  const nodes: Node[] = [el('h4', '', 'Mean queue wait: measured and predicted')];
  if (p.service === null) {
    nodes.push(el('p', '', `Measured: ${ms(t.waitMs)}. How long these tasks take is not fixed by the settings, so the prediction below uses the measured service times.`));
  } else if (!p.stable) {
    nodes.push(el('p', '', `Measured: ${ms(t.waitMs)}. No prediction: at ρ = ${figure(p.rho)} ≥ 1 the steady-state wait is unbounded; in a finite run it keeps growing while tasks arrive.`));
  } else {
    const sv = p.service;
    nodes.push(el('p', '', `With λ = ${figure(p.ratePerSec)} tasks/s, c = ${count(p.servers)} and the settings' task times (mean S = ${ms(sv.mean)}, Cs² = ${figure(sv.cs2)}: their spread, variance over mean squared), the chance that a task has to wait is C(c, a) = ${figure(p.waitProbability)} (Erlang C).`));
  }
  const table = el('table', 'theory-wait');
  table.append(el('caption', '', 'Mean queue wait'));
  const tbody = el('tbody');
  const row = (label: string, value: number | null, id: string) => {
    const th = el('th', '', label);
    th.scope = 'row';
    const tr = el('tr', '', th, valued('td', value, value === null ? '–' : ms(value)));
    tr.id = id;
    tbody.append(tr);
  };
  row('Measured (this run)', t.waitMs, 'theory-wait-measured');
  if (p.service !== null && p.stable) {
    row('Erlang C, M/M/c (as if task times were exponential, Cs² = 1)', p.erlangCWaitMs, 'theory-wait-erlang');
    row(`Allen–Cunneen, M/G/c (the settings' task times, Cs² = ${figure(p.service.cs2)})`, p.allenCunneenWaitMs, 'theory-wait-predicted');
  }
  row('Allen–Cunneen from the measured λ, S and Cs²', p.measuredAllenCunneenWaitMs, 'theory-wait-measured-ac');
  table.append(tbody);
  nodes.push(scrolling(table, 'Mean queue wait'));
  if (p.service !== null && p.stable) {
    nodes.push(el('p', 'theory-note', 'Evenly spread task times (small Cs²) wait about half as long as exponential ones: the formula multiplies the M/M/c wait by (Ca² + Cs²)/2, with Ca² = 1 for Poisson arrivals. A finite run is noisy: expect the measurement within tens of percent, closer for longer runs.'));
  }
  return nodes;
}

function batchPart(t: Theory, p: BatchPrediction, s: Settings): Node[] {
  const nodes: Node[] = [el('h4', '', 'A batch: how long it takes, and the wait')];
  if (p.serviceMs === null) {
    nodes.push(el('p', '', 'No task ran, so there is nothing to predict from.'));
    return nodes;
  }
  const source = p.fromSettings ? "the settings' mean" : 'the measured mean';
  nodes.push(el('p', '', `${count(p.tasks)} tasks on ${counted(p.servers, s.strategy === 'pool' ? 'worker' : 'thread')} take about ceil(n/c) = ${count(Math.ceil(p.tasks / p.servers))} rounds of S = ${ms(p.serviceMs)} (${source}): ${ms(p.makespanMs)}. ` +
    (p.waitMs === null ? '' : s.strategy === 'pool'
      ? `If every task took exactly S, a queue of ${counted(s.queueCapacity, 'job')} with the feeder waiting while it is full gives a mean queue wait of ${ms(p.waitMs)}.`
      : `If every task took exactly S, the mean wait for a thread would be ${ms(p.waitMs)}.`)));
  const table = el('table', 'theory-batch');
  table.append(el('caption', '', 'Batch: predicted and measured'));
  const head = el('tr', '', el('td'));
  for (const text of ['Predicted', 'Measured']) {
    const th = el('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  const tbody = el('tbody');
  const row = (label: string, predicted: number | null, measured: number | null, id: string) => {
    const th = el('th', '', label);
    th.scope = 'row';
    const tr = el('tr', '', th, valued('td', predicted, ms(predicted)), valued('td', measured, ms(measured)));
    tr.id = id;
    tbody.append(tr);
  };
  row('Busy window (first start to last result)', p.makespanMs, p.measuredMakespanMs, 'theory-batch-makespan');
  if (p.waitMs !== null) row('Mean queue wait', p.waitMs, t.waitMs, 'theory-wait-measured');
  table.append(el('thead', '', head), tbody);
  nodes.push(scrolling(table, 'Batch: predicted and measured'));
  return nodes;
}

/** The formulas, on demand. */
function formulas(): HTMLElement {
  const details = el('details', 'theory-formulas');
  details.id = 'theory-formulas';
  details.append(el('summary', '', 'The formulas'));
  const items: [string, string][] = [
    ['Arrival rate', 'λ = (n − 1) / (last submission − first submission), n tasks'],
    ['Service time and utilisation', 'S = mean(end − start); ρ = λS / c for c workers; a = λS is the offered load (in Erlangs)'],
    ["Little's law", 'L = (1/T) ∫₀ᵀ N(t) dt, N(t) = tasks submitted and not yet ended at t; W = mean(end − submission); L = λW with λ = tasks / T, exactly when the run starts and ends empty'],
    ['The queue alone', 'Lq and Wq the same with "not yet started": Wq = mean(start − submission); Lq = λWq'],
    ['Erlang C (the chance to wait, M/M/c)', 'C(c, a) = [aᶜ/c! · c/(c − a)] / [Σₖ₌₀ᶜ⁻¹ aᵏ/k! + aᶜ/c! · c/(c − a)], for ρ < 1'],
    ['M/M/c mean wait', 'Wq = C(c, a) / (c/S − λ)'],
    ['Allen–Cunneen (M/G/c)', 'Wq ≈ C(c, a) / (c/S − λ) · (Ca² + Cs²) / 2, with Ca² = 1 for Poisson arrivals and Cs² = Var(service) / S²'],
    ['Sleep tasks', 'uniform on [a, b] ms: mean (a + b)/2, variance (b − a)²/12 (a deadline cuts them at it); failing and panicking tasks sleep first, so they take as long'],
    ['A batch', 'all n at t = 0: the last ends after about ceil(n/c) · S; the queue drains and never reaches a steady state'],
  ];
  const dl = el('dl', 'theory-formula-list');
  for (const [term, formula] of items) dl.append(el('div', '', el('dt', '', term), el('dd', '', el('code', '', formula))));
  details.append(dl);
  return details;
}

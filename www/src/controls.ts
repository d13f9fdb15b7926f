// The settings form: builds its controls from the settings table (config.ts),
// checks every value as it is typed (a bad value says what is allowed and
// disables Run), and shows the runtime's own ConfigError next to the control
// it names. During a run the controls are locked, except those the run can
// follow (the Workers of a pool run), and a control can carry a short note
// (why it is live, or why it is not).
import { crossCheck, parseNumber } from './checks';
import {
  DEFAULTS, KINDS, NUMBER_ROW, ROW, STRATEGIES, isKind, isStrategy, type Key, type Settings,
} from './config';
import { count } from './format';

/** Controls shown first; the rest go under "More settings". */
const FIRST: Key[] = ['workers', 'tasks', 'failurePct'];
const MORE_GROUPS: { title: string; keys: Key[] }[] = [
  { title: 'Queue and arrivals', keys: ['queueCapacity', 'arrivalRate'] },
  { title: 'Task duration', keys: ['sleepMin', 'sleepMax', 'cpuMin', 'cpuMax'] },
  { title: 'Deadlines, resources, panics and traps', keys: ['timeoutMs', 'connections', 'panicPct', 'trapPct'] },
  { title: 'Reproducibility and limits', keys: ['seed', 'spawnCap'] },
];

export interface ControlsEvents {
  /** Every change: the settings when all are valid, else null. */
  onChange(settings: Settings | null): void;
  /** Enter in a field: run these settings (if they can run). */
  onSubmit(): void;
}

/** What the controls hold, as typed (valid or not), to be put back as it was. */
export interface ControlValues {
  strategy: string;
  kind: string;
  numbers: ReadonlyMap<Key, string>;
}

/** A setting as its control shows it: its label and its value in words ("Connections", "unlimited"). */
export interface ShownSetting { key: Key; label: string; text: string }

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  node.append(...children);
  return node;
};

function display(key: Key, value: number | null): string {
  if (value === null) return '';
  // Large integers read better with separators; the parser accepts them.
  return NUMBER_ROW[key].integer && Math.abs(value) >= 1000 && key !== 'seed' ? count(value) : String(value);
}

export class Controls {
  private inputs = new Map<Key, HTMLInputElement>();
  private errors = new Map<Key, HTMLElement>();
  private notes = new Map<Key, HTMLElement>();
  private runtimeErrors = new Map<Key, string>();
  private strategyInputs: HTMLInputElement[] = [];
  private kindSelect!: HTMLSelectElement;
  private more!: HTMLDetailsElement;
  readonly fieldset: HTMLFieldSetElement;
  readonly problem: HTMLElement;

  constructor(private form: HTMLFormElement, private events: ControlsEvents) {
    this.fieldset = el('fieldset', { className: 'settings' });
    this.fieldset.append(el('legend', { className: 'visually-hidden' }, 'Run settings'));
    this.fieldset.append(this.buildStrategy());
    for (const key of FIRST) this.fieldset.append(this.buildNumber(key));
    this.more = el('details', { className: 'more', id: 'more-settings' });
    this.more.append(el('summary', {}, 'More settings', el('span', { className: 'summary-hint' }, ': queue, arrivals, task kind and duration, timeout, connections, panics, traps, seed')));
    this.more.append(this.buildKind());
    for (const group of MORE_GROUPS) {
      const box = el('fieldset', { className: 'group' }, el('legend', {}, group.title));
      for (const key of group.keys) box.append(this.buildNumber(key));
      this.more.append(box);
    }
    this.fieldset.append(this.more);
    this.problem = el('p', { id: 'form-problem', className: 'form-problem' });
    this.problem.setAttribute('aria-live', 'polite');
    form.prepend(this.fieldset);
    form.addEventListener('input', () => this.changed());
    form.addEventListener('change', () => this.changed());
    form.addEventListener('submit', (event) => event.preventDefault());
    // A form with several fields and no submit button has no implicit
    // submission: Enter in a field would do nothing. It runs, as in any form.
    form.addEventListener('keydown', (event) => {
      const target = event.target;
      if (event.key !== 'Enter' || event.isComposing || !(target instanceof HTMLInputElement) || !this.fieldset.contains(target)) return;
      event.preventDefault();
      this.events.onSubmit();
    });
  }

  private buildStrategy(): HTMLElement {
    const box = el('fieldset', { className: 'strategy' }, el('legend', {}, ROW.strategy.label));
    for (const s of STRATEGIES) {
      const input = el('input', { type: 'radio', name: 'strategy', value: s.value, id: `strategy-${s.value}` });
      input.setAttribute('aria-describedby', `strategy-${s.value}-help`);
      this.strategyInputs.push(input);
      box.append(el('div', { className: 'radio' },
        input,
        el('label', { htmlFor: input.id }, s.label),
        el('span', { className: 'help', id: `strategy-${s.value}-help` }, s.help)));
    }
    return box;
  }

  private buildKind(): HTMLElement {
    this.kindSelect = el('select', { id: 'f-kind', name: 'kind' });
    for (const k of KINDS) this.kindSelect.append(el('option', { value: k.value }, k.label));
    this.kindSelect.setAttribute('aria-describedby', 'f-kind-help');
    return el('div', { className: 'field' }, el('label', { htmlFor: 'f-kind' }, ROW.kind.label), this.kindSelect,
      el('p', { className: 'help', id: 'f-kind-help' }, ROW.kind.help));
  }

  private buildNumber(key: Key): HTMLElement {
    const spec = NUMBER_ROW[key];
    const id = `f-${key}`;
    const input = el('input', {
      id, name: key, type: 'text', autocomplete: 'off', spellcheck: false,
      inputMode: spec.integer ? 'numeric' : 'decimal',
    });
    if (spec.optional) input.placeholder = spec.optional;
    const help = el('p', { className: 'help', id: `${id}-help` }, spec.help);
    const error = el('p', { className: 'field-error', id: `${id}-error` });
    error.hidden = true;
    const note = el('p', { className: 'field-note', id: `${id}-note` });
    note.hidden = true;
    note.setAttribute('aria-live', 'polite');
    input.setAttribute('aria-describedby', `${id}-help ${id}-note ${id}-error`);
    this.inputs.set(key, input);
    this.errors.set(key, error);
    this.notes.set(key, note);
    const unit = spec.unit ? el('span', { className: 'unit', ariaHidden: 'true' }, spec.unit) : '';
    const label = el('label', { htmlFor: id }, spec.label, spec.unit ? el('span', { className: 'visually-hidden' }, ` (${spec.unit})`) : '');
    return el('div', { className: 'field', id: `${id}-field` },
      label, el('div', { className: 'input-unit' }, input, unit), spec.help ? help : '', note, error);
  }

  /** Show these settings (clears runtime errors). */
  set(settings: Settings): void {
    for (const input of this.strategyInputs) input.checked = input.value === settings.strategy;
    this.kindSelect.value = settings.kind;
    for (const [key, input] of this.inputs) input.value = display(key, settings[key] as number | null);
    this.runtimeErrors.clear();
    // Open "More settings" when any of them differs from the default.
    if (MORE_GROUPS.some((g) => g.keys.some((k) => settings[k] !== DEFAULTS[k])) || settings.kind !== DEFAULTS.kind) {
      this.more.open = true;
    }
    this.validate();
  }

  /** The settings if every control is valid, else null (messages shown). */
  read(): Settings | null {
    return this.validate();
  }

  /** What every control holds now, as typed. */
  snapshot(): ControlValues {
    return {
      strategy: this.strategyInputs.find((i) => i.checked)?.value ?? '',
      kind: this.kindSelect.value,
      numbers: new Map([...this.inputs].map(([key, input]) => [key, input.value])),
    };
  }

  /** Puts back what `snapshot()` took (clears runtime errors, as `set` does). */
  restore(values: ControlValues): void {
    for (const input of this.strategyInputs) input.checked = input.value === values.strategy;
    this.kindSelect.value = values.kind;
    for (const [key, input] of this.inputs) input.value = values.numbers.get(key) ?? input.value;
    this.runtimeErrors.clear();
    this.validate();
  }

  /** Every setting as its control shows it, in the form's order. */
  shown(values: ControlValues = this.snapshot()): ShownSetting[] {
    const strategy = STRATEGIES.find((s) => s.value === values.strategy)?.label ?? values.strategy;
    const kind = KINDS.find((k) => k.value === values.kind)?.label ?? values.kind;
    const numbers = [...values.numbers].map(([key, raw]) => {
      const spec = NUMBER_ROW[key];
      // Units a label does not already say (Workers are threads, Tasks tasks).
      const unit = spec.unit === 'ms' || spec.unit === '%' || spec.unit === 'tasks/s' ? ` ${spec.unit}` : '';
      const text = raw.trim() === '' ? (spec.optional ?? '(empty)') : `${raw.trim()}${unit}`;
      return { key, label: spec.label, text };
    });
    return [{ key: 'strategy', label: ROW.strategy.label, text: strategy }, { key: 'kind', label: ROW.kind.label, text: kind }, ...numbers];
  }

  private changed(): void {
    this.runtimeErrors.clear();
    this.events.onChange(this.validate());
  }

  private validate(): Settings | null {
    const problems = new Map<Key, string>();
    const values: Partial<Record<Key, number | null>> = {};
    for (const [key, input] of this.inputs) {
      const parsed = parseNumber(key, input.value);
      if ('error' in parsed) problems.set(key, parsed.error);
      else values[key] = parsed.value;
    }
    const strategy = this.strategyInputs.find((i) => i.checked)?.value ?? '';
    const kind = this.kindSelect.value;
    let settings: Settings | null = null;
    if (problems.size === 0 && isStrategy(strategy) && isKind(kind)) {
      settings = { ...(values as unknown as Settings), strategy, kind };
      for (const { key, error } of crossCheck(settings)) problems.set(key, error);
    }
    for (const [key, message] of this.runtimeErrors) if (!problems.has(key)) problems.set(key, message);
    for (const [key, error] of this.errors) {
      const message = problems.get(key);
      const input = this.inputs.get(key)!;
      error.hidden = !message;
      error.textContent = message ?? '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    if (problems.size > 0) {
      const keys = [...problems.keys()];
      if (keys.some((k) => !FIRST.includes(k))) this.more.open = true;
      const names = keys.map((k) => NUMBER_ROW[k]?.label ?? k).join(', ');
      this.problem.textContent = `Run is disabled until ${problems.size === 1 ? 'this setting is' : 'these settings are'} fixed: ${names}.`;
      this.problem.hidden = false;
      return null;
    }
    this.problem.textContent = '';
    this.problem.hidden = true;
    return settings;
  }

  /** The runtime refused a value: show its message at that control. */
  showRuntimeError(key: Key, message: string): void {
    this.runtimeErrors.set(key, `The runtime refused this value: ${message}`);
    this.validate();
    this.inputs.get(key)?.focus();
  }

  /**
   * While something runs, nothing that would change it can be edited, except
   * the `live` controls, whose changes the run follows.
   */
  setLocked(locked: boolean, live: readonly Key[] = []): void {
    for (const control of this.fieldset.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      control.disabled = locked && !live.includes(control.name as Key);
    }
  }

  /** A short note under a number control (why it is live, or why not); null removes it. */
  note(key: Key, text: string | null): void {
    const note = this.notes.get(key);
    if (!note || note.textContent === (text ?? '')) return;
    note.textContent = text ?? '';
    note.hidden = text === null;
  }
}

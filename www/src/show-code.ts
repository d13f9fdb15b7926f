// "Show the code for these settings": the JavaScript that runs the current
// settings through the package's API, and the Rust that runs them through
// the crate natively, both built from the very RunConfig that Run sends
// (toRunConfig), so that what is shown is what the page runs. Each has a
// Copy button (the clipboard, or a selection to copy by hand where the
// clipboard is refused).
import type { RunConfig } from 'wasm-worker-pool';
import { toRunConfig, type Settings } from './config';

/** A value as a JavaScript literal: what JSON would say, with single quotes. */
function jsLiteral(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  return String(value);
}

/** The JavaScript: createPlayground, then run() with the settings' RunConfig. */
export function javascriptFor(settings: Settings): string {
  const config = toRunConfig(settings);
  const fields = Object.entries(config).map(([field, value]) => `  ${field}: ${jsLiteral(value)},`);
  return [
    "import { createPlayground } from 'wasm-worker-pool';",
    '',
    '// Needs a cross-origin isolated page (COOP and COEP headers): threads share memory.',
    'const playground = await createPlayground();',
    'const summary = await playground.run({',
    ...fields,
    '});',
    'console.log(`${summary.succeeded} succeeded, ${summary.failed} failed in ${summary.elapsedMs} ms`);',
    '',
  ].join('\n');
}

/** How each RunConfig field is written in Rust: its type in crate/src/session/config.rs. */
type RustType = 'strategy' | 'kind' | 'integer' | 'float' | 'float pair' | 'integer pair' | 'optional integer' | 'optional float';
const RUST_TYPE: Record<keyof RunConfig, RustType> = {
  strategy: 'strategy', workers: 'integer', tasks: 'integer', failureRate: 'float', queueCapacity: 'integer',
  kind: 'kind', sleepMs: 'float pair', cpuIterations: 'integer pair', timeoutMs: 'optional float',
  connections: 'optional integer', panicRate: 'float', trapRate: 'float', seed: 'integer', spawnCap: 'optional integer',
  arrivalRate: 'optional float',
};

const STRATEGY_VARIANT = { pool: 'Pool', 'spawn-per-task': 'SpawnPerTask', rayon: 'Rayon' } as const;
const KIND_VARIANT = { sleep: 'Sleep', cpu: 'Cpu', noop: 'Noop' } as const;

/** 2000000 → "2_000_000", readable as the page writes it (2,000,000); 1000 stays 1000. */
const rustInteger = (n: number) => (n < 10_000 ? String(n) : String(n).replace(/\B(?=(\d{3})+$)/g, '_'));
/** An f64 literal needs a point or an exponent: 5 → "5.0". */
const rustFloat = (n: number) => (/[.e]/.test(String(n)) ? String(n) : `${n}.0`);

function rustValue(type: RustType, value: unknown): string {
  switch (type) {
    case 'strategy': return `StrategyKind::${STRATEGY_VARIANT[value as keyof typeof STRATEGY_VARIANT]}`;
    case 'kind': return `TaskKind::${KIND_VARIANT[value as keyof typeof KIND_VARIANT]}`;
    case 'integer': return rustInteger(value as number);
    case 'float': return rustFloat(value as number);
    case 'float pair': return `(${(value as number[]).map(rustFloat).join(', ')})`;
    case 'integer pair': return `(${(value as number[]).map(rustInteger).join(', ')})`;
    case 'optional integer': return value === null ? 'None' : `Some(${rustInteger(value as number)})`;
    case 'optional float': return value === null ? 'None' : `Some(${rustFloat(value as number)})`;
  }
}

/** failureRate → failure_rate, as serde's rename_all = "camelCase" maps them. */
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The Rust: the same RunConfig run by a Session on std threads, polled to its end. */
export function rustFor(settings: Settings): string {
  const config = toRunConfig(settings);
  const fields = (Object.entries(config) as [keyof RunConfig, unknown][])
    .map(([field, value]) => `        ${snake(field)}: ${rustValue(RUST_TYPE[field], value)},`);
  return [
    '// Cargo.toml: wasm-worker-pool = { path = "crate" } (this repository), run natively on std threads.',
    'use std::sync::Arc;',
    'use std::time::Duration;',
    '',
    'use wasm_worker_pool::{RunConfig, Session, StrategyKind, SystemClock, TaskKind, ThreadSpawner};',
    '',
    'fn main() {',
    '    let config = RunConfig {',
    ...fields,
    '    };',
    '    let mut session = Session::start(config, Arc::new(ThreadSpawner::new()), Arc::new(SystemClock::new()))',
    '        .expect("settings the page accepts are valid");',
    '    // advance() never blocks: poll it until the run has finished, as the page does.',
    '    let mut events = Vec::new();',
    '    while !session.advance(&mut events) {',
    '        std::thread::sleep(Duration::from_millis(1));',
    '    }',
    '    let summary = session.summary();',
    '    println!("{} succeeded, {} failed in {:.1} ms", summary.succeeded, summary.failed, summary.elapsed_ms);',
    '}',
    '',
  ].join('\n');
}

export interface ShowCodeParts {
  javascript: HTMLElement;
  rust: HTMLElement;
  copyJavascript: HTMLButtonElement;
  copyRust: HTMLButtonElement;
  /** Shown instead of the code while a setting is invalid. */
  invalid: HTMLElement;
  /** Both code blocks, hidden while a setting is invalid. */
  blocks: HTMLElement;
  status: HTMLElement;
}

/** The disclosure's content, kept to the current settings. */
export class ShowCode {
  constructor(private parts: ShowCodeParts) {
    const copy = (button: HTMLButtonElement, code: HTMLElement, language: string) =>
      button.addEventListener('click', () => void this.copy(code, language));
    copy(parts.copyJavascript, parts.javascript, 'JavaScript');
    copy(parts.copyRust, parts.rust, 'Rust');
  }

  /** The settings changed (null: a control holds an invalid value, there is nothing to show). */
  update(settings: Settings | null): void {
    const { javascript, rust, invalid, blocks, status } = this.parts;
    status.textContent = '';
    invalid.hidden = settings !== null;
    blocks.hidden = settings === null;
    if (!settings) return;
    javascript.textContent = javascriptFor(settings);
    rust.textContent = rustFor(settings);
  }

  private async copy(code: HTMLElement, language: string): Promise<void> {
    const text = code.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.parts.status.textContent = `The ${language} was copied.`;
    } catch {
      // No clipboard here (permission refused, or not a secure context): select it for Ctrl+C.
      document.getSelection()?.selectAllChildren(code);
      this.parts.status.textContent = `The ${language} is selected: press Ctrl+C (⌘C on a Mac) to copy it.`;
    }
  }
}

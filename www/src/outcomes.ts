// A run's outcomes as one phrase that adds up to its tasks: "293 succeeded,
// 28 failed, 679 timed out". The status line, Compare's small print and its
// exports all say it this way, so no outcome that occurred is ever left out.
import type { OutcomeKind, RunSummary } from 'wasm-worker-pool';
import { count } from './format';

/** In the wire's order (lib/wire.ts OUTCOMES); succeeded and failed are always said, the rest when they occurred. */
const WORDS: readonly { kind: OutcomeKind; word: string; always?: boolean }[] = [
  { kind: 'succeeded', word: 'succeeded', always: true },
  { kind: 'failed', word: 'failed', always: true },
  { kind: 'panicked', word: 'panicked' },
  { kind: 'timedOut', word: 'timed out' },
  { kind: 'cancelled', word: 'cancelled' },
];

export type OutcomeCounts = Pick<RunSummary, OutcomeKind | 'neverSubmitted'>;

export const outcomeTotal = (s: OutcomeCounts) => WORDS.reduce((n, { kind }) => n + s[kind], 0);

/** "903 succeeded, 97 failed, 12 cancelled (10 of them never submitted)". */
export function outcomePhrase(s: OutcomeCounts): string {
  return WORDS.filter(({ kind, always }) => always || s[kind] > 0).map(({ kind, word }) => {
    const part = `${count(s[kind])} ${word}`;
    return kind === 'cancelled' && s.neverSubmitted > 0 ? `${part} (${count(s.neverSubmitted)} of them never submitted)` : part;
  }).join(', ');
}

/** The same outcomes in every summary. */
export const sameOutcomes = (all: readonly OutcomeCounts[]) =>
  all.every((s) => WORDS.every(({ kind }) => s[kind] === all[0][kind]));

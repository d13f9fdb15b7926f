// Number formatting: thousands separators and units, one place for the whole page.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** 12345 → "12,345". */
export function count(value: number): string {
  return Number.isFinite(value) ? integer.format(value) : '–';
}

/** A duration given in ms, with a unit that suits its size: "850 µs", "12.3 ms", "4.21 s". */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs < 1) return `${integer.format(value * 1000)} µs`;
  if (abs < 100) return `${oneDecimal.format(value)} ms`;
  if (abs < 10_000) return `${integer.format(value)} ms`;
  return `${twoDecimals.format(value / 1000)} s`;
}

/** A duration given in µs (the runtime's percentiles). */
export const us = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : ms(value / 1000);

/** Bytes as MB (1 MB = 2^20 bytes) or KB. */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) < 1024 * 1024) return `${oneDecimal.format(value / 1024)} KB`;
  return `${oneDecimal.format(value / (1024 * 1024))} MB`;
}

/** Tasks per second. */
export const rate = (value: number) => `${count(value)} tasks/s`;

/** 0.1 → "10 %". */
export const percent = (share: number) => `${oneDecimal.format(share * 100)} %`;

/** A ratio for sentences: 3.04 → "3×", 1.26 → "1.3×". */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  return `${ratio >= 10 ? integer.format(ratio) : oneDecimal.format(ratio)}×`;
}

/** 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${count(n)}${suffix}`;
}

/** A count and its noun, singular for one: (1, 'worker') → "1 worker", (8, 'worker') → "8 workers". */
export function counted(value: number, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}

/**
 * A duration given in ms, rounded as an estimate reads: "under a second",
 * "about 6 s", "about 2 min 40 s", "about 1 h 5 min". The coarser, the longer.
 */
export function roughly(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const s = value / 1000;
  if (s < 1) return 'under a second';
  const step = s < 10 ? 1 : s < 60 ? 5 : s < 600 ? 10 : 60;
  const rounded = Math.max(1, Math.round(s / step) * step);
  const h = Math.floor(rounded / 3600);
  const min = Math.floor((rounded % 3600) / 60);
  const sec = rounded % 60;
  if (h > 0) return `about ${count(h)} h${min ? ` ${min} min` : ''}`;
  if (min > 0) return `about ${min} min${sec ? ` ${sec} s` : ''}`;
  return `about ${sec} s`;
}

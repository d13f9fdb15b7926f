// Checking what a control, a link or an attribute gives: one number's text
// against its row of the settings table, and the checks across settings.
// The same ranges as the runtime's own checks, so that the page can say at
// once what is allowed; the runtime still has the last word (ConfigError).
import { NUMBER_ROW, type Key, type NumberRow, type Settings } from './config';
import { count } from './format';

function describe(row: NumberRow): string {
  const kind = row.integer ? 'a whole number' : 'a number';
  const low = row.exclusiveMin ? `greater than ${count(row.min)}` : `from ${count(row.min)}`;
  const range = row.exclusiveMin ? `${low} and at most ${count(row.max)}` : `${low} to ${count(row.max)}`;
  const unit = row.unit ? ` ${row.unit}` : '';
  return `${row.label} must be ${kind} ${range}${unit}${row.optional ? `, or empty for ${row.optional}` : ''}.`;
}

/** Longer than this, a number's text cannot be valid (so no work grows with it). */
const MAX_NUMBER_TEXT = 40;
/** Plain decimal notation: no hex, no exponents, no "Infinity". */
const PLAIN = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
/**
 * Thousands grouped by one separator kind ("1,000,000", "1 000", "1_000"), as
 * the page shows them. The first group never starts with 0: "0,125" is no
 * thousand of anything.
 */
const GROUPED = /^-?[1-9]\d{0,2}(?:(,)\d{3}(?:,\d{3})*|( )\d{3}(?: \d{3})*|(_)\d{3}(?:_\d{3})*)(?:\.\d*)?$/;
/** A comma where a decimal point belongs ("2,5", "0,125"). */
const DECIMAL_COMMA = /^-?\d*,\d+$/;

/**
 * Why a comma is refused: in a whole-number field "2,5" cannot be a thousands
 * separator; in a field that takes decimals any comma may be a decimal comma
 * ("1,500" ms: 1.5 or 1500?), so it is never guessed. Null: the comma is read
 * as a thousands separator (whole numbers grouped as the page shows them).
 */
function commaProblem(row: NumberRow, text: string): string | null {
  if (!text.includes(',')) return null;
  if (row.integer && GROUPED.test(text)) return null;
  const asThousands = GROUPED.test(text) ? text.replace(/,/g, '') : null;
  if (DECIMAL_COMMA.test(text)) {
    const thousands = asThousands === null ? '' : `; for ${asThousands}, write it without a separator`;
    return `${row.label}: write decimals with a point (${text.replace(',', '.')}), not a comma (${text})${thousands}.`;
  }
  if (asThousands !== null) return `${row.label}: write ${asThousands} without commas; in this field a comma could be a decimal comma.`;
  return null;
}

/** Parses one number control's text; returns the value or what is allowed. */
export function parseNumber(key: Key, text: string): { value: number | null } | { error: string } {
  const row = NUMBER_ROW[key];
  const trimmed = text.trim();
  if (trimmed === '') return row.optional ? { value: null } : { error: describe(row) };
  if (trimmed.length > MAX_NUMBER_TEXT) return { error: describe(row) };
  const comma = commaProblem(row, trimmed);
  if (comma) return { error: comma };
  let digits: string;
  if (PLAIN.test(trimmed)) digits = trimmed;
  else if (GROUPED.test(trimmed)) digits = trimmed.replace(/[, _]/g, '');
  else return { error: describe(row) };
  const value = Number(digits);
  const below = row.exclusiveMin ? value <= row.min : value < row.min;
  if (!Number.isFinite(value) || below || value > row.max || (row.integer && !Number.isInteger(value))) {
    return { error: describe(row) };
  }
  return { value };
}

/** Checks across fields; the key is where the message is shown. */
export function crossCheck(s: Settings): { key: Key; error: string }[] {
  const problems: { key: Key; error: string }[] = [];
  if (s.sleepMax < s.sleepMin) {
    problems.push({ key: 'sleepMax', error: `Longest task must be at least the shortest (${count(s.sleepMin)} ms).` });
  }
  if (s.cpuMax < s.cpuMin) {
    problems.push({ key: 'cpuMax', error: `Most iterations must be at least the fewest (${count(s.cpuMin)}).` });
  }
  if (s.arrivalRate !== null && s.strategy !== 'pool') {
    problems.push({ key: 'arrivalRate', error: 'Arrival rate works with the worker pool only: choose Worker pool, or empty it (all at once).' });
  }
  return problems;
}

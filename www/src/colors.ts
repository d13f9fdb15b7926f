// One colour per outcome (Okabe–Ito, safe for the common kinds of colour
// blindness), used by the charts, the timeline, the summary and the legends.
// Where colour carries meaning, a label or a pattern carries it as well.
import type { OutcomeKind } from 'wasm-worker-pool';

export const OUTCOME_COLOR: Record<OutcomeKind, string> = {
  succeeded: '#009E73', // bluish green
  failed: '#D55E00', // vermillion
  panicked: '#CC79A7', // reddish purple
  timedOut: '#E69F00', // orange
  cancelled: '#7f7f7f', // grey
};

export const OUTCOME_LABEL: Record<OutcomeKind, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  panicked: 'Panicked',
  timedOut: 'Timed out',
  cancelled: 'Cancelled',
};

/** Pattern drawn over a bar, so that outcomes differ by more than colour. */
export const OUTCOME_PATTERN: Record<OutcomeKind, 'solid' | 'stripes' | 'dots' | 'cross' | 'hollow'> = {
  succeeded: 'solid',
  failed: 'stripes',
  panicked: 'cross',
  timedOut: 'dots',
  cancelled: 'hollow',
};

export const IN_FLIGHT_COLOR = '#0072B2'; // blue
export const WAITING_COLOR = '#56B4E9'; // sky blue, always hatched
export const QUEUE_COLOR = '#000000';
export const STARTUP_COLOR = '#9a9a9a';
/** A resize of the running pool: a dashed line, always labelled with the new count. */
export const RESIZE_COLOR = '#5c3c92'; // dark purple

/** A small repeating canvas pattern: stripes, dots or a cross-hatch over `color`. */
export function makePattern(
  ctx: CanvasRenderingContext2D,
  kind: 'stripes' | 'dots' | 'cross' | 'hatch',
  color: string,
  ink: string,
  scale: number,
): CanvasPattern | string {
  const size = Math.max(4, Math.round(6 * scale));
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d');
  if (!t) return color;
  t.fillStyle = color;
  t.fillRect(0, 0, size, size);
  t.strokeStyle = ink;
  t.fillStyle = ink;
  t.lineWidth = Math.max(1, scale);
  if (kind === 'stripes' || kind === 'hatch' || kind === 'cross') {
    t.beginPath();
    t.moveTo(0, size);
    t.lineTo(size, 0);
    t.moveTo(-size / 2, size / 2);
    t.lineTo(size / 2, -size / 2);
    t.moveTo(size / 2, size + size / 2);
    t.lineTo(size + size / 2, size / 2);
    if (kind === 'cross') {
      t.moveTo(0, 0);
      t.lineTo(size, size);
    }
    t.stroke();
  } else {
    t.beginPath();
    t.arc(size / 2, size / 2, Math.max(1, scale), 0, Math.PI * 2);
    t.fill();
  }
  return ctx.createPattern(tile, 'repeat') ?? color;
}

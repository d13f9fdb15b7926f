// The stretch before a run's first task started, marked where time is drawn
// (the charts and the timeline): a grey band labelled "start-up", so that
// thread start-up reads as what it is and not as work. A run on warm threads
// starts at once: it has no band, so start-up shows on a cold run only.
import { STARTUP_COLOR } from './colors';

/** A first task later than this after run() leaves a stretch worth marking. */
export const NOTABLE_STARTUP_MS = 20;

export const STARTUP_LABEL = 'start-up';

/** The start-up of a run whose first task started `firstStartMs` after it began; null if too short to mark. */
export function notableStartup(firstStartMs: number | null | undefined): number | null {
  return firstStartMs !== null && firstStartMs !== undefined && Number.isFinite(firstStartMs) && firstStartMs >= NOTABLE_STARTUP_MS
    ? firstStartMs : null;
}

/** Fills the band from x0 to x1 over [top, top + height] and labels it if it fits. `px`: device pixels per CSS pixel. */
export function drawStartupBand(ctx: CanvasRenderingContext2D, x0: number, x1: number, top: number, height: number, px = 1): void {
  if (!(x1 > x0)) return;
  ctx.save();
  ctx.fillStyle = STARTUP_COLOR;
  ctx.globalAlpha = 0.22;
  ctx.fillRect(x0, top, x1 - x0, height);
  ctx.globalAlpha = 1;
  ctx.font = `600 ${11 * px}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  const width = ctx.measureText(STARTUP_LABEL).width;
  if (width + 6 * px <= x1 - x0) {
    ctx.fillStyle = '#444';
    ctx.fillText(STARTUP_LABEL, x0 + 3 * px, top + height - 3 * px);
  }
  ctx.restore();
}

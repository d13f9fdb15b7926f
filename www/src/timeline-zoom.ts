// The timeline's view window: which stretch of the run's time axis the
// canvas shows (TimeWindow), and the controls that move it (ZoomControls):
// the − / + / Reset buttons, a range control to pan, Ctrl + wheel (and a
// trackpad's pinch, which browsers send as one) to zoom around the pointer,
// a sideways wheel or a drag to pan. Not zoomed, the window is the whole
// axis and follows it as the run grows; zoomed, it stays where the user put
// it while the run goes on drawing into it.
import { ms, times } from './format';

/** The narrowest window: 10 µs, so that even a no-op task (about 1 µs) can be told apart from its neighbours. */
const MIN_SPAN_MS = 0.01;
/** Each − or + button press halves or doubles the window. */
const ZOOM_STEP = 2;
/** A pointer that moved this far (CSS px) dragged: it pans, and is no tap. */
const DRAG_PX = 4;
/** The pan control's steps across the stretch it can move over. */
const PAN_STEPS = 200;

export class TimeWindow {
  private totalMs = 1000;
  private fromMs = 0;
  private spanMs = 1000;

  /** Whether the window shows less than the whole axis. */
  get zoomed(): boolean {
    return this.spanMs < this.totalMs;
  }

  get startMs(): number { return this.fromMs; }
  get endMs(): number { return this.fromMs + this.spanMs; }
  get span(): number { return this.spanMs; }
  get total(): number { return this.totalMs; }
  get canZoomIn(): boolean { return this.spanMs > MIN_SPAN_MS * 1.001; }

  /** The axis is now `totalMs` long: a window that was not zoomed shows all of it, a zoomed one stays put (within it). */
  setTotal(totalMs: number): void {
    const wasZoomed = this.zoomed;
    this.totalMs = totalMs;
    if (!wasZoomed) this.reset();
    else this.clamp();
  }

  /** Narrower by `factor` (> 1 zooms in), keeping `atMs` where it is on screen. */
  zoom(factor: number, atMs = this.fromMs + this.spanMs / 2): void {
    const span = Math.min(this.totalMs, Math.max(Math.min(MIN_SPAN_MS, this.totalMs), this.spanMs / factor));
    const at = Math.min(this.endMs, Math.max(this.fromMs, atMs));
    this.fromMs = at - ((at - this.fromMs) / this.spanMs) * span;
    this.spanMs = span;
    this.clamp();
  }

  panTo(startMs: number): void {
    this.fromMs = startMs;
    this.clamp();
  }

  panBy(deltaMs: number): void {
    this.panTo(this.fromMs + deltaMs);
  }

  /** Pans the least that brings [fromMs, toMs] into view (its start, if it is wider than the window). */
  reveal(fromMs: number, toMs: number): void {
    if (!this.zoomed) return;
    const margin = this.spanMs * 0.05;
    if (toMs - fromMs > this.spanMs - 2 * margin || fromMs < this.fromMs) this.panTo(fromMs - margin);
    else if (toMs > this.endMs) this.panTo(toMs - this.spanMs + margin);
  }

  reset(): void {
    this.fromMs = 0;
    this.spanMs = this.totalMs;
  }

  /** x (CSS px) of a time, on a plot `width` wide starting at `left`. */
  toX(timeMs: number, left: number, width: number): number {
    return left + ((timeMs - this.fromMs) / this.spanMs) * width;
  }

  /** The time at x (CSS px). */
  toMs(x: number, left: number, width: number): number {
    return this.fromMs + ((x - left) / width) * this.spanMs;
  }

  /** "0 ms to 1,204 ms", what the window shows in words. */
  describe(): string {
    return `${ms(this.fromMs)} to ${ms(this.endMs)}`;
  }

  private clamp(): void {
    this.spanMs = Math.min(this.spanMs, this.totalMs);
    this.fromMs = Math.min(Math.max(0, this.fromMs), this.totalMs - this.spanMs);
  }
}

export interface ZoomParts {
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  reset: HTMLButtonElement;
  /** Where the window is along the axis (enabled only when zoomed). */
  pan: HTMLInputElement;
}

export interface ZoomHost {
  /** Whether there is anything to zoom into: with no bar yet, the controls are disabled. */
  hasBars(): boolean;
  /** Where the plot is on the canvas (CSS px). */
  plot(): { left: number; width: number };
  /** The time to zoom around from a button or a key: the selected bar's, else the window's middle. */
  focusMs(): number | null;
  /** The window moved: redraw. */
  changed(): void;
}

export class ZoomControls {
  private drag: { x: number; startMs: number; id: number; moved: boolean } | null = null;
  /** A drag just ended: the click the browser sends after it is no tap on a bar. */
  private swallowClick = false;

  constructor(private view: TimeWindow, private parts: ZoomParts, private canvas: HTMLCanvasElement, private host: ZoomHost) {
    parts.zoomIn.addEventListener('click', () => this.zoom(ZOOM_STEP));
    parts.zoomOut.addEventListener('click', () => this.zoom(1 / ZOOM_STEP));
    parts.reset.addEventListener('click', () => this.reset());
    parts.pan.max = String(PAN_STEPS);
    parts.pan.addEventListener('input', () => {
      this.view.panTo((Number(parts.pan.value) / PAN_STEPS) * (this.view.total - this.view.span));
      this.host.changed();
    });
    canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    canvas.addEventListener('keydown', (event) => this.onKey(event));
    canvas.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    canvas.addEventListener('pointermove', (event) => this.onPointerMove(event));
    canvas.addEventListener('pointerup', (event) => this.onPointerUp(event));
    canvas.addEventListener('pointercancel', () => { this.drag = null; });
    // Capture, so that it runs before the timeline's own click (a tap on a bar).
    canvas.addEventListener('click', (event) => {
      if (!this.swallowClick) return;
      this.swallowClick = false;
      event.stopImmediatePropagation();
    }, true);
    this.refresh();
  }

  /** A drag is under way: hovering shows nothing new meanwhile. */
  get dragging(): boolean {
    return this.drag?.moved ?? false;
  }

  /** The buttons, the pan control and the canvas's cursor, as the window now is. */
  refresh(): void {
    const { zoomIn, zoomOut, reset, pan } = this.parts;
    const zoomed = this.view.zoomed;
    zoomIn.disabled = !this.view.canZoomIn || !this.host.hasBars();
    zoomOut.disabled = !zoomed;
    reset.disabled = !zoomed;
    pan.disabled = !zoomed;
    const pannable = this.view.total - this.view.span;
    pan.value = String(pannable > 0 ? Math.round((this.view.startMs / pannable) * PAN_STEPS) : 0);
    pan.setAttribute('aria-valuetext', `showing ${this.view.describe()}`);
    this.canvas.classList.toggle('zoomed', zoomed);
  }

  /** Zooms by `factor` around `atMs` (default: the selected bar, else the window's middle). */
  zoom(factor: number, atMs: number | null = this.host.focusMs()): void {
    this.view.zoom(factor, atMs ?? undefined);
    this.host.changed();
  }

  reset(): void {
    this.view.reset();
    this.host.changed();
  }

  private timeAt(clientX: number): number {
    const { left, width } = this.host.plot();
    return this.view.toMs(clientX - this.canvas.getBoundingClientRect().left, left, width);
  }

  private onWheel(event: WheelEvent): void {
    const { width } = this.host.plot();
    if ((event.ctrlKey || event.metaKey) && this.host.hasBars()) {
      // Ctrl + wheel, and a trackpad's pinch: zoom around the pointer.
      event.preventDefault();
      this.zoom(Math.exp(-event.deltaY * 0.002), this.timeAt(event.clientX));
      return;
    }
    const sideways = event.shiftKey ? event.deltaY : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
    if (!this.view.zoomed || sideways === 0) return; // an ordinary wheel scrolls the page
    event.preventDefault();
    this.view.panBy((sideways / width) * this.view.span);
    this.host.changed();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '+' || event.key === '=') {
      if (this.host.hasBars()) this.zoom(ZOOM_STEP);
    }
    else if (event.key === '-' || event.key === '_') this.zoom(1 / ZOOM_STEP);
    else if (event.key === '0') this.reset();
    else return;
    event.preventDefault();
  }

  private onPointerDown(event: PointerEvent): void {
    if (!event.isPrimary || event.button !== 0) return;
    this.swallowClick = false;
    this.drag = { x: event.clientX, startMs: this.view.startMs, id: event.pointerId, moved: false };
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    if (!drag.moved && Math.abs(dx) < DRAG_PX) return;
    if (!drag.moved) {
      drag.moved = true;
      this.canvas.setPointerCapture?.(drag.id);
    }
    if (!this.view.zoomed) return;
    this.view.panTo(drag.startMs - (dx / this.host.plot().width) * this.view.span);
    this.host.changed();
  }

  private onPointerUp(event: PointerEvent): void {
    if (!this.drag || event.pointerId !== this.drag.id) return;
    this.swallowClick = this.drag.moved;
    this.drag = null;
  }
}

/** The caption's sentence about the window, when zoomed: " Zoomed in 5.5×: showing 120 ms to 340 ms (Reset shows the whole run)." */
export function zoomSentence(view: TimeWindow): string {
  if (!view.zoomed) return '';
  return ` Zoomed in ${times(view.total / view.span)}: showing ${view.describe()} (Reset shows the whole run).`;
}

// <worker-pool-playground>: the whole playground in a shadow root, with its
// CSS (the page's and uPlot's) inside it. The initial settings come from the
// attributes (named in the settings table, config.ts; read as ATTRIBUTES in
// url-state.ts, documented in lib/element.d.ts), read when the element is
// connected; the address bar is left alone. Removing the element ends its
// runtime and every worker. Built into the package's dist/element.js, where
// 'wasm-worker-pool' is the package's own ./index.js.
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { mountPlayground, type MountedPlayground, type Settings } from './app';
import appCss from './style.css?inline';
import { ATTRIBUTES, decodeAttributes } from './url-state';

const HOST_CSS = ':host { display: block; } :host([hidden]) { display: none; }';

export class WorkerPoolPlayground extends HTMLElement {
  /** The attributes read for the initial settings. */
  static readonly settingAttributes: readonly string[] = Object.values(ATTRIBUTES);
  #mounted: MountedPlayground | null = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    if (this.#mounted) return;
    const root = this.shadowRoot!;
    const style = document.createElement('style');
    style.textContent = `${uplotCss}\n${appCss}\n${HOST_CSS}`;
    root.replaceChildren(style);
    const { settings, view, problems } = decodeAttributes(this);
    this.#mounted = mountPlayground(root, { initial: settings, view, problems, syncUrl: false });
  }

  disconnectedCallback(): void {
    this.#mounted?.dispose();
    this.#mounted = null;
    this.shadowRoot!.replaceChildren();
  }

  /** The current settings, or null while a control holds an invalid value (or the element is not connected). */
  get settings(): Settings | null {
    return this.#mounted?.settings ?? null;
  }

  /** What is running: 'run', 'compare', 'demonstrate', 'sweep', or null. */
  get busy(): MountedPlayground['busy'] {
    return this.#mounted?.busy ?? null;
  }

  /** Resolves true once the runtime started, false if it cannot (not isolated) or the element is not connected. */
  get ready(): Promise<boolean> {
    return this.#mounted?.ready ?? Promise.resolve(false);
  }
}

if (!customElements.get('worker-pool-playground')) customElements.define('worker-pool-playground', WorkerPoolPlayground);

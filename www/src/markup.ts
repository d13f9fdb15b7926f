// The playground's markup: what index.html's body held, so that the whole
// playground can mount into any container (the page's body, or the shadow
// root of <worker-pool-playground>). Static text only: the modules fill it.
// Embedded, the landmarks (header, main, footer) become plain boxes: the host
// page has its own.
import { SWEEP_MARKUP } from './sweep';
import { THEORY_MARKUP } from './theory';
import { TUTORIAL_TITLE, VIEW_SECTIONS } from './tutorial';

const quoted = (sections: readonly string[]) => {
  const q = sections.map((s) => `“${s}”`);
  return q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
};

/** The intro: which tutorial, and which of its sections each view brings to life. */
const tutorialMap = () => VIEW_SECTIONS
  .map(({ view, sections, how }) => `<li><strong>${view}</strong>: ${quoted(sections)}, ${how}.</li>`)
  .join('');

/**
 * A chart of the Run view: uPlot draws in its box, hidden from assistive
 * technology, since the words under it (chart-alt.ts) say what it shows; over
 * the box before the first run, what it will show.
 */
const chart = (id: string, name: string, extra = '') => `
        <figure class="chart">
          <figcaption>${name}${extra}</figcaption>
          <div class="chart-frame">
            <div id="chart-${id}" class="chart-box" aria-hidden="true"></div>
            <p id="chart-${id}-empty" class="chart-empty"></p>
          </div>
          <p id="chart-${id}-alt" class="chart-alt" hidden></p>
          <details id="chart-${id}-data" class="chart-data" hidden>
            <summary>${name}: the numbers as a table</summary>
            <div class="table-scroll" tabindex="0" role="group" aria-label="${name}: the numbers"><table id="chart-${id}-table"></table></div>
          </details>
        </figure>`;

/** "Show the code for these settings" (show-code.ts fills it). */
const codeBlock = (id: string, language: string, caption: string) => `
        <figure class="code-block">
          <figcaption>${caption}</figcaption>
          <pre id="code-${id}" tabindex="0" role="group" aria-label="${language} code"></pre>
          <button id="copy-${id}" type="button">Copy the ${language}</button>
        </figure>`;

export function markup(embedded: boolean): string {
  const html = `
<a class="skip-link" href="#panels">Skip to the results</a>
<header class="top">
  <div class="brand">
    <h1>Worker Pool Playground</h1>
    <p class="tagline">A Rust worker pool on real Web Workers sharing one WebAssembly memory, bringing to life the Go tutorial <cite>${TUTORIAL_TITLE}</cite>, section by section:</p>
    <ul class="tutorial-map" aria-label="Which section of the tutorial each view shows">${tutorialMap()}</ul>
  </div>
  <p id="isolation" class="isolation" role="status"><span class="dot" aria-hidden="true"></span>Checking cross-origin isolation…</p>
</header>

<div id="url-message" class="banner warning" role="alert" hidden></div>
<section id="not-isolated" class="banner error" hidden aria-labelledby="not-isolated-title">
  <h2 id="not-isolated-title">Nothing can run on this page as it is served</h2>
  <p id="not-isolated-message"></p>
  <div id="not-isolated-advice"></div>
</section>

<nav class="tabs" aria-label="Views">
  <div role="tablist" aria-label="Views" id="tablist">
    <button type="button" role="tab" id="tab-run" aria-controls="panel-run" aria-selected="true">Run</button>
    <button type="button" role="tab" id="tab-compare" aria-controls="panel-compare" aria-selected="false" tabindex="-1">Compare</button>
    <button type="button" role="tab" id="tab-lessons" aria-controls="panel-lessons" aria-selected="false" tabindex="-1">Lessons</button>
  </div>
</nav>

<main class="layout">
  <aside class="controls-column" aria-labelledby="settings-title">
    <h2 id="settings-title">Settings</h2>
    <div id="settings-changed" class="settings-changed" role="status" hidden></div>
    <form id="controls" novalidate>
      <p id="settings-note" class="settings-note" hidden></p>
      <div class="actions">
        <button id="run" type="button" class="primary" disabled aria-describedby="run-estimate">Run</button>
        <button id="cancel" type="button" disabled aria-keyshortcuts="Escape" title="Cancel the run (Esc)">Cancel</button>
        <p id="run-estimate" class="run-estimate" hidden></p>
      </div>
      <p id="run-status" class="run-status" role="status" aria-live="polite"></p>
    </form>
    <div class="share-export">
      <button id="share" type="button" class="link-button">Copy a link to these settings</button>
      <input id="share-url" class="share-url" type="text" readonly aria-label="Link to these settings" hidden />
      <div class="exports" role="group" aria-labelledby="export-label">
        <span id="export-label">Export the last run:</span>
        <button id="export-json" type="button" disabled>JSON</button>
        <button id="export-csv" type="button" disabled>CSV</button>
        <button id="export-trace" type="button" disabled title="Chrome / Perfetto trace (open in ui.perfetto.dev or chrome://tracing)">Trace</button>
      </div>
    </div>
  </aside>

  <div class="panels" id="panels" tabindex="-1">
    <section id="panel-run" class="panel" role="tabpanel" aria-labelledby="tab-run" tabindex="-1">
      <h2 class="visually-hidden">Run</h2>
      <div class="progress-row">
        <label for="progress" class="visually-hidden">Tasks finished</label>
        <progress id="progress" max="1" value="0"></progress>
        <span id="progress-text" class="progress-text">Not started. Press Run.</span>
        <button id="cancel-inline" type="button" hidden>Cancel run</button>
      </div>
      <dl id="counters" class="counters" aria-label="Live counters"></dl>
      <div id="replay" class="replay"></div>
      <div class="charts">${chart('progress', 'Progress over time')}${chart('queue', 'Queue depth over time', ' <span id="queue-high" class="muted"></span>')}
      </div>
      <p id="resize-log" class="resize-log" hidden></p>
      <figure class="timeline">
        <figcaption>
          <span>Per-worker timeline: a lane per worker, a bar per finished task</span>
          <ul class="legend" aria-label="Timeline legend">
            <li><span class="swatch succeeded" aria-hidden="true"></span>Succeeded</li>
            <li><span class="swatch failed" aria-hidden="true"></span>Failed</li>
            <li><span class="swatch panicked" aria-hidden="true"></span>Panicked</li>
            <li><span class="swatch timedOut" aria-hidden="true"></span>Timed out</li>
            <li><span class="swatch cancelled" aria-hidden="true"></span>Cancelled</li>
            <li><span class="swatch waiting" aria-hidden="true"></span>Waiting for a connection</li>
            <li><span class="swatch resize" aria-hidden="true"></span>Pool resized (→ new count)</li>
          </ul>
        </figcaption>
        <div class="timeline-tools" role="group" aria-label="Zoom the timeline">
          <button id="timeline-zoom-out" type="button" aria-label="Zoom out" title="Zoom out (−)" disabled>−</button>
          <button id="timeline-zoom-in" type="button" aria-label="Zoom in" title="Zoom in (+, or Ctrl + wheel)" disabled>+</button>
          <button id="timeline-zoom-reset" type="button" title="Show the whole run (0)" disabled>Reset zoom</button>
          <label for="timeline-pan">Pan</label>
          <input id="timeline-pan" type="range" min="0" max="200" step="1" value="0" disabled />
        </div>
        <div id="timeline-box" class="timeline-box">
          <canvas id="timeline" tabindex="0" role="application" aria-roledescription="timeline" aria-label="Per-worker timeline: arrow keys step from bar to bar, + and − zoom, 0 resets" aria-describedby="timeline-caption"></canvas>
        </div>
        <p id="timeline-caption" class="muted">No run yet.</p>
        <div id="timeline-detail" class="timeline-detail" role="status" aria-live="polite"></div>
      </figure>
      <section id="counts" class="summary" aria-label="Summary of the last run" hidden></section>${THEORY_MARKUP}${SWEEP_MARKUP}
      <details id="show-code" class="show-code">
        <summary>Show the code for these settings</summary>
        <p>What Run does with the settings, through the package's API, and the same run in Rust with the crate; it follows every change of the settings.</p>
        <p id="show-code-invalid" class="form-problem" hidden>A setting is not valid: once it is fixed (its message says how), its code appears here.</p>
        <div id="show-code-blocks">${codeBlock('js', 'JavaScript', 'JavaScript, with the npm package <code>wasm-worker-pool</code> in a cross-origin isolated page')}${codeBlock('rust', 'Rust', 'Rust, with the crate on native threads')}
        </div>
        <p id="show-code-status" class="show-code-status" role="status"></p>
      </details>
    </section>

    <section id="panel-compare" class="panel" role="tabpanel" aria-labelledby="tab-compare" tabindex="-1" hidden>
      <h2>Compare the strategies</h2>
      <p>Runs the same seeded workload (the settings on the left) as a worker pool, as one Web Worker per task, and with rayon, each in a fresh runtime, and sets them side by side.</p>
      <p><button id="compare-run" type="button" class="primary" disabled>Run the comparison</button></p>
      <div class="progress-row" id="compare-progress-row" hidden>
        <label for="compare-progress" class="visually-hidden">Comparison progress</label>
        <progress id="compare-progress" max="3" value="0"></progress>
        <span id="compare-progress-text" class="progress-text"></span>
      </div>
      <div id="compare-results" class="compare-results"></div>
    </section>

    <section id="panel-lessons" class="panel" role="tabpanel" aria-labelledby="tab-lessons" tabindex="-1" hidden>
      <h2>Lessons from the tutorial</h2>
      <p>Each section of <cite>${TUTORIAL_TITLE}</cite>, reproduced here: the tutorial's own Go, beside the Rust this page compiles and runs in its place, and a button that runs it.</p>
      <div id="lessons"></div>
    </section>
  </div>
</main>
<footer class="foot">
  <p>Tasks are simulated and seeded: the same seed gives the same durations and the same failing ids in every strategy. Numbers come from real threads in this browser.</p>
</footer>`;
  if (!embedded) return html;
  return html
    .replace(/<(\/?)(header|main|footer)\b/g, '<$1div')
    .replace('<a class="skip-link" href="#panels">Skip to the results</a>', '');
}

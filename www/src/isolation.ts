// What the page says, and does, when it is not cross-origin isolated.
// The built site loads coi-serviceworker first: on a host that sends no
// COOP/COEP headers it registers a service worker that adds them, then
// reloads the page once. Where that cannot work (a file:// page, plain http
// from another host, service workers blocked), the page says why and what to do.

const HEADERS = '<code>Cross-Origin-Opener-Policy: same-origin</code> and <code>Cross-Origin-Embedder-Policy: require-corp</code>';

/** Why a service worker cannot isolate this page, or null if it could. */
export function serviceWorkerObstacle(): string | null {
  if (location.protocol === 'file:') {
    return 'This page was opened from a file (file://): browsers never isolate file pages, and service workers cannot run there.';
  }
  if (!isSecureContext) {
    return 'This page is served over plain http from a host other than localhost, where browsers allow no service workers.';
  }
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker) {
    return 'Service workers are unavailable in this browser (a private window or a policy may block them), so the page cannot isolate itself.';
  }
  return null;
}

/**
 * True while the service worker may still be about to reload the page: it
 * could run here and does not control the page yet.
 */
export function reloadMayCome(): boolean {
  return serviceWorkerObstacle() === null && !navigator.serviceWorker.controller;
}

/**
 * Gives coi-serviceworker time to reload the page (usually well under a
 * second), so that the page does not flash an error first. Returns early
 * when no registration appeared (service workers blocked or the file missing).
 */
export async function awaitReload(maxMs = 5000): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (performance.now() - start >= 1000) {
      const registration = await navigator.serviceWorker.getRegistration().catch(() => undefined);
      if (!registration) return;
    }
  }
}

/** The "what to do" paragraphs, as HTML (static text only). */
export function adviceHtml(embedded: boolean): string {
  if (embedded) {
    return `<p>What to do: the page that embeds this playground must be cross-origin isolated. Serve it over http(s) with ${HEADERS}, or, on a host that cannot set headers, load <code>coi-serviceworker.js</code> from the same origin before anything else (see the wasm-worker-pool README).</p>`;
  }
  const obstacle = serviceWorkerObstacle();
  const blocked = obstacle ?? 'The service worker that isolates this page on hosts without headers did not take effect.';
  return `<p>${blocked}</p>
<p>What to do: serve the site's folder over http(s) from a static server (for example <code>python3 -m http.server</code> in the built site's folder, or <code>npm start</code> in the repository) and open it from there. On a host that sends no headers the page isolates itself with a service worker (coi-serviceworker) and reloads once; where service workers are blocked, configure the host to send ${HEADERS} (and <code>.wasm</code> files as <code>application/wasm</code>), then reload. The README's "Hosting" section has the details.</p>`;
}

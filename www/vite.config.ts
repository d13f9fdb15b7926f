import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { rustSnippets } from '../scripts/rust-snippets.mjs';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * coi-serviceworker as its own file at the site root (index.html loads it
 * first): a service worker must be a separate file on the page's origin, and
 * its scope is the folder it is served from. Taken from node_modules at build
 * time; the dev server serves it too (with headers it does nothing).
 */
function coiServiceWorker(): Plugin {
  const fileName = 'coi-serviceworker.js';
  const source = () => readFileSync(createRequire(import.meta.url).resolve(`coi-serviceworker/${fileName}`), 'utf8');
  return {
    name: 'wwp:coi-serviceworker',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source: source() });
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url?.split('?')[0] !== `/${fileName}`) return next();
        response.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        response.end(source());
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    // The page uses the package exactly as an embedder would: its built entry.
    alias: { 'wasm-worker-pool': fileURLToPath(new URL('../dist/index.js', import.meta.url)) },
  },
  // virtual:rust-snippets: the Rust the lessons show, from the crate's source.
  plugins: [coiServiceWorker(), rustSnippets()],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
});

// The package's <worker-pool-playground>: a library build of www/src/element.ts
// into dist/element.js (one ES module: the playground's code, its CSS as
// strings, and uPlot). 'wasm-worker-pool' stays external and becomes the
// package's own './index.js', so that the element and the API share one
// runtime entry, and the module works under a bundler and from a plain
// <script type="module"> alike. dist/element.d.ts is lib/element.d.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { rustSnippets } from '../scripts/rust-snippets.mjs';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function elementTypes(): Plugin {
  return {
    name: 'wwp:element-types',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'element.d.ts', source: readFileSync(here('../lib/element.d.ts'), 'utf8') });
    },
  };
}

export default defineConfig({
  root: here('.'),
  publicDir: false,
  plugins: [elementTypes(), rustSnippets()],
  build: {
    outDir: here('../dist'),
    // dist/ also holds tsc's output (npm run build:lib): keep it.
    emptyOutDir: false,
    target: 'es2022',
    copyPublicDir: false,
    lib: {
      entry: here('src/element.ts'),
      formats: ['es'],
      fileName: () => 'element.js',
    },
    rolldownOptions: {
      external: ['wasm-worker-pool'],
      // Also served as is, without a bundler: minified (Vite's lib mode keeps
      // the whitespace of ES output otherwise).
      output: { paths: { 'wasm-worker-pool': './index.js' }, minify: true },
    },
  },
});

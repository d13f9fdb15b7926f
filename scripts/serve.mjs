// A small static server for the built site, on 127.0.0.1.
//   node scripts/serve.mjs DIR [--port N] [--no-isolation-headers]
// By default every response carries COOP/COEP (cross-origin isolation, needed
// for shared memory). --no-isolation-headers imitates a host that cannot set
// headers (the site then relies on coi-serviceworker).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Serve `dir`; resolves to { url, close() }. `missing(path)`, when given,
 * makes the paths it accepts answer 404 as if the file were not there (a
 * host that lost a file: the tests use it to break thread start-up).
 */
export function serve(dir, { port = 0, isolation = true, missing = () => false } = {}) {
  const root = resolve(dir);
  const headers = isolation ? ISOLATION_HEADERS : {};
  // Links carry the playground's settings in the query: accept URLs up to
  // Chromium's own limit (2 MB) rather than Node's 16 KB of headers.
  const server = createServer({ maxHeaderSize: 4 << 20 }, async (request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    } catch {
      // A malformed %-escape: the request is wrong, the server lives on.
      response.writeHead(400, { 'Content-Type': 'text/plain', ...headers }).end('bad request: malformed %-escape in the path');
      return;
    }
    if (missing(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...headers }).end('not found');
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...headers }).end('not found');
    }
  });
  return new Promise((resolveServe, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolveServe({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? 'www/dist';
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 8080);
  const isolation = !args.includes('--no-isolation-headers');
  try {
    await stat(join(dir, 'index.html'));
  } catch {
    console.error(`serve: ${dir}/index.html not found: run npm run build first`);
    process.exit(1);
  }
  const { url } = await serve(dir, { port, isolation }).catch((error) => {
    console.error(`serve: cannot listen on 127.0.0.1:${port} (${error.code}); set PORT=another-port`);
    process.exit(1);
  });
  console.log(`Worker Pool Playground: ${url}  (${isolation ? 'with' : 'without'} COOP/COEP headers; Ctrl-C stops)`);
}

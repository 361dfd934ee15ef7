// Dependency-free static file server for the repo root (127.0.0.1 only).
// CLI:    node scripts/serve.mjs [--port N]    (or PORT=N; default 8080, next free port if busy)
// Module: startServer({port, root, quiet}) -> Promise<{url, close}>; port 0 = ephemeral.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

// Browsers refuse WebAssembly.instantiateStreaming unless .wasm is application/wasm.
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(text);
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  // Resolve and require the result to stay inside root: refuses ../ and encoded %2e%2e%2f.
  let file = resolve(root, '.' + path);
  if (path.includes('\0') || (file !== root && !file.startsWith(root + sep))) {
    return send(res, 403, 'forbidden\n');
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(res, 404, 'not found\n');
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Always revalidate: a rebuilt wasm must never be mixed with stale JS glue.
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

function listen(server, port) {
  return new Promise((ok, fail) => {
    const onError = (err) => { server.off('listening', onListening); fail(err); };
    const onListening = () => { server.off('error', onError); ok(); };
    server.once('error', onError).once('listening', onListening).listen(port, HOST);
  });
}

export async function startServer({ port = 8080, root = DEFAULT_ROOT, quiet = false } = {}) {
  root = resolve(root);
  const server = createServer((req, res) => {
    handle(root, req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
      if (!quiet) console.error(err);
    });
  });
  // Busy port: try the next ones (port 0 never collides).
  for (let p = port, tries = 0; ; p++, tries++) {
    try {
      await listen(server, p);
      break;
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || port === 0 || tries >= 20) throw err;
    }
  }
  const url = `http://${HOST}:${server.address().port}/`;
  if (!quiet) console.log(`covalign is running at ${url}`);
  const close = () => new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  });
  return { url, close };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node scripts/serve.mjs [--port N]');
    process.exit(2);
  }
  await startServer({ port });
}

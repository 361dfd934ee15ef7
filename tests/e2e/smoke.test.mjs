// Smoke test: the page and the built wasm are served as a browser needs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useBrowser } from './harness.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

test('index page loads with HTTP 200', async () => {
  const { page, response } = await openPage(browser, server.url);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /^text\/html/);
  await screenshot(page, 'smoke-index');
  await page.context().close();
});

test('the built wasm is served as application/wasm', async () => {
  // Fetched by the browser itself: a 404 (not built) or a wrong MIME type both fail here.
  const { page } = await openPage(browser, server.url);
  const { status, type, magic } = await page.evaluate(async () => {
    const res = await fetch('/www/pkg/covalign_bg.wasm');
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), magic: Array.from(bytes.slice(0, 4)) };
  });
  assert.equal(status, 200, 'www/pkg/covalign_bg.wasm missing: run `npm run build`');
  assert.equal(type, 'application/wasm');
  assert.deepEqual(magic, [0x00, 0x61, 0x73, 0x6d], 'not a wasm module (bad magic bytes)');
  await page.context().close();
});

test('the server refuses path traversal', async () => {
  // Raw request: fetch() and URL() would normalise the ../ away before it is sent.
  const { request } = await import('node:http');
  const { hostname, port } = new URL(server.url);
  for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/www/..%2f..%2f..%2fetc/passwd']) {
    const status = await new Promise((resolve, reject) => {
      request({ hostname, port, path }, (res) => { res.resume(); resolve(res.statusCode); })
        .on('error', reject).end();
    });
    assert.ok(status === 403 || status === 404, `${path} -> ${status}`);
  }
});

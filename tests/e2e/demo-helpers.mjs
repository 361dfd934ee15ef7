// Helpers shared by the embedding, story, export and accessibility tests: a page whose
// console errors and requests are recorded, and short ways to reach into a <covalign-demo>.
import { readFile } from 'node:fs/promises';

/**
 * Opens `path` (relative to the server) in a fresh context. Returns {context, page,
 * consoleErrors, foreignRequests, requests}: foreignRequests collects every request that is
 * not to the local server nor data:/blob: (the page must be self-contained).
 */
export async function openDemoPage(browser, server, path = '', { viewport = { width: 1280, height: 900 }, reducedMotion = 'no-preference', wait = true } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion, acceptDownloads: true });
  const page = await context.newPage();
  const opened = { context, page, consoleErrors: [], foreignRequests: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') opened.consoleErrors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => opened.consoleErrors.push(`pageerror: ${err.message}`));
  context.on('request', (req) => {
    const url = req.url();
    opened.requests.push(url);
    if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) opened.foreignRequests.push(url);
  });
  await page.goto(server.url + path);
  if (wait) await demosReady(page);
  return opened;
}

/** Waits until every <covalign-demo> of the page has loaded, then for a drawn frame. */
export async function demosReady(page) {
  await page.evaluate(async () => {
    await customElements.whenDefined('covalign-demo');
    await Promise.all([...document.querySelectorAll('covalign-demo')].map((el) => el.ready));
  });
  await nextFrames(page);
}

/** Waits for two animation frames (a pending draw has then happened). */
export const nextFrames = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

/** Runs fn(element, arg) in the page on the demo matched by `selector` (default: the first). */
export const demo = (page, fn, arg, selector = 'covalign-demo') =>
  page.evaluate(([source, a, sel]) => new Function(`return (${source})`)()(document.querySelector(sel), a), [fn.toString(), arg, selector]);

/** Runs fn(element, index, arg) on every demo of the page; returns the results in order. */
export const everyDemo = (page, fn, arg) =>
  page.evaluate(([source, a]) => [...document.querySelectorAll('covalign-demo')].map((el, i) => new Function(`return (${source})`)()(el, i, a)), [fn.toString(), arg]);

/** Runs `action` and returns {name, bytes} of the download it starts. */
export async function downloadOf(page, action) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), action()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes) {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

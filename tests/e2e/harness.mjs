// Shared helpers for the end-to-end tests (node:test + playwright-core + Debian's Chromium).
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer as startStaticServer } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results');

// The network is closed: without the background-networking flags Chromium keeps retrying
// update, sync and QUIC connections. launch() (unlike launchPersistentContext) always
// creates a fresh temporary profile and deletes it on close, so runs never share state.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Static server for the repo root on an ephemeral port: {url, close}. */
export function startServer() {
  return startStaticServer({ port: 0, root: ROOT, quiet: true });
}

/**
 * Opens url in a new context; returns {page, response, consoleErrors, requests}. consoleErrors
 * collects console.error messages and uncaught page errors, so tests can assert it stays
 * empty; requests every URL requested, the page's own load included.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors = [];
  const requests = []; // every URL asked for, from before the first one
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  context.on('request', (req) => requests.push(req.url()));
  const response = await page.goto(url);
  return { page, response, consoleErrors, requests };
}

/** Full-page screenshot to test-results/NAME.png; returns the path. */
export async function screenshot(page, name) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * One static server and one browser for a whole test file: started before its first test,
 * closed after its last. `onReady({server, browser})` hands them to the file.
 */
export function useBrowser(onReady) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    onReady({ server, browser });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

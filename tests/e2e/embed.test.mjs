// Embedding: the blog-post example (several <covalign-demo> elements, one script tag), the
// iframe route (?embed=1), the module found from any URL, and no request to another host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { screenshot, ROOT, useBrowser } from './harness.mjs';
import { demo, demosReady, everyDemo, nextFrames, openDemoPage } from './demo-helpers.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

const steps = (page) => everyDemo(page, (el) => el.step);
const waitStep = (page, index, atLeast, timeout = 15000) => page.waitForFunction(
  ([i, n]) => document.querySelectorAll('covalign-demo')[i].step >= n, [index, atLeast], { timeout });

test('the blog post: its demos share one wasm download, each has its own settings, and none fetches from another host', async () => {
  const { context, page, consoleErrors, foreignRequests, requests } = await openDemoPage(browser, server, 'examples/blog-post.html');
  const configs = await everyDemo(page, (el) => {
    const q = new URLSearchParams(el.query);
    return { dim: q.get('dim'), spectrum: q.get('spectrum'), labels: q.get('labels'), panels: [...el.shadowRoot.querySelectorAll('canvas')].map((c) => c.dataset.chart).join() };
  });
  assert.ok(configs.length >= 5, `only ${configs.length} demos`);
  assert.deepEqual(configs.map((c) => c.spectrum), ['iso', 'power:2', 'power:1', 'power:1', 'power:1']);
  assert.deepEqual(configs.map((c) => c.dim), ['2', '2', '16', '4', '4']);
  assert.deepEqual(configs.map((c) => c.labels), ['random', 'random', 'random', 'random', 'teacher']);
  assert.deepEqual(configs.map((c) => c.panels), ['data,weights', 'data,weights,curves', 'overlap,eigenmap', 'overlap,alignment', 'overlap,alignment']);
  // One download and one compile of the engine for all of them, resolved from ../www/.
  assert.equal(requests.filter((u) => u.endsWith('covalign_bg.wasm')).length, 1);
  assert.ok(requests.some((u) => u === `${server.url}www/pkg/covalign_bg.wasm`));
  // The random-label and teacher demos side by side: trained by hand, they end up apart.
  await everyDemo(page, (el) => el.pause());
  await everyDemo(page, (el, i) => (i >= 3 ? el.advance(1000 - el.step) : 0));
  const [random, teacher] = (await everyDemo(page, (el) => el.metrics)).slice(3);
  assert.ok(teacher.accuracy > 0.9 && random.accuracy < 0.6, `accuracy random ${random.accuracy}, teacher ${teacher.accuracy}`);
  assert.ok(random.alignment > 0.8 && teacher.alignment < 0.4, `alignment share random ${random.alignment}, teacher ${teacher.alignment}`);
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('two demos run independently; off-screen ones pause and resume when scrolled back', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, 'examples/blog-post.html', { viewport: { width: 1280, height: 800 } });
  // At the top only the first demo (isotropic) is on screen: it trains, the others wait.
  await waitStep(page, 0, 30);
  assert.deepEqual((await steps(page)).slice(1), [0, 0, 0, 0], 'an off-screen demo trained');
  assert.ok(await demo(page, (el) => el.playing, null, 'covalign-demo[spectrum="iso"]'));
  // Scroll to the 16-d demo: now it trains, and the first one, off screen, stops.
  const d16 = page.locator('covalign-demo[dim="16"]');
  await d16.scrollIntoViewIfNeeded();
  await waitStep(page, 2, 20);
  await page.waitForTimeout(300); // the observer reports asynchronously
  const parked = (await steps(page))[0];
  await page.waitForTimeout(400);
  assert.equal((await steps(page))[0], parked, 'the first demo kept training off screen');
  // Back to the top: the first one resumes from where it stopped, the 16-d one parks.
  await page.evaluate(() => scrollTo(0, 0));
  await waitStep(page, 0, parked + 20);
  await page.waitForTimeout(300);
  const d16Parked = (await steps(page))[2];
  await page.waitForTimeout(400);
  assert.equal((await steps(page))[2], d16Parked, 'the 16-d demo kept training off screen');
  // Stepping one by hand leaves the others alone.
  const before = await steps(page);
  await everyDemo(page, (el) => el.pause());
  await everyDemo(page, (el, i) => (i === 1 ? el.advance(25) : 0));
  const afterSteps = await steps(page);
  assert.equal(afterSteps[1], before[1] + 25);
  assert.equal(afterSteps[2], before[2]);
  // Keys typed after clicking a demo go to that demo only (shortcuts are not page-wide here).
  await page.locator('covalign-demo[dim="16"] .readout').click();
  await page.keyboard.press(' ');
  assert.deepEqual(await everyDemo(page, (el) => el.playing), [false, false, true, false, false]);
  await page.keyboard.press(' ');
  assert.equal(await demo(page, (el) => el.playing, null, 'covalign-demo[dim="16"]'), false);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('attribute changes take effect on a running demo: config keys, panels, controls, theme, until', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, 'examples/blog-post.html');
  const first = 'figure:first-of-type covalign-demo';
  await demo(page, (el) => { el.pause(); el.reset(); el.advance(40); }, null, first);
  // A live setting keeps the run; a data setting changes the data; a width needs a new network.
  await demo(page, (el) => el.setAttribute('lr', '0.1'), null, first);
  assert.match(await demo(page, (el) => el.query, null, first), /lr=0.1&/);
  assert.equal(await demo(page, (el) => el.step, null, first), 40);
  await demo(page, (el) => el.setAttribute('spectrum', 'power:1'), null, first);
  assert.equal(await demo(page, (el) => el.metrics.isotropic_data, null, first), false);
  await demo(page, (el) => el.setAttribute('hidden', '64'), null, first);
  assert.equal(await demo(page, (el) => el.step, null, first), 0);
  // View attributes rebuild the view.
  await demo(page, (el) => { el.setAttribute('panels', 'weights,alignment'); el.setAttribute('theme', 'contrast'); el.setAttribute('controls', 'full'); }, null, first);
  await nextFrames(page);
  assert.deepEqual(await demo(page, (el) => [
    [...el.shadowRoot.querySelectorAll('canvas')].map((c) => c.dataset.chart).join(),
    el.shadowRoot.querySelector('.root').dataset.theme,
    Boolean(el.shadowRoot.querySelector('form.settings')),
  ], null, first), ['weights,alignment', 'contrast', true]);
  await demo(page, (el) => el.setAttribute('controls', 'none'), null, first);
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelectorAll('button, input, select').length, null, first), 0);
  // autoplay + until: plays by itself and stops at that step.
  await demo(page, (el) => { el.reset(); el.setAttribute('speed', '10'); el.setAttribute('until', '60'); el.setAttribute('autoplay', ''); }, null, first);
  await page.waitForFunction((sel) => !document.querySelector(sel).playing, first, { timeout: 10000 });
  assert.equal(await demo(page, (el) => el.step, null, first), 60);
  // Another demo on the page did not notice any of it.
  assert.match(await demo(page, (el) => el.query, null, 'covalign-demo[panels="data,weights,curves"]'), /hidden=256&.*lr=0.2&/);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('index.html?embed=1 hides the page chrome and keeps the transport bar; the link out drops embed', async () => {
  const { context, page, consoleErrors, foreignRequests } = await openDemoPage(browser, server, '?embed=1&dim=3');
  for (const selector of ['header', 'footer', 'h1', '.lede']) {
    assert.equal(await page.locator(selector).isVisible(), false, `${selector} is visible in embed mode`);
  }
  assert.equal(await page.locator('covalign-demo form.settings').count(), 0, 'the settings column is shown');
  for (const selector of ['button.play', 'button:text("Step")', 'button:text("Reset")', '.speed input']) {
    assert.ok(await page.locator(`covalign-demo ${selector}`).isVisible(), `${selector} is missing`);
  }
  assert.equal(await demo(page, (el) => el.metrics.sigma.length), 3);
  // The demo fills the frame: no page margin around it.
  const box = await page.locator('covalign-demo').boundingBox();
  assert.ok(box.x < 2 && box.y < 2, `the demo starts at ${box.x},${box.y}`);
  const link = page.locator('a.full-page');
  assert.ok(await link.isVisible());
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await popup.waitForLoadState();
  const url = new URL(popup.url());
  assert.equal(url.searchParams.has('embed'), false);
  assert.equal(url.searchParams.get('dim'), '3');
  assert.ok(await popup.locator('header h1').isVisible(), 'the full page shows its title');
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('examples/iframe.html: each frame shows an embedded demo that plays once scrolled into view', async () => {
  const { context, page, consoleErrors, foreignRequests } = await openDemoPage(browser, server, 'examples/iframe.html', { wait: false });
  const frames = page.locator('iframe');
  assert.equal(await frames.count(), 2);
  for (let i = 0; i < 2; i++) {
    await frames.nth(i).scrollIntoViewIfNeeded();
    const frame = await (await frames.nth(i).elementHandle()).contentFrame();
    await frame.waitForLoadState();
    await demosReady(frame);
    assert.equal(await frame.locator('header').isVisible(), false);
    assert.equal(await frame.locator('covalign-demo form.settings').count(), 0);
    assert.ok(await frame.locator('covalign-demo button.play').isVisible());
    await frame.waitForFunction(() => document.querySelector('covalign-demo').step > 10, null, { timeout: 15000 });
    // The frame is sized to its content (the page's height message): the link out is visible.
    // Nothing to scroll inside the frame.
    await page.waitForFunction((n) => {
      const scroller = document.querySelectorAll('iframe')[n].contentDocument.scrollingElement;
      return scroller.scrollHeight <= scroller.clientHeight + 1;
    }, i, { timeout: 5000 });
    const link = await frame.locator('a.full-page').boundingBox();
    const box = await frames.nth(i).boundingBox();
    assert.ok(link && link.y + link.height <= box.y + box.height, 'the link under the demo is inside the frame');
  }
  const second = await (await frames.nth(1).elementHandle()).contentFrame();
  assert.equal(await second.evaluate(() => document.querySelector('covalign-demo').chapter), 'higher-d');
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('the module finds its wasm next to itself, whatever URL it is served from', async () => {
  // A blog that serves covalign from /cdn/covalign/v1/ and its posts from /2024/05/post.html:
  // covalign.js must load pkg/covalign_bg.wasm relative to its own URL, not the page's.
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route(`${server.url}cdn/covalign/v1/**`, (route) => {
    const file = new URL(route.request().url()).pathname.replace('/cdn/covalign/v1/', '');
    route.fulfill({ path: join(ROOT, 'www', file) });
  });
  await page.route(`${server.url}2024/05/post.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
    <link rel="icon" href="data:,"><script type="module" src="/cdn/covalign/v1/covalign.js"></script>
    <p>Some post.</p><covalign-demo dim="4" panels="overlap"></covalign-demo>` }));
  await page.goto(`${server.url}2024/05/post.html`);
  await demosReady(page);
  assert.equal(await demo(page, (el) => el.advance(20)), 20);
  assert.equal(await demo(page, (el) => el.metrics.sigma.length), 4);
  assert.deepEqual(errors, []);
  await context.close();
});

test('works offline once loaded: training, settings, the story and exports need no network', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?story=rotation');
  // The race module arrives by itself once the page is idle (nobody opened a race chapter).
  await page.waitForFunction(() => customElements.get('covalign-race'), null, { timeout: 15000 });
  await context.setOffline(true);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await demo(page, (el) => el.nextChapter(1));
  await page.waitForFunction(() => document.querySelector('covalign-demo').step > 20);
  await demo(page, (el) => { el.pause(); el.setAttribute('dim', '5'); el.advance(10); });
  assert.equal(await demo(page, (el) => el.metrics.sigma.length), 5);
  const png = await demo(page, async (el) => (await el.exportPNG('weights')).size);
  assert.ok(png > 1000);
  // A race chapter, offline: the panel is there and runs.
  await demo(page, (el) => el.loadChapter('hurts'));
  const race = page.locator('covalign-demo covalign-race');
  await race.waitFor();
  await page.waitForFunction(() => {
    const r = document.querySelector('covalign-demo').shadowRoot.querySelector('covalign-race');
    return r && typeof r.run === 'function' && r.progress?.done > 0;
  }, null, { timeout: 15000 });
  assert.equal(await page.locator('covalign-demo .notice.error').count(), 0);
  assert.deepEqual(failed, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('screenshots of the blog post at 1280 and 360 px wide, every demo drawn, nothing sticking out', async () => {
  for (const [name, width] of [['blog', 1280], ['blog-360', 360]]) {
    const { context, page, consoleErrors } = await openDemoPage(browser, server, 'examples/blog-post.html', { viewport: { width, height: 900 } });
    await everyDemo(page, (el) => { el.pause(); el.advance(Math.max(0, 1200 - el.step)); });
    // A window as tall as the page: every demo is on screen, so every one is drawn.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(400);
    await nextFrames(page);
    const problems = await page.evaluate(() => {
      const out = [];
      if (document.documentElement.scrollWidth > innerWidth) out.push(`the page is ${document.documentElement.scrollWidth}px wide`);
      document.querySelectorAll('covalign-demo').forEach((el, i) => {
        const root = el.shadowRoot.querySelector('.root').getBoundingClientRect();
        for (const node of el.shadowRoot.querySelectorAll('.toolbar > *, .readout, .panel, canvas')) {
          const r = node.getBoundingClientRect();
          if (r.width && (r.left < root.left - 1 || r.right > root.right + 1)) out.push(`demo ${i}: ${node.className || node.localName} sticks out`);
        }
        if (!/^Step 1,200/.test(el.shadowRoot.querySelector('.readout').textContent)) out.push(`demo ${i} was not redrawn`);
      });
      return out;
    });
    assert.deepEqual(problems, []);
    await screenshot(page, name);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  }
});

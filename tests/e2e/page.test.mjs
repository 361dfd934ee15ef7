// End-to-end tests of the page and the <covalign-demo> element in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useBrowser } from './harness.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

/** Opens the page (query = '?...') and waits until the demo has loaded and drawn once. */
async function open(query = '', viewport) {
  const opened = await openPage(browser, server.url + query, viewport ? { viewport } : undefined);
  const { page } = opened;
  // Recorded from before the page's first request: a font or script fetched while loading counts.
  Object.defineProperty(opened, 'foreignRequests', {
    get: () => opened.requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')),
  });
  await page.evaluate(async () => {
    await customElements.whenDefined('covalign-demo');
    await Promise.all([...document.querySelectorAll('covalign-demo')].map((el) => el.ready));
  });
  await nextFrames(page);
  return opened;
}

/** Waits for two animation frames (a pending draw has then happened). */
const nextFrames = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

/** Runs fn(element, arg) in the page on the first (or selected) demo. */
const demo = (page, fn, arg, selector = 'covalign-demo') =>
  page.evaluate(([source, a, sel]) => new Function(`return (${source})`)()(document.querySelector(sel), a), [fn.toString(), arg, selector]);

const canvasPixels = (page, chart) => demo(page, (el, c) => el.shadowRoot.querySelector(`canvas[data-chart="${c}"]`).toDataURL(), chart);

/** A real mouse drag of spectrum bar `index` to `fraction` of the editor's height (0 = top). */
async function dragBar(page, index, fraction) {
  const editor = page.locator('covalign-demo svg.spectrum-editor');
  const box = await editor.boundingBox();
  const count = await demo(page, (el) => el.shadowRoot.querySelectorAll('svg.spectrum-editor .bar').length);
  const x = box.x + (box.width * (index + 0.5)) / count;
  await page.mouse.move(x, box.y + box.height * 0.9);
  await page.mouse.down();
  await page.mouse.move(x, box.y + box.height * (0.9 + fraction) / 2, { steps: 4 });
  await page.mouse.move(x, box.y + box.height * fraction, { steps: 4 });
  await page.mouse.up();
}

test('the page loads with no console errors, every panel drawn, no third-party request', async () => {
  const opened = await open();
  const { page, consoleErrors } = opened;
  assert.equal(await page.title(), 'covalign — what a network learns from random labels');
  const charts = await demo(page, (el) => [...el.shadowRoot.querySelectorAll('canvas')].map((c) => c.dataset.chart));
  assert.deepEqual(charts, ['data', 'weights', 'curves', 'overlap', 'eigenmap']);
  for (const chart of charts) {
    const inked = await demo(page, (el, c) => {
      const canvas = el.shadowRoot.querySelector(`canvas[data-chart="${c}"]`);
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const first = pixels.slice(0, 4).join();
      for (let i = 4; i < pixels.length; i += 4) if (pixels.slice(i, i + 4).join() !== first) return true;
      return false;
    }, chart);
    assert.ok(inked, `the ${chart} panel is blank`);
    const label = await demo(page, (el, c) => el.shadowRoot.querySelector(`canvas[data-chart="${c}"]`).getAttribute('aria-label'), chart);
    assert.ok(label.length > 20, `the ${chart} panel has no text alternative: ${label}`);
  }
  const readout = await page.locator('covalign-demo .readout').textContent();
  assert.match(readout, /^Step 0 · loss/);
  assert.deepEqual(consoleErrors, []);
  assert.ok(opened.requests.some((url) => url.endsWith('.wasm')), 'the requests of the load were recorded');
  assert.deepEqual(opened.foreignRequests, []);
  await page.context().close();
});

test('every engine setting has a form control (or is a transfer-race key)', async () => {
  const { page } = await open();
  const { missing, labelled } = await demo(page, async (el) => {
    const { CONTROL_KINDS } = await import('/www/controls.js');
    const { keys_json } = await import('/www/pkg/covalign.js');
    const keys = JSON.parse(keys_json());
    const missing = keys.filter((k) => !(k.name in CONTROL_KINDS)).map((k) => k.name);
    const labelled = keys.filter((k) => CONTROL_KINDS[k.name]?.kind !== 'transfer' && k.name !== 'seed')
      .filter((k) => !el.shadowRoot.querySelector(`label[for="field-${k.name}"]`)).map((k) => k.name);
    return { missing, labelled };
  });
  assert.deepEqual(missing, [], 'keys without a control kind in www/controls.js');
  assert.deepEqual(labelled, [], 'keys without a labelled control');
  await page.context().close();
});

test('play advances the step and opens the M(random) − M(data) gap on the default scenario', async () => {
  const { page, consoleErrors } = await open();
  const start = await demo(page, (el) => el.metrics);
  assert.equal(start.step, 0);
  await page.locator('covalign-demo button.play').click();
  await page.waitForFunction(() => document.querySelector('covalign-demo').step >= 300, null, { timeout: 20000 });
  await page.locator('covalign-demo button.play').click(); // pause
  assert.equal(await demo(page, (el) => el.playing), false);
  const end = await demo(page, (el) => el.metrics);
  const gap = (s) => s.misalignment_random - s.misalignment;
  assert.ok(end.step >= 300);
  assert.ok(gap(end) > 3 * gap(start), `gap did not open: ${gap(start)} -> ${gap(end)}`);
  assert.ok(end.misalignment_random > 10 * end.misalignment, `M(data) ${end.misalignment} vs M(random) ${end.misalignment_random}`);
  assert.ok(end.angle_deg < 5, `the weight ellipse did not turn onto the data axes: ${end.angle_deg}°`);
  // Paused means paused.
  const paused = await demo(page, (el) => el.step);
  await page.waitForTimeout(300);
  assert.equal(await demo(page, (el) => el.step), paused);
  // The event reaches the host page with the same key names.
  const detail = await demo(page, (el) => new Promise((ok) => {
    el.addEventListener('covalign-snapshot', (e) => ok(e.detail), { once: true });
    el.advance(1);
  }));
  assert.equal(detail.step, paused + 1);
  assert.ok('misalignment_random' in detail && 'alignment' in detail);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('dragging a spectrum bar changes the data panel and the URL, without a reset', async () => {
  const { page, consoleErrors } = await open();
  await demo(page, (el) => el.advance(20));
  const before = await canvasPixels(page, 'data');
  assert.match(page.url(), /spectrum=power:2/);
  await dragBar(page, 1, 0.1); // the smaller variance, dragged near the top
  await nextFrames(page);
  // The address is written at most a few times a second: wait for the drag's last value.
  await page.waitForFunction(() => {
    const el = document.querySelector('covalign-demo');
    return new URLSearchParams(location.search).get('spectrum') === el.shadowRoot.querySelector('#field-spectrum').value;
  }, null, { timeout: 5000 });
  assert.notEqual(await canvasPixels(page, 'data'), before, 'the data panel did not change');
  const spectrum = new URL(page.url()).searchParams.get('spectrum');
  const [v1, v2] = spectrum.replace('list:', '').split(',').map(Number);
  assert.ok(v2 > v1, `bar 2 should now be the larger variance: ${spectrum}`);
  assert.equal(await demo(page, (el) => el.step), 20, 'a spectrum change must not reset training');
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('#field-spectrum').value), spectrum);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('reloading a URL restores the same state and the same numbers', async () => {
  const { page: first } = await open('?seed=7&hidden=128');
  await dragBar(first, 0, 0.5);
  await first.locator('covalign-demo #field-lr').fill('0.15');
  await first.locator('covalign-demo #field-lr').press('Enter');
  await first.waitForFunction(() => `?${document.querySelector('covalign-demo').query}` === location.search);
  const url = first.url();
  const query = await demo(first, (el) => el.query);
  assert.equal(`?${query}`, new URL(url).search);
  await demo(first, (el) => el.reset());
  const first0 = await demo(first, (el) => el.metrics);
  await demo(first, (el) => el.advance(150));
  const first150 = await demo(first, (el) => el.metrics);

  const { page: second, consoleErrors } = await open(new URL(url).search);
  assert.equal(await demo(second, (el) => el.query), query);
  assert.deepEqual(await demo(second, (el) => el.metrics), first0, 'step 0 differs after reload');
  await demo(second, (el) => el.advance(150));
  assert.deepEqual(await demo(second, (el) => el.metrics), first150, 'step 150 differs after reload');
  assert.equal(await second.locator('covalign-demo .notice').count(), 0);
  assert.deepEqual(consoleErrors, []);
  await first.context().close();
  await second.context().close();
});

test('a link made while paused opens at the same step with the same numbers', async () => {
  const { page: first } = await open('?seed=5&hidden=96&dim=3&spectrum=power:1');
  await demo(first, (el) => el.advance(137));
  await first.waitForFunction(() => new URLSearchParams(location.search).get('at') === '137');
  const url = first.url();
  const there = await demo(first, (el) => el.metrics);
  assert.equal(there.step, 137);

  const { page: second, consoleErrors } = await open(new URL(url).search);
  assert.equal(await demo(second, (el) => el.step), 137, 'the link did not bring the run to its step');
  assert.equal(await demo(second, (el) => el.playing), false, 'a linked step opens paused');
  assert.deepEqual(await demo(second, (el) => el.metrics), there, 'numbers at the linked step differ');
  // Playing drops `at` from the address (the step is moving); reset leaves it out too.
  await demo(second, (el) => el.play());
  await second.waitForFunction(() => !new URLSearchParams(location.search).has('at'));
  await demo(second, (el) => { el.pause(); el.reset(); });
  await nextFrames(second);
  assert.ok(!new URL(second.url()).searchParams.has('at'), second.url());
  assert.deepEqual(consoleErrors, []);

  // Back from a story chapter to an address with `at` trains there again.
  await demo(second, (el) => el.advance(50));
  await second.waitForFunction(() => new URLSearchParams(location.search).get('at') === '50');
  const before = await demo(second, (el) => el.metrics);
  await demo(second, (el) => el.loadChapter('isotropic'));
  await second.goBack();
  await second.waitForFunction(() => document.querySelector('covalign-demo').chapter === null && document.querySelector('covalign-demo').step === 50);
  assert.deepEqual(await demo(second, (el) => el.metrics), before, 'Back to a linked step');

  // A bad `at` is a notice, and the demo starts at step 0.
  const { page: third, consoleErrors: errors3 } = await open('?at=-4');
  assert.match(await third.locator('covalign-demo .notice').first().textContent(), /at=-4/);
  assert.equal(await demo(third, (el) => el.step), 0);
  assert.deepEqual(errors3, []);
  for (const p of [first, second, third]) await p.context().close();
});

test('a link to a far step on a large network: the page stays live, and a reload on the way keeps the target', async () => {
  const query = '?dim=64&spectrum=power:1&hidden=1024&at=300';
  const opened = await openPage(browser, server.url + query);
  const { page, consoleErrors } = opened;
  await page.waitForFunction(() => {
    const el = document.querySelector('covalign-demo');
    return el?.step > 5 && el.step < 300;
  }, null, { timeout: 20000 });
  // On the way: the address still names the target, and the page answers between slices.
  assert.equal(new URL(page.url()).searchParams.get('at'), '300');
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.reload();
  await page.evaluate(() => customElements.whenDefined('covalign-demo').then(() => document.querySelector('covalign-demo').ready));
  assert.equal(await demo(page, (el) => [el.step, el.playing].join()), '300,false');
  assert.equal(new URL(page.url()).searchParams.get('at'), '300');
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('on a 2× screen every canvas has twice the pixels of its CSS size (crisp charts)', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.evaluate(() => customElements.whenDefined('covalign-demo').then(() => document.querySelector('covalign-demo').ready));
  await nextFrames(page);
  const sizes = await demo(page, (el) => [...el.shadowRoot.querySelectorAll('canvas')]
    .filter((c) => c.clientWidth > 0)
    .map((c) => ({ chart: c.dataset.chart, css: c.getBoundingClientRect().width, pixels: c.width })));
  assert.ok(sizes.length >= 3, JSON.stringify(sizes));
  for (const { chart, css, pixels } of sizes) {
    assert.ok(Math.abs(pixels - 2 * css) <= 2, `${chart}: ${pixels} pixels for ${css} CSS px`);
  }
  await context.close();
});

test('speed, slow motion, the basis angle slider and the spectrum keys act live', async () => {
  const { page, consoleErrors } = await open();
  const setRange = (selector, value) => demo(page, (el, [sel, v]) => {
    const input = el.shadowRoot.querySelector(sel);
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, [selector, value]);
  // Speed: the log slider's top is 500 steps per frame, and the view parameter lands in the URL.
  await setRange('.toolbar .speed input', '1000');
  assert.match(await page.locator('covalign-demo .speed-value').textContent(), /^500 /);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('speed') === '500');
  // Slow motion: one step every few frames.
  await page.locator('covalign-demo .slow input').check();
  await page.locator('covalign-demo button.play').click();
  await page.waitForTimeout(1000);
  await page.locator('covalign-demo button.play').click();
  const slow = await demo(page, (el) => el.step);
  assert.ok(slow >= 2 && slow <= 15, `slow motion took ${slow} steps in a second`);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('speed') === 'slow');
  // The basis angle: a data change, so training goes on from the same step.
  await setRange('.angle-row input', '-45');
  assert.equal(await demo(page, (el) => [el.step, /basis=angle:-45&/.test(el.query)].join()), `${slow},true`);
  // Keyboard on the spectrum editor: ← → pick a bar, ↑ ↓ change it; the page's shortcuts stay quiet.
  await page.locator('covalign-demo svg.spectrum-editor').focus();
  await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  await nextFrames(page);
  assert.equal(await demo(page, (el) => el.step), slow, '→ in the editor must not train a step');
  const spectrum = await demo(page, (el) => new URLSearchParams(el.query).get('spectrum'));
  assert.match(spectrum, /^list:1\.6,0\.7\d*$/);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('a malformed URL shows a dismissible notice naming what was wrong, and the page still runs', async () => {
  const { page, consoleErrors } = await open('?dim=abc&lr=-1&bogus=1&speed=20');
  const notice = page.locator('covalign-demo .notice[role="alert"]');
  await notice.waitFor();
  const text = await notice.textContent();
  for (const word of ['dim', 'abc', 'lr', 'bogus']) assert.ok(text.includes(word), `notice does not mention ${word}: ${text}`);
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('#field-dim').value), '2');
  await page.locator('covalign-demo button.play').click();
  await page.waitForFunction(() => document.querySelector('covalign-demo').step >= 40);
  await page.locator('covalign-demo button.play').click();
  // The address is rewritten to a clean, complete query; the speed (a view parameter) survives.
  await page.waitForFunction(() => !location.search.includes('bogus'));
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('dim'), '2');
  assert.equal(params.get('lr'), '0.2');
  assert.equal(params.get('speed'), '20');
  await notice.locator('button.dismiss').click();
  assert.equal(await notice.count(), 0);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('a huge learning rate pauses with a divergence message; reset recovers', async () => {
  const { page, consoleErrors } = await open('?lr=100000');
  await page.locator('covalign-demo button.play').click();
  const message = page.locator('covalign-demo .notice.divergence');
  await message.waitFor({ timeout: 10000 });
  assert.match(await message.textContent(), /diverged.*learning rate/s);
  assert.equal(await demo(page, (el) => el.playing), false);
  assert.equal(await demo(page, (el) => el.metrics.diverged), true);
  const stopped = await demo(page, (el) => el.step);
  await page.waitForTimeout(200);
  assert.equal(await demo(page, (el) => el.step), stopped);
  assert.equal(await page.locator('covalign-demo button.play').getAttribute('aria-disabled'), 'true', 'Play does nothing until a reset');
  await page.locator('covalign-demo button.play').click({ force: true }); // a click still lands: it must do nothing
  assert.equal(await demo(page, (el) => [el.playing, el.step].join()), `false,${stopped}`);
  await message.locator('button', { hasText: /^Reset$/ }).click();
  assert.equal(await message.count(), 0);
  assert.equal(await page.locator('covalign-demo button.play').getAttribute('aria-disabled'), 'false');
  assert.deepEqual(await demo(page, (el) => [el.step, el.metrics.diverged]), [0, false]);
  // Diverges again at the same rate; the suggested lower rate trains.
  await page.locator('covalign-demo button.play').click();
  await message.waitFor({ timeout: 10000 });
  await message.locator('button', { hasText: /^Use lr = / }).click();
  assert.equal(await message.count(), 0);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('lr') === '0.2');
  assert.equal(await demo(page, (el) => el.advance(50)), 50);
  assert.equal(await demo(page, (el) => el.metrics.diverged), false);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('keyboard: space plays and pauses, → steps, r resets; keys typed in a field are left alone', async () => {
  const { page } = await open();
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  assert.equal(await demo(page, (el) => el.playing), true);
  await page.waitForFunction(() => document.querySelector('covalign-demo').step > 10);
  await page.keyboard.press(' ');
  assert.equal(await demo(page, (el) => el.playing), false);
  const paused = await demo(page, (el) => el.step);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await demo(page, (el) => el.step), paused + 2);
  // Typing into the seed box is typing, not shortcuts.
  await page.locator('covalign-demo input.seed').focus();
  await page.keyboard.press('r');
  await page.keyboard.press(' ');
  assert.equal(await demo(page, (el) => [el.step, el.playing].join()), `${paused + 2},false`);
  await page.locator('h1').click();
  await page.keyboard.press('r');
  assert.equal(await demo(page, (el) => el.step), 0);
  await page.context().close();
});

test('several demos on one page run independently; attributes configure and update them; off-screen pauses', async () => {
  // A blogger's page with hostile CSS: two demos, attributes only, the second far below.
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.route(`${server.url}blog.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
    <style>* { color: red !important; } button { display: none; } canvas { border: 9px solid green; }
      covalign-demo { font: italic 40px/3 serif; letter-spacing: 4px; text-transform: uppercase; }
      [hidden] { display: none !important; } /* the CSS resets of normalize.css and Bootstrap */</style>
    <link rel="icon" href="data:,"><script type="module" src="/www/covalign.js"></script>
    <covalign-demo id="a" dim="2" hidden="64" panels="data,weights"></covalign-demo>
    <div style="height: 3000px"></div>
    <covalign-demo id="b" dim="8" spectrum="step:2:4" controls="none" panels="overlap" autoplay></covalign-demo>` }));
  await page.goto(`${server.url}blog.html`);
  await page.evaluate(async () => {
    await customElements.whenDefined('covalign-demo');
    await Promise.all([...document.querySelectorAll('covalign-demo')].map((el) => el.ready));
  });
  // Shadow DOM: the host's CSS neither hides the buttons nor restyles the canvases.
  assert.ok(await page.locator('#a button.play').isVisible());
  assert.equal(await demo(page, (el) => getComputedStyle(el.shadowRoot.querySelector('canvas')).borderTopWidth, null, '#a'), '0px');
  // ... nor its type: a rule on the element itself stops at the shadow root.
  const type = await demo(page, (el) => {
    const s = getComputedStyle(el.shadowRoot.querySelector('.readout'));
    return { size: parseFloat(s.fontSize), family: s.fontFamily, style: s.fontStyle, spacing: s.letterSpacing, transform: s.textTransform };
  }, null, '#a');
  assert.ok(type.size < 30 && !/^serif/.test(type.family) && type.style === 'normal' && type.spacing === 'normal' && type.transform === 'none', JSON.stringify(type));
  // hidden="64" is the layer width, not HTML's hidden.
  assert.ok((await page.locator('#a').boundingBox()).height > 200);
  assert.match(await demo(page, (el) => el.query, null, '#a'), /hidden=64&/);
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelectorAll('canvas').length, null, '#b'), 1);
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelectorAll('button').length, null, '#b'), 0);
  // Independent runs.
  await demo(page, (el) => el.advance(30), null, '#a');
  assert.equal(await demo(page, (el) => el.step, null, '#a'), 30);
  assert.equal(await demo(page, (el) => el.metrics.sigma.length, null, '#b'), 8);
  // #b autoplays but is off-screen: it must not train until scrolled into view.
  assert.equal(await demo(page, (el) => [el.playing, el.step].join(), null, '#b'), 'true,0');
  await page.locator('#b').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#b').step > 20);
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(300); // the observer reports asynchronously
  const parked = await demo(page, (el) => el.step, null, '#b');
  await page.waitForTimeout(300);
  assert.equal(await demo(page, (el) => el.step, null, '#b'), parked, 'off-screen demo kept training');
  assert.equal(await demo(page, (el) => el.playing, null, '#b'), true, 'it resumes when scrolled back');
  // Attribute changes reach the running demo.
  await demo(page, (el) => el.setAttribute('lr', '0.05'), null, '#a');
  assert.match(await demo(page, (el) => el.query, null, '#a'), /lr=0.05/);
  assert.equal(await demo(page, (el) => el.step, null, '#a'), 30, 'lr is a live setting');
  await demo(page, (el) => el.setAttribute('hidden', '32'), null, '#a');
  assert.equal(await demo(page, (el) => el.step, null, '#a'), 0, 'the width needs a fresh network');
  await demo(page, (el) => el.setAttribute('lr', 'fast'), null, '#a');
  assert.match(await page.locator('#a .notice').textContent(), /lr.*fast/);
  // View attributes rebuild the view of the same run.
  await demo(page, (el) => { el.setAttribute('controls', 'none'); el.setAttribute('panels', 'curves'); el.setAttribute('theme', 'dark'); }, null, '#a');
  await nextFrames(page);
  assert.deepEqual(await demo(page, (el) => [
    el.shadowRoot.querySelectorAll('button.play').length,
    [...el.shadowRoot.querySelectorAll('canvas')].map((c) => c.dataset.chart).join(),
    el.shadowRoot.querySelector('.root').dataset.theme,
    el.shadowRoot.querySelectorAll('.notice').length,
  ], null, '#a'), [0, 'curves', 'dark', 1]);
  assert.equal(await page.evaluate(() => location.search), '', 'embedded demos never write the address');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('a hidden tab pauses training, and showing it again resumes', async () => {
  const { page, consoleErrors } = await open();
  await demo(page, (el) => el.play());
  await page.waitForFunction(() => document.querySelector('covalign-demo').step > 5);
  // What the browser does when the tab goes to the background.
  const setHidden = (hidden) => page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  await nextFrames(page);
  const parked = await demo(page, (el) => el.step);
  await page.waitForTimeout(300);
  assert.equal(await demo(page, (el) => el.step), parked, 'a hidden tab kept training');
  assert.equal(await demo(page, (el) => el.playing), true, 'hiding is not pressing Pause');
  await setHidden(false);
  await page.waitForFunction((p) => document.querySelector('covalign-demo').step > p + 5, parked);
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

test('with reduced motion requested, autoplay does not start', async () => {
  const context = await browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.route(`${server.url}blog.html`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
    <link rel="icon" href="data:,"><script type="module" src="/www/covalign.js"></script>
    <covalign-demo autoplay></covalign-demo>` }));
  await page.goto(`${server.url}blog.html`);
  await page.evaluate(() => customElements.whenDefined('covalign-demo').then(() => document.querySelector('covalign-demo').ready));
  await page.waitForTimeout(300);
  assert.deepEqual(await demo(page, (el) => [el.playing, el.step]), [false, 0]);
  await context.close();
});

async function assertNoOverlap(page) {
  const problems = await demo(page, (el) => {
    const boxes = [...el.shadowRoot.querySelectorAll('.panel, fieldset, .toolbar, .readout')].map((n) => [n.className || n.localName, n.getBoundingClientRect()]);
    const out = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [na, a] = boxes[i];
        const [nb, b] = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(`${na} overlaps ${nb}`);
      }
    }
    if (document.documentElement.scrollWidth > innerWidth) out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${innerWidth}px window`);
    const [data, weights] = ['data', 'weights'].map((c) => el.shadowRoot.querySelector(`canvas[data-chart="${c}"]`).getBoundingClientRect());
    if (innerWidth > 700 && (Math.abs(data.top - weights.top) > 1 || Math.abs(data.width - weights.width) > 1)) out.push('data and weights panels are not aligned');
    return out;
  });
  assert.deepEqual(problems, []);
}

test('screenshots at 1280×900 and 360×800 with nothing overlapping', async () => {
  for (const [name, viewport] of [['page', { width: 1280, height: 900 }], ['page-360', { width: 360, height: 800 }]]) {
    const { page, consoleErrors } = await open('', viewport);
    await demo(page, (el) => el.advance(400));
    await nextFrames(page);
    await assertNoOverlap(page);
    await screenshot(page, name);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  }
});

test('nothing overlaps at any width from 360 px to 2560 px', async () => {
  const { page, consoleErrors } = await open('?dim=16&spectrum=power:2&basis=random');
  for (const width of [360, 420, 540, 600, 700, 800, 1024, 1100, 1440, 1920, 2560]) {
    await page.setViewportSize({ width, height: 900 });
    await nextFrames(page);
    await assertNoOverlap(page).catch((err) => { err.message = `at ${width}px: ${err.message}`; throw err; });
  }
  assert.deepEqual(consoleErrors, []);
  await page.context().close();
});

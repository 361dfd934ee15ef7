// What must not freeze or break the page: a network too large for a tab, a speed too high for
// the network, an engine call that throws, shortcuts a reader turns off, a race element that
// is removed and put back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { demo, nextFrames, openDemoPage } from './demo-helpers.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

test('an address asking for a network too large for a tab says so and runs the default sizes', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?dim=16&hidden=4096&hidden2=4096&ensemble=8');
  const notice = await page.locator('covalign-demo .notice').first().textContent();
  assert.match(notice, /too large/);
  const query = new URLSearchParams(await demo(page, (el) => el.query));
  assert.deepEqual([query.get('dim'), query.get('hidden'), query.get('hidden2'), query.get('ensemble')], ['16', '256', '0', '1']);
  assert.equal(await demo(page, (el) => el.advance(5)), 5, 'it still trains');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('at a speed the network cannot keep up with, each frame trains only what fits and Pause still works', async () => {
  // About 0.8 M parameters: a step takes tens of milliseconds in wasm, so 500 steps a frame
  // would freeze the tab for many seconds.
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?dim=128&hidden=4096&classes=64&speed=500&spectrum=power:1');
  await demo(page, (el) => el.play());
  await page.waitForFunction(() => document.querySelector('covalign-demo').step >= 3, null, { timeout: 30000 });
  // The speed label says what a frame actually takes, not the 500 asked for.
  const label = await page.locator('covalign-demo .speed-value').textContent();
  const fit = Number(label.match(/^≈(\d+) \/ frame$/)?.[1]);
  assert.ok(fit >= 1 && fit < 500, `speed label '${label}'`);
  await page.locator('covalign-demo button.play').click(); // pause, through the real button
  const step = await demo(page, (el) => el.step);
  assert.equal(await demo(page, (el) => el.playing), false);
  assert.ok(step < 500, `${step} steps: the first frame alone trained the whole speed`);
  await nextFrames(page);
  assert.equal(await demo(page, (el) => el.step), step, 'it stopped where it was paused');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('advance() takes only sensible step counts', async () => {
  const { context, page } = await openDemoPage(browser, server, '?hidden=16');
  assert.deepEqual(await demo(page, (el) => [el.advance(-1), el.advance('x'), el.advance(2.7), el.step]), [0, 0, 2, 2]);
  await context.close();
});

test('an engine call that throws stops the loop with a message instead of freezing silently', async () => {
  const { context, page } = await openDemoPage(browser, server, '');
  await demo(page, (el) => {
    el._app.step = () => { throw new Error('simulated engine failure'); };
    el.play();
  });
  await page.waitForFunction(() => document.querySelector('covalign-demo').playing === false, null, { timeout: 5000 });
  const text = await page.locator('covalign-demo .notice.error').first().textContent();
  assert.match(text, /internal error \(simulated engine failure\)/);
  assert.match(text, /Reload/);
  // The rest of the page still answers.
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('button.play').textContent), 'Play');
  await context.close();
});

test('single-key shortcuts can be turned off in the help, and keyboard="off" has none', async () => {
  const { context, page } = await openDemoPage(browser, server, '');
  await page.keyboard.press('?');
  const toggle = page.locator('covalign-demo dialog.help input#shortcuts-on');
  assert.ok(await toggle.isChecked());
  await toggle.uncheck();
  assert.equal(await toggle.isChecked(), false);
  await page.keyboard.press('Escape');
  await page.locator('covalign-demo dialog.help').waitFor({ state: 'hidden' });
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await nextFrames(page);
  const state = await demo(page, (el) => [el.playing, el.step, el.shadowRoot.activeElement?.outerHTML.slice(0, 80) ?? document.activeElement?.localName]);
  assert.deepEqual(state.slice(0, 2), [false, 0], `the keys still drove the demo (focus: ${state[2]})`);
  // Remembered for the next visit (a reload right away could race the storage write, so the
  // stored value is read instead); turned back on, the keys work again.
  assert.equal(await page.evaluate(() => localStorage.getItem('covalign-shortcuts')), 'off');
  await page.locator('covalign-demo button.help-button').click();
  await toggle.check();
  await page.keyboard.press('Escape');
  await page.locator('covalign-demo dialog.help').waitFor({ state: 'hidden' });
  await page.keyboard.press('ArrowRight');
  assert.equal(await demo(page, (el) => el.step), 1);
  assert.equal(await page.evaluate(() => localStorage.getItem('covalign-shortcuts')), 'on');
  await context.close();

  const other = await openDemoPage(browser, server, 'tests/e2e/blank.html', { wait: false });
  await other.page.setContent(`<script type="module" src="${server.url}www/covalign.js"></script>
    <covalign-demo keyboard="off" hidden="16"></covalign-demo>`);
  await other.page.evaluate(() => customElements.whenDefined('covalign-demo').then(() => document.querySelector('covalign-demo').ready));
  await other.page.locator('covalign-demo canvas').first().click(); // focus inside the demo
  await other.page.keyboard.press('ArrowRight');
  assert.equal(await demo(other.page, (el) => el.step), 0);
  // The same demo without the attribute does take the key.
  await demo(other.page, (el) => el.removeAttribute('keyboard'));
  await other.page.locator('covalign-demo canvas').first().click();
  await other.page.keyboard.press('ArrowRight');
  assert.equal(await demo(other.page, (el) => el.step), 1);
  await other.context.close();
});

test('a race element removed from the page lets its engine go, and works again when put back', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, 'tests/e2e/blank.html', { wait: false });
  await page.setContent(`<script type="module" src="${server.url}www/race.js"></script>
    <covalign-race preset="helps" repeats="1" upstream_steps="5" downstream_steps="4" autoplay="false"></covalign-race>`);
  await page.evaluate(() => customElements.whenDefined('covalign-race').then(() => document.querySelector('covalign-race').ready));
  assert.equal(await page.evaluate(() => document.querySelector('covalign-race').running), false, 'autoplay="false" means off');
  assert.ok(await page.evaluate(() => document.querySelector('covalign-race').progress));
  const afterRemove = await page.evaluate(() => {
    const race = document.querySelector('covalign-race');
    race.remove();
    window.parked = race;
    return race.progress;
  });
  assert.equal(afterRemove, null, 'the removed race still holds its engine object');
  await page.evaluate(() => document.body.append(window.parked));
  await page.evaluate(() => new Promise((done) => {
    window.parked.addEventListener('covalign-race-done', done, { once: true });
    window.parked.run();
  }));
  assert.equal(await page.evaluate(() => window.parked.progress.phase), 'done');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('the transfer race fits a 360 px screen: nothing wider than the page', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, 'tests/e2e/blank.html', { viewport: { width: 360, height: 800 }, wait: false });
  await page.setContent(`<script type="module" src="${server.url}www/race.js"></script>
    <covalign-race preset="hurts" repeats="1" upstream_steps="20" downstream_steps="10"></covalign-race>`);
  await page.evaluate(() => customElements.whenDefined('covalign-race').then(() => document.querySelector('covalign-race').ready));
  await page.evaluate(() => new Promise((done) => {
    const race = document.querySelector('covalign-race');
    race.addEventListener('covalign-race-done', done, { once: true });
    race.run();
  }));
  // The unit table (two hidden layers here) was the widest part.
  assert.ok(await page.evaluate(() => document.querySelector('covalign-race').shadowRoot.querySelectorAll('table tr').length) >= 5);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(widths[0] <= widths[1], `the page scrolls sideways: ${widths[0]} px wide in a ${widths[1]} px window`);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

// Accessibility and lecture mode: a keyboard-only pass that reaches and operates every
// control with a visible focus ring; names for every control and chart (from Chromium's own
// accessibility tree); the colour-blind-safe palette; reduced motion; fullscreen, high
// contrast, slow motion and the keyboard help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_DIR, useBrowser } from './harness.mjs';
import { demo, downloadOf, everyDemo, nextFrames, openDemoPage } from './demo-helpers.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

/** The focused element, looking into shadow roots: {id (data-kb), tag, type, role, outline}. */
const focused = (page) => page.evaluate(() => {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    id: el.dataset.kb ?? null, tag: el.localName, type: el.type ?? null, role: el.getAttribute('role'),
    text: (el.getAttribute('aria-label') || el.textContent || el.id || '').trim().slice(0, 40),
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
  };
});

/** Tags every control the keyboard should reach now (enabled, rendered) with data-kb. */
const tagControls = (page) => page.evaluate(() => {
  const selector = 'a[href], button, input, select, summary, [tabindex]:not([tabindex="-1"])';
  const roots = [document, ...[...document.querySelectorAll('covalign-demo')].map((d) => d.shadowRoot)];
  const tagged = [];
  let n = window.__kbNext ?? 0;
  for (const root of roots) {
    for (const el of root.querySelectorAll(selector)) {
      if (el.disabled || !el.checkVisibility() || el.dataset.kb) continue;
      el.dataset.kb = String(n++);
      tagged.push(`${el.dataset.kb}:${el.localName}${el.type ? `[${el.type}]` : ''} ${(el.getAttribute('aria-label') || el.textContent || el.id).trim().slice(0, 30)}`);
    }
  }
  window.__kbNext = n;
  return tagged;
});

/** Counts events on the focused control while `keys` are pressed. */
async function pressOn(page, keys) {
  await page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    window.__events = { click: 0, input: 0, change: 0 };
    window.__value = () => el.getAttribute('aria-valuenow');
    for (const type of ['click', 'input', 'change']) el.addEventListener(type, () => window.__events[type]++);
    window.__before = window.__value();
  });
  for (const key of keys) await page.keyboard.press(key);
  return page.evaluate(() => ({ ...window.__events, valueChanged: window.__value() !== window.__before }));
}

const demoState = (page) => demo(page, (el) => ({ playing: el.playing, step: el.step }));

test('keyboard only: Tab reaches every control with a visible focus ring, and the keys operate each one', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '', { viewport: { width: 1280, height: 900 } });
  const expected = await tagControls(page);
  assert.ok(expected.length > 35, `only ${expected.length} controls found`);
  const reached = new Map();
  const operated = [];
  const rings = [];
  for (let presses = 0; presses < 200; presses++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    if (f.id == null) {
      // A control that appeared after the start (the export menu's items): tag and go on.
      await tagControls(page);
      const again = await focused(page);
      if (again?.id == null) continue;
      Object.assign(f, again);
    }
    if (reached.has(f.id)) break; // round the page once
    reached.set(f.id, f);
    if (!/^(solid|auto) ([2-9]|\d\d)/.test(f.outline) && !(f.tag === 'a' && f.outline.startsWith('auto'))) rings.push(`${f.tag} "${f.text}": outline ${f.outline}`);
    // Operate it, with the keys a keyboard user would press, and check that it responded.
    const label = `${f.tag}${f.type ? `[${f.type}]` : ''} "${f.text}"`;
    let ok = true;
    if (f.tag === 'a') {
      continue; // a link: reaching it is enough (following it leaves the page)
    } else if (f.tag === 'button' && /^(Play|Pause)$/.test(f.text)) {
      await page.keyboard.press('Enter');
      ok &&= (await demoState(page)).playing === true;
      await page.keyboard.press(' ');
      ok &&= (await demoState(page)).playing === false;
    } else if (f.tag === 'button' && f.text === 'Step') {
      const { step } = await demoState(page);
      await page.keyboard.press('Enter');
      ok = (await demoState(page)).step === step + 1;
    } else if (f.tag === 'button' && f.text === 'Reset') {
      await page.keyboard.press(' ');
      ok = (await demoState(page)).step === 0;
    } else if (f.tag === 'button' && f.text === 'Fullscreen') {
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.fullscreenElement?.localName === 'covalign-demo');
      // Focus has left the button: Space plays (a lecturer's first key), not "Exit fullscreen".
      await page.keyboard.press(' ');
      ok = (await demoState(page)).playing === true && (await page.evaluate(() => Boolean(document.fullscreenElement)));
      await page.keyboard.press(' ');
      await page.keyboard.press('f');
      await page.waitForFunction(() => !document.fullscreenElement);
      // ... and comes back to the button on leaving (with the fullscreenchange event, which
      // may follow the exit by a frame).
      let back = false;
      for (let i = 0; i < 40 && !back; i++) back = (await focused(page))?.id === f.id || (await page.waitForTimeout(50), false);
      ok &&= back;
    } else if (f.tag === 'button' && f.text === 'Keyboard shortcuts') {
      await page.keyboard.press('Enter');
      ok = (await focused(page))?.text === 'Close';
      await page.keyboard.press('Escape');
      ok &&= (await focused(page))?.id === f.id; // the focus comes back
    } else if (f.tag === 'button' && (await demo(page, (el, id) => Boolean(el.shadowRoot.querySelector(`[data-kb="${id}"]`).dataset.export), f.id))) {
      const { name } = await downloadOf(page, () => page.keyboard.press('Enter'));
      ok = /^covalign-/.test(name);
    } else if (f.tag === 'button' || f.tag === 'summary') {
      ok = (await pressOn(page, ['Enter'])).click === 1;
    } else if (f.tag === 'input' && f.type === 'checkbox') {
      ok = (await pressOn(page, [' ', ' '])).change === 2;
    } else if (f.tag === 'input' && f.type === 'range') {
      ok = (await pressOn(page, ['ArrowRight', 'ArrowLeft'])).input === 2;
    } else if (f.tag === 'input' && f.type === 'number') {
      ok = (await pressOn(page, ['ArrowUp', 'Enter', 'ArrowDown', 'Enter'])).change >= 2;
    } else if (f.tag === 'input') {
      ok = (await pressOn(page, ['End', 'x', 'Backspace', 'Enter'])).input === 2;
    } else if (f.tag === 'select') {
      const last = await page.evaluate(() => { let el = document.activeElement; while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement; return el.selectedIndex === el.options.length - 1; });
      ok = (await pressOn(page, last ? ['ArrowUp', 'ArrowDown'] : ['ArrowDown', 'ArrowUp'])).change === 2;
    } else if (f.role === 'slider') {
      ok = (await pressOn(page, ['ArrowUp'])).valueChanged;
      await page.keyboard.press('ArrowDown');
    } else {
      ok = false;
    }
    operated.push(`${ok ? 'ok' : 'FAILED'} ${label}`);
  }
  if (process.env.DEBUG_KB) console.log(operated, [...reached.values()]);
  const missed = expected.filter((e) => !reached.has(e.split(':')[0]));
  assert.deepEqual(missed, [], 'controls the keyboard never reached');
  assert.deepEqual(rings, [], 'focused controls without a visible focus ring');
  assert.deepEqual(operated.filter((o) => !o.startsWith('ok')), [], 'controls the keyboard could not operate');
  assert.ok(operated.length > 40, `only ${operated.length} controls operated`);
  // The export menu's items were reached once the menu was opened with Enter.
  assert.ok(operated.some((o) => o.includes('Metric history')), 'the export menu items were not reached');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('every control and chart has an accessible name; chart names say what they show now', async () => {
  for (const path of ['', '?story=higher-d', 'examples/blog-post.html']) {
    const { context, page } = await openDemoPage(browser, server, path);
    await everyDemo(page, (el) => { el.pause(); el.reset(); el.advance(50); });
    await page.waitForTimeout(1100); // names of charts are refreshed once a second
    const client = await context.newCDPSession(page);
    const { nodes } = await client.send('Accessibility.getFullAXTree');
    const NAMED = ['button', 'checkbox', 'slider', 'spinbutton', 'combobox', 'textbox', 'link', 'image', 'DisclosureTriangle'];
    const unnamed = nodes.filter((n) => !n.ignored && NAMED.includes(n.role?.value) && !n.name?.value?.trim())
      .map((n) => `${n.role.value} (backend node ${n.backendDOMNodeId})`);
    assert.deepEqual(unnamed, [], `${path || 'index'}: controls without a name`);
    const images = nodes.filter((n) => !n.ignored && n.role?.value === 'image').map((n) => n.name.value);
    assert.ok(images.length >= 2, `${path}: no chart images in the accessibility tree`);
    for (const name of images) assert.ok(name.length > 30, `${path}: a chart is only called "${name}"`);
    assert.ok(images.some((name) => /\b50\b/.test(name)), `${path}: no chart name mentions the current step: ${images[0]}`);
    await context.close();
  }
});

test('colours: data blue #0072B2 and weights vermillion #D55E00, in the legend dots and on the charts', async () => {
  const { context, page } = await openDemoPage(browser, server, '?theme=light');
  const counts = await demo(page, (el) => {
    const near = (canvas, [r, g, b]) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12) n++;
      return n;
    };
    const canvas = (c) => el.shadowRoot.querySelector(`canvas[data-chart="${c}"]`);
    const swatch = (c) => getComputedStyle(el.shadowRoot.querySelector(`.swatch.${c}`)).backgroundColor;
    return { data: near(canvas('data'), [0x00, 0x72, 0xb2]), weights: near(canvas('weights'), [0xd5, 0x5e, 0x00]), swatches: [swatch('data'), swatch('weights')] };
  });
  assert.ok(counts.data > 200, `the data chart has ${counts.data} blue pixels`);
  assert.ok(counts.weights > 200, `the weights chart has ${counts.weights} vermillion pixels`);
  assert.deepEqual(counts.swatches, ['rgb(0, 114, 178)', 'rgb(213, 94, 0)']);
  await context.close();
});

test('reduced motion: no demo starts by itself, on the blog, the page or a story chapter', async () => {
  for (const path of ['examples/blog-post.html', '?autoplay', '?story=rotation']) {
    const { context, page, consoleErrors } = await openDemoPage(browser, server, path, { reducedMotion: 'reduce' });
    await page.waitForTimeout(500);
    const states = await everyDemo(page, (el) => `${el.playing},${el.step}`);
    assert.ok(states.every((s) => s === 'false,0'), `${path}: ${states}`);
    // Play still works when the reader asks for it.
    await page.locator('covalign-demo button.play').first().click();
    await page.waitForFunction(() => document.querySelector('covalign-demo').step > 0);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  }
});

test('lecture mode: f fullscreen, c high contrast, s slow motion, ? help; all on one 1920×1080 screen', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '', { viewport: { width: 1920, height: 1080 } });
  const fontSize = () => demo(page, (el) => parseFloat(getComputedStyle(el.shadowRoot.querySelector('.root')).fontSize));
  const normal = await fontSize();
  await page.locator('h1').click();
  await page.keyboard.press('?');
  const help = page.locator('covalign-demo dialog.help');
  assert.ok(await help.isVisible());
  const rows = await help.locator('tr').allTextContents();
  for (const key of ['Space', '→', 'r', 's', 'c', 'f', 'Page Down', '?', 'Esc']) assert.ok(rows.some((r) => r.includes(key)), `the help does not list ${key}`);
  await page.keyboard.press('Escape');
  assert.equal(await help.isVisible(), false);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === document.querySelector('covalign-demo'), null, { timeout: 5000 })
    .catch(async (err) => { throw new Error(`${err.message}; notices: ${await page.locator('covalign-demo .notice').allTextContents()}`); });
  await page.keyboard.press('c');
  await page.keyboard.press('s');
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('.root').dataset.theme), 'contrast');
  assert.equal(await page.locator('covalign-demo .slow input').isChecked(), true);
  await page.waitForFunction(() => /theme=contrast/.test(location.search) && /speed=slow/.test(location.search));
  assert.ok((await fontSize()) > 1.3 * normal, `type not larger in lecture mode: ${await fontSize()} vs ${normal} px`);
  // Slow motion: about six steps a second.
  await page.keyboard.press(' ');
  await page.waitForTimeout(1000);
  await page.keyboard.press(' ');
  const slow = (await demoState(page)).step;
  assert.ok(slow >= 2 && slow <= 15, `slow motion took ${slow} steps in a second`);
  await demo(page, (el) => el.advance(600));
  await nextFrames(page);
  await page.waitForTimeout(300);
  // Data, weights and the curves fit on the screen, side by side with the settings.
  const boxes = await demo(page, (el) => Object.fromEntries(['data', 'weights', 'curves'].map((c) => {
    const r = el.shadowRoot.querySelector(`.panel[data-panel="${c}"]`).getBoundingClientRect();
    return [c, [r.left, r.top, r.right, r.bottom].map(Math.round)];
  })));
  for (const [chart, [left, top, right, bottom]] of Object.entries(boxes)) {
    assert.ok(left >= 0 && top >= 0 && right <= 1920 && bottom <= 1080, `${chart} panel is off screen: ${[left, top, right, bottom]}`);
  }
  // The screen as the audience sees it (a full-page capture would resize the fullscreen view).
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'lecture.png') });
  await page.keyboard.press('f');
  await page.waitForFunction(() => !document.fullscreenElement);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

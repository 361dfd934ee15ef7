// The guided story: every chapter is one URL (?story=id), loads its settings from a clean
// slate, plays to about its step (or waits, under reduced motion), and leads to the next.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, screenshot, startServer } from './harness.mjs';
import { demo, nextFrames, openDemoPage } from './demo-helpers.mjs';

let server;
let browser;
let story; // [{id, title, query, text, steps}] from the engine

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const { context, page } = await openDemoPage(browser, server, '');
  story = await demo(page, (el) => el.story);
  await context.close();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const panelText = (page, selector) => page.locator(`covalign-demo .story ${selector}`).textContent();
const search = (page) => page.evaluate(() => location.search);

test('the story has its chapters, in the order of the argument, the transfer race last', () => {
  assert.deepEqual(story.map((c) => c.id), ['isotropic', 'rotation', 'symmetry', 'aniso-init', 'teacher', 'adam', 'higher-d', 'online', 'helps', 'depends', 'hurts']);
  for (const chapter of story) {
    assert.ok(chapter.title && chapter.text, chapter.id);
    assert.ok(chapter.kind === 'race' || chapter.steps > 0, chapter.id);
  }
});

test('every chapter loads from its URL, applies its settings and plays, with no console error', async () => {
  for (const [index, chapter] of story.entries()) {
    const { context, page, consoleErrors, foreignRequests } = await openDemoPage(browser, server, `?story=${chapter.id}`);
    assert.equal(await panelText(page, 'h2'), chapter.title);
    assert.equal(await panelText(page, '.text'), chapter.text);
    assert.equal(await panelText(page, '.count'), `Chapter ${index + 1} of ${story.length}`);
    if (chapter.kind === 'race') {
      // The transfer race replaces the alignment panels, with the chapter's preset, and runs.
      assert.equal(await demo(page, (el) => el.shadowRoot.querySelectorAll('canvas[data-chart], .toolbar').length), 0);
      assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('covalign-race')?.getAttribute('preset')), chapter.id);
      await page.waitForFunction(() => document.querySelector('covalign-demo').shadowRoot.querySelector('covalign-race').progress?.fraction > 0.02, null, { timeout: 15000 });
    } else {
      // The engine runs the chapter's settings over the defaults.
      const query = new URLSearchParams(await demo(page, (el) => el.query));
      for (const [key, value] of new URLSearchParams(chapter.query)) assert.equal(query.get(key), value, `${chapter.id}: ${key}`);
      // It plays by itself.
      assert.equal(await demo(page, (el) => el.playing), true, `${chapter.id} does not play`);
      await page.waitForFunction(() => document.querySelector('covalign-demo').step >= 30, null, { timeout: 15000 });
    }
    // The address stays the chapter's own: ?story=id.
    assert.equal(await search(page), `?story=${chapter.id}`);
    assert.deepEqual(consoleErrors, [], chapter.id);
    assert.deepEqual(foreignRequests, [], chapter.id);
    await context.close();
  }
});

test('a chapter stops at about its step; the reader can play on', async () => {
  // speed=100 only to keep the test short: 800 steps in a few frames.
  const { context, page } = await openDemoPage(browser, server, '?story=rotation&speed=100');
  await page.waitForFunction(() => !document.querySelector('covalign-demo').playing, null, { timeout: 15000 });
  assert.equal(await demo(page, (el) => el.step), 800);
  assert.equal(await page.locator('covalign-demo .story .skip').isDisabled(), true, 'the jump is pointless once there');
  await page.locator('covalign-demo button.play').click();
  await page.waitForFunction(() => document.querySelector('covalign-demo').step > 900);
  await context.close();
});

test('previous, next, the chapter index, the keys and Back walk through the story', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?story=isotropic');
  const chapter = () => demo(page, (el) => el.chapter);
  assert.equal(await page.locator('covalign-demo .story .previous').isDisabled(), true);
  await page.locator('covalign-demo .story .next').click();
  assert.equal(await chapter(), 'rotation');
  assert.equal(await search(page), '?story=rotation');
  assert.equal(await panelText(page, 'h2'), story[1].title);
  // A fresh start: step 0 (or a few frames into the autoplay), the chapter's settings only.
  assert.ok((await demo(page, (el) => el.step)) < 100);
  assert.match(await demo(page, (el) => el.query), /spectrum=power:2&/);
  // Keys: n / PageDown next, p / PageUp previous.
  await page.locator('h1').click();
  await page.keyboard.press('n');
  assert.equal(await chapter(), 'symmetry');
  await page.keyboard.press('PageDown');
  assert.equal(await chapter(), 'aniso-init');
  await page.keyboard.press('p');
  assert.equal(await chapter(), 'symmetry');
  // A reader's edit in a chapter, and at once (before the throttled address write) the next
  // chapter: Back must bring the chapter back with the edit.
  await page.locator('covalign-demo #field-lr').fill('0.15');
  await page.locator('covalign-demo #field-lr').press('Enter');
  assert.match(await demo(page, (el) => el.query), /lr=0.15&/);
  // The index jumps anywhere.
  await page.locator('covalign-demo .story select.chapter-index').selectOption('online');
  assert.equal(await chapter(), 'online');
  assert.match(await demo(page, (el) => el.query), /samples=0&/);
  // From the last alignment chapter into the transfer race, and back out of it.
  await page.locator('covalign-demo .story .next').click();
  assert.equal(await chapter(), 'helps');
  await page.locator('covalign-demo .story select.chapter-index').selectOption('hurts');
  assert.equal(await page.locator('covalign-demo .story .next').isDisabled(), true);
  assert.equal(await demo(page, (el) => el.shadowRoot.querySelector('covalign-race').getAttribute('preset')), 'hurts');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('covalign-demo').chapter === 'helps');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('covalign-demo').chapter === 'online');
  assert.ok(await page.locator('covalign-demo button.play').isVisible(), 'the alignment view is back');
  // Back goes to the previous chapter, with its settings.
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('covalign-demo').chapter === 'symmetry');
  assert.match(await demo(page, (el) => el.query), /basis=angle:75&/);
  assert.match(await demo(page, (el) => el.query), /samples=512&/);
  assert.match(await demo(page, (el) => el.query), /lr=0.15&/, 'Back lost the edit made in the chapter');
  // Leaving keeps the settings and writes them all to the address.
  await page.locator('covalign-demo .story .leave').click();
  assert.equal(await page.locator('covalign-demo .story').count(), 0);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('basis') === 'angle:75' && !location.search.includes('story'));
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('a chapter with a changed setting is still one URL: reloading it restores both', async () => {
  const { context, page } = await openDemoPage(browser, server, '?story=higher-d');
  await demo(page, (el) => el.pause());
  await page.locator('covalign-demo #field-hidden').fill('128');
  await page.locator('covalign-demo #field-hidden').press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('hidden') === '128');
  const url = page.url();
  assert.equal(new URL(url).searchParams.get('story'), 'higher-d');
  const { context: second, page: reloaded } = await openDemoPage(browser, server, new URL(url).search);
  assert.equal(await demo(reloaded, (el) => el.chapter), 'higher-d');
  assert.match(await demo(reloaded, (el) => el.query), /dim=16&.*hidden=128&/);
  await context.close();
  await second.close();
});

test('an unknown chapter says so and names the real ones', async () => {
  const { context, page } = await openDemoPage(browser, server, '?story=nope');
  const notice = page.locator('covalign-demo .notice');
  assert.match(await notice.textContent(), /no chapter “nope”.*isotropic, rotation/);
  assert.equal(await page.locator('covalign-demo .story').count(), 0);
  assert.ok(await page.locator('covalign-demo button.play').isVisible(), 'the demo still runs');
  await context.close();
});

test('with reduced motion a chapter waits for the reader; Jump trains to its step at once', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?story=teacher', { reducedMotion: 'reduce' });
  await page.waitForTimeout(300);
  assert.deepEqual(await demo(page, (el) => [el.playing, el.step]), [false, 0]);
  await page.locator('covalign-demo .story .skip').click();
  assert.deepEqual(await demo(page, (el) => [el.playing, el.step]), [false, 1500]);
  assert.ok((await demo(page, (el) => el.metrics.accuracy)) > 0.9, 'the teacher is learned');
  // Next chapter: again nothing moves by itself.
  await page.locator('covalign-demo .story .next').click();
  await page.waitForTimeout(300);
  assert.deepEqual(await demo(page, (el) => [el.chapter, el.playing, el.step]), ['adam', false, 0]);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('screenshot of a chapter (test-results/story.png)', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?story=higher-d', { viewport: { width: 1280, height: 900 } });
  await page.locator('covalign-demo .story .skip').click();
  await nextFrames(page);
  await page.waitForTimeout(300);
  // The chapter bar: nothing in it overlaps or sticks out.
  const problems = await demo(page, (el) => {
    const bar = el.shadowRoot.querySelector('.story').getBoundingClientRect();
    const parts = [...el.shadowRoot.querySelectorAll('.story h2, .story .text, .story button, .story select')].map((n) => [n.className || n.localName, n.getBoundingClientRect()]);
    const out = parts.filter(([, r]) => r.left < bar.left || r.right > bar.right + 0.5).map(([n]) => `${n} sticks out`);
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const [na, a] = parts[i];
        const [nb, b] = parts[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(`${na} overlaps ${nb}`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, []);
  await screenshot(page, 'story');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

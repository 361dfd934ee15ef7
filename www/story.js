// The guided story: chapters from the engine (story_json: id, title, query, text, steps), one
// URL each (?story=id). Loading a chapter gives the demo the chapter's settings from a clean
// slate and plays to about `steps`; this file builds the chapter bar and says what a chapter
// kind does.
import { h, reducedMotion } from './controls.js';
import { splitQuery } from './url-state.js';

/**
 * Chapter kinds. An `alignment` chapter (the default) is the live alignment view: it takes the
 * chapter's settings and plays to `steps`. Any other kind registers a view that replaces the
 * panels under the chapter bar: registerChapterKind(kind, {render(demo, chapter) -> Element,
 * command?(element, name) -> false when not handled}). The transfer race's chapters (`race`)
 * are registered by race-chapter.js.
 */
const KINDS = new Map();
export function registerChapterKind(kind, view) { KINDS.set(kind, view); }
export const chapterView = (chapter) => (chapter ? KINDS.get(chapter.kind) ?? null : null);

/** Playing speed (steps per frame) that reaches a chapter's `steps` in about five seconds. */
export const chapterSpeed = (chapter) => Math.max(3, Math.min(50, Math.ceil(chapter.steps / 300)));

/** The chapter named `id` ('' = the first), or null. */
export function findChapter(story, id) {
  if (id == null) return null;
  return id === '' ? story[0] ?? null : story.find((c) => c.id === id) ?? null;
}

/**
 * The chapter bar: which chapter of how many (a select: the index), the title, the sentences,
 * previous / next, a button that jumps straight to the chapter's step (reduced motion, or the
 * impatient), and a way out. actions: {go(id), skip(), leave()}.
 */
export function buildStoryPanel(story, actions) {
  const index = h('select', { class: 'chapter-index', 'aria-label': 'Chapter' },
    ...story.map((c, i) => h('option', { value: c.id }, `${i + 1}. ${c.title}`)));
  index.addEventListener('change', () => actions.go(index.value));
  const count = h('span', { class: 'count' });
  const title = h('h2', { id: 'story-title' });
  const text = h('p', { class: 'text' });
  const previous = h('button', { type: 'button', class: 'previous', title: 'Previous chapter (p)' }, '← Previous');
  const next = h('button', { type: 'button', class: 'next primary', title: 'Next chapter (n)' }, 'Next →');
  const skip = h('button', { type: 'button', class: 'skip', onclick: actions.skip });
  const leave = h('button', { type: 'button', class: 'leave', title: 'Keep these settings and leave the guided story', onclick: actions.leave }, 'Leave the story');
  let position = 0;
  previous.addEventListener('click', () => position > 0 && actions.go(story[position - 1].id));
  next.addEventListener('click', () => position < story.length - 1 && actions.go(story[position + 1].id));
  const element = h('section', { class: 'story', 'aria-labelledby': 'story-title' },
    h('div', { class: 'story-head' }, h('span', { class: 'kicker' }, 'Guided story'), count, h('label', { class: 'index-label' }, h('span', { class: 'sr-only' }, 'Go to chapter'), index)),
    title, text,
    h('div', { class: 'story-nav' }, previous, next, skip, leave));
  return {
    element,
    show(chapter) {
      position = story.indexOf(chapter);
      count.textContent = `Chapter ${position + 1} of ${story.length}`;
      index.value = chapter.id;
      title.textContent = chapter.title;
      text.textContent = chapter.text;
      previous.disabled = position === 0;
      next.disabled = position === story.length - 1;
      skip.hidden = !(chapter.steps > 0);
      skip.textContent = `Jump to step ${chapter.steps.toLocaleString('en')}`;
      skip.title = `Train to step ${chapter.steps} at once, without the animation`;
    },
    /** The jump is pointless once the chapter's step is reached (or without steps: the race). */
    sync(step, chapter) {
      skip.hidden = !(chapter.steps > 0);
      skip.disabled = step >= chapter.steps;
    },
  };
}

/**
 * The element's story methods (installed on <covalign-demo> by covalign.js). They use the
 * element's own state: _app, _engine, _view, _chapter, _storyPanel and its render / URL helpers.
 */
export class StoryMethods {
  /** The guided story's chapters [{id, title, query, text, steps}]. */
  get story() { return this._engine?.story ?? []; }
  /** The current chapter's id, or null outside the story. */
  get chapter() { return this._chapter?.id ?? null; }

  /** Loads a chapter: its settings from a clean slate, played to about its step. */
  loadChapter(id, { push = true, settings = '' } = {}) {
    const chapter = this._app && this._findChapter(id);
    if (!chapter) return false;
    this.pause();
    // `settings`: what the reader had changed in the chapter (Back to an edited chapter).
    this._replaceApp([chapter.query, settings].filter(Boolean).join('&'));
    this._enterChapter(chapter);
    delete this._view.speed; // each chapter plays at its own pace
    this._notices.replaceChildren();
    this._render(); // the chapter bar, and the chapter's own view if it has one
    this._startChapter();
    this._writeUrl(push);
    return true;
  }

  /** Next (+1) or previous (−1) chapter; false at either end or outside the story. */
  nextChapter(delta = 1) {
    const next = this._chapter && this.story[this.story.indexOf(this._chapter) + delta];
    return next ? this.loadChapter(next.id) : false;
  }

  /** Keeps the current settings and leaves the guided story. */
  leaveStory() {
    if (!this._chapter) return;
    this._chapter = null;
    delete this._view.story;
    this._render();
    this._writeUrl(true);
  }

  _findChapter(id) {
    const chapter = findChapter(this.story, id);
    if (id != null && !chapter) {
      this._notice(`There is no chapter “${id}” in the guided story. Chapters: ${this.story.map((c) => c.id).join(', ')}.`, { error: true });
    }
    return chapter;
  }

  _enterChapter(chapter) {
    this._chapter = chapter;
    this._view.story = chapter.id;
    // The chapter as written: while the settings still equal it, its address is just ?story=id.
    const probe = new this._engine.App(chapter.query);
    this._chapterQuery = probe.query();
    probe.free();
  }

  /** Plays to about the chapter's step, unless motion is to be reduced: then the reader starts it. */
  _startChapter() {
    const chapter = this._chapter;
    if (chapterView(chapter)) return; // its own view plays itself
    if (this._option('speed') == null) this._speed = chapterSpeed(chapter);
    this._syncChrome();
    if (reducedMotion()) return;
    this._playTo = chapter.steps;
    this.play();
  }

  _buildStoryPanel() {
    this._storyPanel ??= buildStoryPanel(this.story, {
      go: (id) => this.loadChapter(id),
      skip: () => { this.pause(); this.advance(Math.max(0, this._chapter.steps - this.step)); },
      leave: () => this.leaveStory(),
    });
    this._storyPanel.show(this._chapter);
    return this._storyPanel.element;
  }

  /** Back / Forward on the page's own demo: show what the address now says. */
  _followAddress() {
    const { engine, ui } = splitQuery(location.search);
    if (ui.story === this._view.story) return;
    if (ui.story != null) return this.loadChapter(ui.story, { push: false, settings: engine });
    this.pause();
    this._chapter = null;
    const at = this._parseAt(ui.at);
    delete ui.at;
    this._view = ui;
    this._replaceApp(engine);
    this._render();
    if (at) this._runTo(at);
  }
}

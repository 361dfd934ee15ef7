// <covalign-demo>: a tiny network trained on random labels, its first layer's weight
// covariance turning into alignment with the data covariance (Maennel et al., NeurIPS 2020).
//
//   <script type="module" src="https://example.org/covalign/www/covalign.js"></script>
//   <covalign-demo dim="2" spectrum="power:2" autoplay></covalign-demo>
//
// Attributes: every config key (same names as the URL query), plus controls (none | minimal |
// full), autoplay, until (autoplay stops at this step), panels (data,weights,curves,overlap,
// eigenmap,misalignment,alignment,training), height (of each chart), speed (steps per frame, or
// "slow"), theme (auto | light | dark | contrast), story (a chapter id of the guided story),
// keyboard (global: shortcuts work anywhere on the page) and url-state (the page's own demo:
// reads and writes the address). The engine (Rust → wasm) owns the model, the numbers and the
// pictures; this file owns the element's life, its state and the animation loop. The pieces
// of the view live beside it: controls, panels, story, lecture (keys, fullscreen, help),
// export, notices.
import { loadEngine, messageOf } from './engine.js';
import { CONTROL_KINDS, MAX_SPEED, buildSettings, buildToolbar, h, mixin, reducedMotion } from './controls.js';
import { createUrlWriter, splitQuery, uiQuery } from './url-state.js';
import { CSS } from './element-css.js';
import { parsePanels } from './panels.js';
import { Painter } from './painter.js';
import { ExportMethods, buildExportMenu } from './export.js';
import { buildHelp, buildThemeField, buildViewControls, keyCommand, toggleFullscreen } from './lecture.js';
import { StoryMethods, chapterView } from './story.js';
import { prefetchRace } from './race-chapter.js';
import { divergenceNotice, notice } from './notices.js';

// Observed view attributes. `at` (open paused at that step) is read once, at the start.
const VIEW_ATTRIBUTES = ['controls', 'autoplay', 'until', 'panels', 'height', 'speed', 'theme', 'story', 'url-state', 'keyboard'];
const DEFAULT_SPEED = 3; // steps per frame: the 2-D rotation takes a couple of seconds
const SLOW_FRAMES = 10; // slow motion: one step every 10 frames, about 6 steps a second
const LECTURE_SCALE = 1.4; // in fullscreen the charts' type and lines are this much larger (the back row)
// Training time per frame: at large sizes fewer steps than the speed asks for are taken, so
// that the page (and the Pause button) stays responsive; at least one step a frame.
const FRAME_BUDGET_MS = 25;
const MAX_ADVANCE = 1_000_000; // advance(n): one call never trains more than this
// One demo at a time takes the page's keys (keyboard="global" or url-state): the first one.
let globalKeyOwner = null;
// `hidden` is both a config key (the first layer's width) and HTML's boolean attribute:
// an empty value (el.hidden = true) is not a width, so it means "the default".
const isWidth = (name, value) => !(name === 'hidden' && value === '');
const isOn = (value) => value != null && value !== 'false' && value !== '0';

class CovalignDemo extends HTMLElement {
  static observedAttributes = [...Object.keys(CONTROL_KINDS), ...VIEW_ATTRIBUTES];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.append(h('style', {}, CSS));
    this._root = h('div', { class: 'root', tabindex: '-1' }, h('p', { class: 'loading' }, 'Loading the demo…'));
    this.shadowRoot.append(this._root);
    this._app = null;
    this._view = {}; // view options from the address or chosen in the demo; they beat attributes
    this._playing = false;
    this._playTo = null; // pause on reaching this step (autoplay's `until`, a story chapter)
    this._speed = DEFAULT_SPEED;
    this._slowFrame = 0;
    this._onScreen = false; // until the IntersectionObserver's first report
    this._raf = 0;
    this._dirty = true;
    this._drawErrors = new Set();
    this._chapter = null;
    // Kept across re-renders (a change of `controls` must not drop a notice or the help).
    this._notices = h('div', { class: 'status' });
    this._divergence = h('div', {});
    this._readout = h('p', { class: 'readout', 'aria-hidden': 'true' });
    this._liveReadout = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    this._help = buildHelp();
    this._painter = new Painter({
      host: this, readout: this._readout, liveReadout: this._liveReadout, onError: (chart, err) => this._reportDrawError(chart, err),
    });
    this.ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
    this.ready.catch(() => {}); // a failed start is shown in the element; awaiting it still throws
    this._msPerStep = 0; // measured pace of training, for the frame budget
    this._failed = false;
    this._tick = this._tick.bind(this);
    this._onKey = this._onKey.bind(this);
    this._onVisibility = () => this._invalidate();
    this._onFullscreen = () => {
      const back = this._focusBeforeFullscreen;
      if (document.fullscreenElement !== this && back) {
        this._focusBeforeFullscreen = null;
        if (back.isConnected) back.focus({ preventScroll: true });
      }
      this._changed(false);
    };
    this._onPopState = () => this._followAddress();
  }

  // ---- public API -------------------------------------------------------------------------
  /** The latest snapshot as a plain object (the CLI's key names), or null before loading. */
  get metrics() { return this._app ? JSON.parse(this._app.snapshot_json()) : null; }
  /** Training steps taken since the last reset. */
  get step() { return this._app ? this._app.step_count() : 0; }
  get playing() { return this._playing; }
  /** Every setting as a query string: opening it reproduces this run exactly. */
  get query() { return this._app ? this._app.query() : ''; }
  /** The theme in use: light, dark or contrast. */
  get theme() { return this._theme; }
  play() {
    if (this._app?.diverged()) return;
    this._restoring = null; // a run to the linked step gives way to the reader
    this._playing = true;
    this._syncChrome();
    this._requestFrame();
    this._writeAt(); // no `at` while playing
  }
  pause() {
    this._playing = false;
    this._playTo = null;
    this._syncChrome();
    this._invalidate(); // every panel and the readout show exactly where training stopped
    this._writeAt(); // a link made now opens at this step
  }
  reset() {
    if (!this._app) return;
    this._restoring = null;
    this._app.reset();
    this._showDivergence(false);
    this._changed(true);
  }
  /** Train n steps now (paused or not) and redraw; returns the steps actually taken. */
  advance(n = 1) {
    if (!this._app || this._failed) return 0;
    const steps = Math.min(MAX_ADVANCE, Math.max(0, Math.floor(Number(n)) || 0));
    try {
      const taken = this._app.step(steps);
      this._checkDivergence();
      this._invalidate();
      if (!this._playing) this._writeAt();
      return taken;
    } catch (err) {
      this._fail(err);
      return 0;
    }
  }
  toggleFullscreen() {
    // Entering, focus leaves the Fullscreen button, or Space (the first key a lecturer
    // presses) would press it again and leave fullscreen instead of playing; leaving, it
    // comes back to where it was (see _onFullscreen).
    const entering = document.fullscreenElement !== this;
    if (entering) this._focusBeforeFullscreen = this.shadowRoot.activeElement;
    return toggleFullscreen(this)
      .then(() => entering && this._root.focus({ preventScroll: true }))
      .catch((err) => {
        this._focusBeforeFullscreen = null;
        this._notice(`Fullscreen was refused: ${messageOf(err)}`);
      });
  }
  showHelp() {
    if (!this._help.element.isConnected) this._root.append(this._help.element); // only once asked for
    this._help.open(this.shadowRoot.activeElement ?? document.activeElement);
  }
  // Also: story, chapter, loadChapter(id), nextChapter(±1), leaveStory() from story.js;
  // exportPNG(chart), exportCSV(), exportJSON(), download(kind, chart) from export.js.

  // ---- lifecycle ---------------------------------------------------------------------------
  connectedCallback() {
    this._intersection = new IntersectionObserver((entries) => {
      this._onScreen = entries.at(-1).isIntersecting;
      this._invalidate();
    });
    this._intersection.observe(this);
    document.addEventListener('visibilitychange', this._onVisibility);
    document.addEventListener('fullscreenchange', this._onFullscreen);
    if (this.hasAttribute('url-state')) addEventListener('popstate', this._onPopState);
    const global = this._globalKeys() && (globalKeyOwner == null || !globalKeyOwner.isConnected);
    if (global) globalKeyOwner = this;
    this._keyTarget = global ? document : this;
    this._keyTarget.addEventListener('keydown', this._onKey);
    this._colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this._colorScheme.onchange = () => this._applyTheme();
    this._resize = new ResizeObserver((entries) => this._onResize(entries));
    this._observeCanvases();
    if (!this._started) {
      this._started = true;
      this._start();
    } else {
      this._requestFrame();
    }
  }

  disconnectedCallback() {
    this._intersection?.disconnect();
    this._resize?.disconnect();
    document.removeEventListener('visibilitychange', this._onVisibility);
    document.removeEventListener('fullscreenchange', this._onFullscreen);
    removeEventListener('popstate', this._onPopState);
    this._keyTarget?.removeEventListener('keydown', this._onKey);
    if (globalKeyOwner === this) globalKeyOwner = null;
    if (this._colorScheme) this._colorScheme.onchange = null;
    cancelAnimationFrame(this._raf);
    this._raf = 0;
  }

  attributeChangedCallback(name, old, value) {
    if (!this._app || old === value || name === 'url-state' || name === 'keyboard') return;
    delete this._view[name]; // the page author's new value beats what the reader chose
    if (name in CONTROL_KINDS) {
      const fallback = this._keys.find((k) => k.name === name)?.default;
      const message = this._set(name, value != null && isWidth(name, value) ? value : fallback);
      if (message) this._notice(`The attribute ${name}="${value}" was not applied: ${message}`, { error: true });
    } else if (name === 'speed') {
      this._setSpeed(this._parseSpeed(value));
    } else if (name === 'theme') {
      this._applyTheme();
    } else if (name === 'autoplay' || name === 'until') {
      if (isOn(this.getAttribute('autoplay')) && !reducedMotion()) this._autoplay();
      else if (name === 'autoplay' && !isOn(value)) this.pause(); // the author turned autoplay off
    } else if (name === 'story') {
      if (value == null) this.leaveStory();
      else this.loadChapter(value);
    } else {
      this._render(); // controls, panels, height
    }
  }

  async _start() {
    let engine;
    try {
      engine = await loadEngine();
    } catch (err) {
      this._root.replaceChildren(h('p', { class: 'notice error', role: 'alert' },
        `The demo could not start: its WebAssembly module failed to load (${messageOf(err)}).`));
      this._rejectReady(err);
      return;
    }
    try {
      this._begin(engine);
    } catch (err) {
      // A bug, not bad input (the engine turns every bad setting into a notice): say so
      // instead of leaving "Loading the demo…" on screen.
      this._root.replaceChildren(h('p', { class: 'notice error', role: 'alert' },
        `The demo could not start (${messageOf(err)}). Reloading the page may help.`));
      this._rejectReady(err);
    }
  }

  _begin(engine) {
    this._engine = engine;
    this._keys = engine.keys;
    const fromUrl = this.hasAttribute('url-state') ? splitQuery(location.search) : { engine: '', ui: {} };
    this._view = fromUrl.ui;
    const chapter = this._findChapter(this._option('story'));
    const fromAttributes = Object.keys(CONTROL_KINDS)
      .filter((k) => this.hasAttribute(k) && isWidth(k, this.getAttribute(k)))
      .map((k) => `${k}=${encodeURIComponent(this.getAttribute(k))}`);
    // Later pairs win: a chapter beats the page author's attributes, the address beats both.
    this._app = new engine.App([...fromAttributes, chapter?.query, fromUrl.engine].filter(Boolean).join('&'));
    if (chapter) this._enterChapter(chapter);
    this._speed = this._parseSpeed(this._option('speed'));
    this._render();
    const notices = JSON.parse(this._app.notices_json());
    if (notices.length) {
      const where = this.hasAttribute('url-state') ? 'The address' : 'This demo’s attributes';
      this._notice(`${where} had settings that could not be used, so their defaults are used instead:`,
        { items: notices.map((n) => n.message) });
      for (const n of notices) if (n.key) this._settings?.flag(n.key, n.message);
    }
    const at = chapter ? null : this._parseAt(this._option('at'));
    delete this._view.at; // from now on the address says where this run is
    // Where the story can be reached (the page, or a demo showing a chapter), its race
    // chapters must open offline too.
    if (chapter || this.hasAttribute('url-state')) prefetchRace();
    if (chapter) this._startChapter();
    else if (!at && isOn(this._option('autoplay')) && !reducedMotion()) this._autoplay();
    this._writeUrl();
    // `ready`: loaded, and at the step the link names.
    if (at) this._runTo(at).then(this._resolveReady, this._rejectReady);
    else this._resolveReady();
  }

  /** `at`: a whole number of steps, or null with a notice when it is not one. */
  _parseAt(text) {
    if (text == null || text === '' || text === '0') return null;
    const n = Number(text);
    if (Number.isInteger(n) && n > 0 && n <= MAX_ADVANCE) return n;
    this._notice(`at=${text} is not a step count from 1 to ${MAX_ADVANCE.toLocaleString('en')}, so the demo starts at step 0.`);
    return null;
  }

  /**
   * Train to `target` (a linked step) in slices of two frames' budget, yielding between
   * them, so a large network does not freeze the page (the readout shows the step climbing).
   * Play, reset, a resetting setting or a new engine ends it. Resolves when done or abandoned.
   * Meanwhile the address keeps `at=target`: a reload goes to the same place.
   */
  async _runTo(target) {
    const run = { target };
    this._restoring = run;
    while (this._restoring === run && this.isConnected && this.step < target && !this._failed && !this._app.diverged()) {
      const start = performance.now();
      const taken = this.advance(Math.min(this._stepsThatFit(2 * FRAME_BUDGET_MS, target), target - this.step));
      if (!taken) break;
      this._notePace(start, taken);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this._restoring === run) this._restoring = null;
    this._writeUrl();
  }

  /** A view option: what the reader chose or the address says, else the attribute. */
  _option(name) { return this._view[name] ?? this.getAttribute(name); }
  _globalKeys() { return this.hasAttribute('url-state') || this.getAttribute('keyboard') === 'global'; }
  /** Controls: the option, but an embedded page (embed=1) shows only the transport bar. */
  _controls() { return this._view.controls ?? (this._view.embed != null ? 'minimal' : this.getAttribute('controls') ?? 'minimal'); }

  _autoplay() {
    const until = Number(this._option('until'));
    this._playTo = until > 0 ? until : null;
    if (this._playTo == null || this.step < this._playTo) this.play();
  }

  // ---- the experiment ---------------------------------------------------------------------
  /** A fresh engine object for `query` (a story chapter, the address after Back). */
  _replaceApp(query) {
    this._restoring = null; // a run towards a linked step belonged to the old engine
    const app = new this._engine.App(query);
    this._painter.forget();
    this._app.free();
    this._app = app;
    this._drawErrors.clear();
    this._showDivergence(false);
    this._changed(false);
  }

  // ---- DOM ---------------------------------------------------------------------------------
  /** (Re)build the chrome and the panels from the current view options. */
  _render() {
    this._chapterElement = null;
    const view = chapterView(this._chapter);
    if (view) return this._renderChapterView(view);
    const controls = this._controls();
    const actions = {
      toggle: () => this._command('toggle'),
      step: () => this._command('step'),
      reset: () => this.reset(),
      setSpeed: (speed) => this._setSpeed(speed),
      set: (key, value) => {
        const message = this._set(key, value);
        if (message) this._notice(message, { error: true });
      },
    };
    this._toolbar = controls === 'none' ? null : buildToolbar(controls === 'full', actions);
    this._viewControls = this._toolbar && buildViewControls({ fullscreen: () => this.toggleFullscreen(), help: () => this.showHelp() });
    const charts = this._panelList();
    if (controls === 'full') this._viewControls.element.append(buildExportMenu(charts, (kind, chart) => this._command('download', kind, chart)));
    this._toolbar?.element.append(this._viewControls?.element ?? '');
    this._themeField = controls === 'full' ? buildThemeField((theme) => this._setTheme(theme)) : null;
    this._settings = controls === 'full' ? buildSettings(this._keys, (k, v) => this._set(k, v), [this._themeField.field]) : null;
    this._resize?.disconnect();
    const panels = this._painter.build(charts);
    this._observeCanvases();
    const height = this._option('height');
    this._root.style.setProperty('--panel-height', height ? (/^\d+(\.\d+)?$/.test(height) ? `${height}px` : height) : 'auto');
    this._root.replaceChildren(
      this._notices, this._divergence, this._chapter ? this._buildStoryPanel() : '', this._toolbar?.element ?? '',
      this._readout, this._liveReadout,
      h('div', { class: `layout${this._settings ? ' with-settings' : ''}` }, panels, this._settings?.element ?? ''));
    this._applyTheme();
    this._changed(false);
  }

  /** A chapter with a view of its own (the race): the chapter bar, then that view. */
  _renderChapterView(view) {
    this._toolbar = this._viewControls = this._settings = this._themeField = null;
    this._resize?.disconnect();
    this._painter.build([]);
    this._chapterElement = view.render(this, this._chapter);
    this._root.replaceChildren(this._notices, this._buildStoryPanel(), this._chapterElement);
    this._applyTheme();
  }

  _panelList() { return parsePanels(this._option('panels') ?? this._chapter?.panels); }

  _applyTheme() {
    const theme = this._option('theme');
    this._theme = ['light', 'dark', 'contrast'].includes(theme) ? theme : (this._colorScheme?.matches ? 'dark' : 'light');
    this._root.dataset.theme = this._theme;
    this._chapterElement?.setAttribute('theme', this._theme);
    this._changed(false);
  }

  _setTheme(theme) {
    // `auto` is the absence of a choice, unless the page author's attribute must be overridden.
    this._view.theme = theme === 'auto' && !this.hasAttribute('theme') ? undefined : theme;
    this._applyTheme();
    this._writeUrl();
  }

  _notice(message, options) {
    const element = notice(message, options);
    this._notices.append(element);
    return element;
  }

  _checkDivergence() {
    if (!this._app.diverged()) return;
    this.pause();
    this._showDivergence(true);
  }

  _showDivergence(show) {
    if (!show) return this._divergence.replaceChildren();
    if (this._divergence.childElementCount) return;
    const lr = Number(this._app.get('lr'));
    // A tenth of the rate, but never above the default: lr = 100000 should suggest a rate that trains.
    const usual = Number(this._keys.find((k) => k.name === 'lr')?.default ?? lr);
    const lower = Number(Math.min(lr / 10, usual).toPrecision(2));
    this._divergence.replaceChildren(divergenceNotice({
      step: this._app.step_count(), lr, lower,
      useLower: () => this._set('lr', String(lower)) || this.reset(),
      reset: () => this.reset(),
    }));
  }

  // ---- state changes -----------------------------------------------------------------------
  /** Apply one setting; returns an error message, or null when it took effect. */
  _set(key, value) {
    let effect;
    try {
      effect = this._app.set(key, value);
    } catch (err) {
      return messageOf(err);
    }
    if (effect === 'reset') {
      this._showDivergence(false);
      this._restoring = null;
    }
    this._changed(true);
    return null;
  }

  _setSpeed(speed) {
    if (speed !== 'slow') this._fastSpeed = speed;
    this._speed = speed;
    this._view.speed = speed === DEFAULT_SPEED ? undefined : String(speed);
    this._syncChrome();
    this._writeUrl();
  }

  _parseSpeed(text) {
    if (text === 'slow') return 'slow';
    const n = Math.round(Number(text));
    return Number.isFinite(n) && n >= 1 ? Math.min(MAX_SPEED, n) : DEFAULT_SPEED;
  }

  /** After any change of settings or step: controls, picture and (maybe) the address. */
  _changed(writeUrl) {
    this._msPerStep = 0; // the size may have changed: measure the pace afresh
    this._syncChrome();
    this._invalidate();
    if (writeUrl) this._writeUrl();
  }

  _syncChrome() {
    if (!this._app) return;
    this._toolbar?.sync({ playing: this._playing, speed: this._speed, seed: this._app.get('seed'), diverged: this._app.diverged() });
    this._viewControls?.sync({ fullscreen: document.fullscreenElement === this });
    this._themeField?.sync(this._view.theme ?? this.getAttribute('theme') ?? 'auto');
    this._settings?.sync((k) => this._app.get(k), JSON.parse(this._app.variances_json()));
    if (this._chapter) this._storyPanel?.sync(this.step, this._chapter);
  }

  /**
   * The address after the step or play state changed: only `at` can differ, and a chapter
   * never carries one. (A chapter being loaded plays before its address is pushed: a write
   * from play() then would land in the previous chapter's history entry.)
   */
  _writeAt() {
    if (!this._chapter) this._writeUrl();
  }

  _writeUrl(push = false) {
    if (!this.hasAttribute('url-state') || !this._app) return;
    this._urlWriter ??= createUrlWriter();
    const query = this._app.query();
    const engine = this._chapter && query === this._chapterQuery ? '' : query;
    // Paused past step 0 (outside the story, whose chapters name their own step): `at`, so
    // that the link opens where the reader is; while training towards a linked step, that step.
    const paused = !this._playing && !this._chapter && this.step > 0 ? String(this.step) : undefined;
    const at = this._restoring ? String(this._restoring.target) : paused;
    const full = [engine, uiQuery({ ...this._view, at })].filter(Boolean).join('&');
    if (push) this._urlWriter.push(full);
    else this._urlWriter(full);
  }

  // ---- animation ---------------------------------------------------------------------------
  _running() {
    return this._playing && this._onScreen && !document.hidden && this.isConnected;
  }

  _requestFrame() {
    if (!this._raf && this.isConnected) this._raf = requestAnimationFrame(this._tick);
  }

  _invalidate() {
    this._dirty = true;
    this._requestFrame();
  }

  _tick() {
    this._raf = 0;
    if (!this._app || this._failed) return;
    try {
      this._frame();
    } catch (err) {
      this._fail(err);
    }
  }

  /** The engine threw (a bug: bad settings never do): stop the loop and say so, once. */
  _fail(err) {
    this._failed = true;
    this._playing = false;
    this._playTo = null;
    cancelAnimationFrame(this._raf);
    this._raf = 0;
    try { this._syncChrome(); } catch { /* the engine may be unusable now */ }
    this._notice(`The demo stopped because of an internal error (${messageOf(err)}). Reload the page to start again.`, { error: true });
  }

  /** Steps that fit in `budget` ms at the measured pace, at most `most`; 1 while the pace is
   * unknown (a start, a new size: one step measures it). */
  _stepsThatFit(budget, most) {
    return this._msPerStep > 0 ? Math.max(1, Math.min(most, Math.floor(budget / this._msPerStep))) : 1;
  }

  /** Folds the time since `start` for `taken` steps into the measured pace (a moving average). */
  _notePace(start, taken) {
    const perStep = (performance.now() - start) / Math.max(1, taken);
    this._msPerStep = this._msPerStep ? 0.8 * this._msPerStep + 0.2 * perStep : perStep;
  }

  _frame() {
    let trained = false;
    if (this._running()) {
      let n = this._speed === 'slow' ? Number(++this._slowFrame % SLOW_FRAMES === 0) : this._speed;
      if (this._playTo != null) n = Math.min(n, Math.max(0, this._playTo - this.step));
      const fit = this._stepsThatFit(FRAME_BUDGET_MS, MAX_SPEED);
      if (n) n = Math.min(n, fit);
      if (n) {
        const start = performance.now();
        const taken = this._app.step(n);
        if (this._speed !== 'slow' && this._msPerStep > 0) this._toolbar?.pace(Math.min(this._speed, fit), this._speed);
        this._notePace(start, taken);
        trained = true;
        this._checkDivergence();
      }
      if (this._playTo != null && this.step >= this._playTo) this.pause();
      else this._requestFrame();
    }
    if (!this._onScreen || document.hidden) return;
    if (trained && this._chapter) this._storyPanel?.sync(this.step, this._chapter);
    if (this._dirty) this._draw(true);
    else if (trained) this._draw(false);
  }

  /**
   * Watches each canvas's size in device pixels where the browser can (then moving the window
   * to a screen of another pixel ratio redraws it crisp too), else in CSS pixels.
   */
  _observeCanvases() {
    if (!this._resize) return;
    for (const { canvas } of this._painter.canvases.values()) {
      try {
        this._resize.observe(canvas, { box: 'device-pixel-content-box' });
      } catch {
        this._resize.observe(canvas);
      }
    }
  }

  _onResize(entries) {
    this._painter.resize(entries);
    // Draw now, before the browser paints the cleared canvases.
    if (this._app) this._draw(true);
  }

  _draw(all) {
    if (all) this._dirty = false;
    const enlarge = document.fullscreenElement === this ? LECTURE_SCALE : 1;
    this._painter.draw(this._app, { all, theme: this._theme, enlarge });
  }

  _reportDrawError(chart, err) {
    const message = `The ${chart} chart could not be drawn: ${messageOf(err)}`;
    if (this._drawErrors.has(message)) return;
    this._drawErrors.add(message);
    this._notice(message, { error: true });
  }

  // ---- commands: buttons and keys ----------------------------------------------------------
  _onKey(event) {
    const command = this._app && keyCommand(event, this);
    if (command && this._command(command) !== false) event.preventDefault();
  }

  /** Runs a command; false when it does not apply here (the key then keeps its usual job). */
  _command(name, ...args) {
    const view = chapterView(this._chapter);
    if (view?.command && this._chapterElement && view.command(this._chapterElement, name) !== false) return undefined;
    switch (name) {
      case 'toggle': return this._playing ? this.pause() : this.play();
      case 'step': this.pause(); return void this.advance(1);
      case 'reset': return this.reset();
      case 'slow': return this._setSpeed(this._speed === 'slow' ? this._fastSpeed ?? DEFAULT_SPEED : 'slow');
      case 'contrast': return this._setTheme(this._theme === 'contrast' ? 'auto' : 'contrast');
      case 'fullscreen': return void this.toggleFullscreen();
      case 'help': return this.showHelp();
      case 'next': return this._chapter ? void this.nextChapter(1) : false;
      case 'previous': return this._chapter ? void this.nextChapter(-1) : false;
      case 'download':
        try {
          return void this.download(...args);
        } catch (err) {
          return void this._notice(`The export failed: ${messageOf(err)}`, { error: true });
        }
      default: return false;
    }
  }
}

mixin(CovalignDemo, StoryMethods);
mixin(CovalignDemo, ExportMethods);
if (!customElements.get('covalign-demo')) customElements.define('covalign-demo', CovalignDemo);
export { readoutText } from './painter.js';

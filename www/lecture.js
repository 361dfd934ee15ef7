// Lecture mode: the keyboard shortcuts (and the help overlay that lists them), fullscreen on
// the element itself, and the theme switch (`contrast` is the high-contrast, large-type theme).
import { h } from './controls.js';

/** Every shortcut: the help overlay is built from this table, so it cannot go stale. */
export const SHORTCUTS = [
  { keys: ['Space'], action: 'play / pause' },
  { keys: ['→'], action: 'one training step' },
  { keys: ['r'], action: 'reset to step 0 (same seed)' },
  { keys: ['s'], action: 'slow motion on / off' },
  { keys: ['c'], action: 'high-contrast theme on / off' },
  { keys: ['f'], action: 'fullscreen on / off' },
  { keys: ['n', 'Page Down'], action: 'next chapter of the guided story' },
  { keys: ['p', 'Page Up'], action: 'previous chapter' },
  { keys: ['?'], action: 'show this help' },
  { keys: ['Esc'], action: 'close this help, leave fullscreen' },
];

const BINDINGS = {
  ' ': 'toggle', ArrowRight: 'step', r: 'reset', s: 'slow', c: 'contrast', f: 'fullscreen',
  n: 'next', PageDown: 'next', p: 'previous', PageUp: 'previous', '?': 'help',
};

export const THEMES = ['auto', 'light', 'dark', 'contrast'];

// Single-key shortcuts can be turned off (WCAG 2.1.4), in the help, for every demo of the
// site; the choice is remembered where storage is allowed.
const STORAGE_KEY = 'covalign-shortcuts';
let shortcutsOn = (() => {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
})();
export function setShortcuts(on) {
  shortcutsOn = on;
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch { /* storage refused: the choice lasts for this page */ }
}
export const shortcutsEnabled = () => shortcutsOn;

/**
 * The command a key press asks `host` for, or null: keys typed into a field, pressed on a
 * button (space clicks it), inside the help overlay or inside another demo are left alone.
 */
export function keyCommand(event, host) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (!shortcutsOn || host.getAttribute('keyboard') === 'off') return null;
  const path = event.composedPath();
  if (path.some((n) => n !== host && n.localName === 'covalign-demo')) return null;
  // Inside the open help; not a dialog just closed (the focus comes back a moment later).
  if (path.some((n) => n.localName === 'dialog' && n.open)) return null;
  const target = path[0];
  const tag = target?.localName;
  const editing = ['input', 'select', 'textarea'].includes(tag) || target?.isContentEditable || target?.getAttribute?.('role') === 'slider';
  if (editing) return null;
  if (event.key === ' ' && ['button', 'summary', 'a'].includes(tag)) return null;
  return BINDINGS[event.key.length === 1 ? event.key.toLowerCase() : event.key] ?? null;
}

/** Fullscreen on the element (not the page): the demo fills the screen, nothing else. */
export function toggleFullscreen(element) {
  if (document.fullscreenElement === element) return document.exitFullscreen();
  return element.requestFullscreen({ navigationUI: 'hide' });
}

/**
 * The toolbar's view group: fullscreen and keyboard help. actions: {fullscreen(), help()}.
 * sync({fullscreen}) shows the state.
 */
export function buildViewControls(actions) {
  const fullscreen = h('button', { type: 'button', class: 'fullscreen', title: 'Fullscreen (f)', onclick: actions.fullscreen }, 'Fullscreen');
  // Inside an iframe without allow="fullscreen" the browser refuses: no button that cannot work.
  fullscreen.hidden = !document.fullscreenEnabled;
  const help = h('button', { type: 'button', class: 'help-button', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts', onclick: actions.help }, '?');
  return {
    element: h('div', { class: 'group view' }, fullscreen, help),
    sync({ fullscreen: on }) {
      fullscreen.textContent = on ? 'Exit fullscreen' : 'Fullscreen';
      fullscreen.setAttribute('aria-pressed', String(on));
    },
  };
}

/** The theme select for the settings form (full controls); setTheme(name) applies a choice. */
export function buildThemeField(setTheme) {
  const select = h('select', { id: 'field-theme' },
    ...THEMES.map((t) => h('option', { value: t }, t === 'contrast' ? 'high contrast' : t)));
  select.addEventListener('change', () => setTheme(select.value));
  return {
    field: { group: 'View', id: 'field-theme', label: 'theme', help: 'Colours: auto follows the system; high contrast (large type) is for projectors. Key: c', element: select },
    sync(theme) { select.value = theme; },
  };
}

/** The keyboard help: a modal dialog (Esc closes it; the focus returns where it was). */
export function buildHelp() {
  const close = h('button', { type: 'button', class: 'primary' }, 'Close');
  const toggle = h('input', { type: 'checkbox', id: 'shortcuts-on' });
  toggle.addEventListener('change', () => setShortcuts(toggle.checked));
  const kbd = (keys) => keys.flatMap((k, i) => [i ? ' or ' : '', h('kbd', {}, k)]);
  const dialog = h('dialog', { class: 'help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
    h('table', {}, h('tbody', {}, ...SHORTCUTS.map(({ keys, action }) => h('tr', {}, h('th', { scope: 'row' }, ...kbd(keys)), h('td', {}, action))))),
    h('p', { class: 'note' }, 'Tab and Shift+Tab move between the controls; Enter or Space presses a button; the arrow keys move sliders and the variance bars. On the demo’s own page the shortcuts work anywhere; in an embedded demo, click it or tab into it first.'),
    h('p', { class: 'shortcuts-switch' }, toggle, h('label', { for: 'shortcuts-on' }, ' Single-key shortcuts on (off: the keys keep their usual jobs, e.g. Space scrolls)')),
    h('div', { class: 'actions' }, close));
  let returnTo = null;
  // Closed by the button or Esc, the focus goes back at once (not in the later `close` event),
  // so that the very next key press already lands where the reader was.
  const hide = () => {
    dialog.close();
    returnTo?.focus?.();
  };
  close.addEventListener('click', hide);
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    hide();
  });
  return {
    element: dialog,
    open(activeElement) {
      if (dialog.open) return;
      returnTo = activeElement;
      toggle.checked = shortcutsOn;
      dialog.showModal();
      close.focus();
    },
  };
}

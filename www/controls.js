// Form controls built from the engine's settings table (keys_json) and the small table below,
// which only says how each key is edited. A key the table does not know gets a text box, so a
// new engine setting is never missing from the page.
import { createSpectrumEditor } from './spectrum-editor.js';

/** How each config key is edited, and where. `transfer` keys belong to the race panel (later). */
export const CONTROL_KINDS = {
  seed: { group: 'toolbar', kind: 'number', min: 0, max: 4294967295, step: 1 },
  dim: { group: 'Data', label: 'dimension d', kind: 'number', min: 2, max: 128, step: 1 },
  spectrum: { group: 'Data', label: 'variances', kind: 'spectrum' },
  basis: { group: 'Data', label: 'eigenbasis', kind: 'basis' },
  samples: { group: 'Data', label: 'training points (0 = online)', kind: 'number', min: 0, max: 20000, step: 1 },
  labels: { group: 'Data', label: 'labels', kind: 'select', options: ['random', 'teacher'] },
  classes: { group: 'Data', label: 'classes', kind: 'number', min: 2, max: 64, step: 1 },
  hidden: { group: 'Network', label: 'hidden width h', kind: 'number', min: 1, max: 4096, step: 1 },
  hidden2: { group: 'Network', label: 'second hidden width (0 = none)', kind: 'number', min: 0, max: 4096, step: 1 },
  activation: { group: 'Network', label: 'activation', kind: 'select', options: ['relu', 'tanh'] },
  init: { group: 'Network', label: 'initialisation', kind: 'select', options: ['iso', 'aniso:4', 'aniso:0.25'] },
  init_scale: { group: 'Network', label: 'init scale', kind: 'number', min: 0.0001, max: 100, step: 'any' },
  ensemble: { group: 'Network', label: 'ensemble of runs', kind: 'number', min: 1, max: 64, step: 1 },
  optimizer: { group: 'Training', label: 'optimizer', kind: 'select', options: ['sgd', 'adam'] },
  lr: { group: 'Training', label: 'learning rate', kind: 'number', min: 0, step: 'any' },
  momentum: { group: 'Training', label: 'momentum', kind: 'number', min: 0, max: 0.999, step: 0.05 },
  weight_decay: { group: 'Training', label: 'weight decay', kind: 'number', min: 0, max: 1, step: 'any' },
  batch: { group: 'Training', label: 'batch size', kind: 'number', min: 1, max: 4096, step: 1 },
  proj: { group: 'View', label: 'projection (d > 2): directions', kind: 'text', pattern: '\\d+,\\d+', when: (get) => Number(get('dim')) > 2 },
  task: { kind: 'transfer' },
  transfer: { kind: 'transfer' },
  upstream_steps: { kind: 'transfer' },
  downstream_steps: { kind: 'transfer' },
  downstream_lr: { kind: 'transfer' },
  downstream_classes: { kind: 'transfer' },
  repeats: { kind: 'transfer' },
};

export const SPECTRUM_PRESETS = ['iso', 'power:1', 'power:2', 'step:1:4'];

export const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Copies the methods and accessors of `source`'s prototype onto `target`'s (feature modules). */
export function mixin(target, source) {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(source.prototype))) {
    if (name !== 'constructor') Object.defineProperty(target.prototype, name, descriptor);
  }
}

/** Tiny DOM builder: h('button', {type: 'button', onclick}, 'text'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

/** Speed slider position (0..1000) <-> steps per frame (1..500), logarithmic. */
export const MAX_SPEED = 500;
export const speedFromSlider = (pos) => Math.max(1, Math.round(MAX_SPEED ** (pos / 1000)));
export const sliderFromSpeed = (speed) => Math.round((1000 * Math.log(speed)) / Math.log(MAX_SPEED));

/**
 * The transport bar: play/pause, step, reset, speed (+ slow motion); with `full`, the seed.
 * actions: {toggle, step, reset, setSpeed(n | 'slow'), set(key, value)}.
 */
export function buildToolbar(full, actions) {
  const play = h('button', { type: 'button', class: 'primary play', onclick: actions.toggle }, 'Play');
  const step = h('button', { type: 'button', title: 'One training step (→)', onclick: actions.step }, 'Step');
  const reset = h('button', { type: 'button', title: 'Back to step 0 with the same seed (r)', onclick: actions.reset }, 'Reset');
  const speed = h('input', { type: 'range', min: 0, max: 1000, step: 1, 'aria-label': 'steps per frame' });
  const speedOut = h('output', { class: 'speed-value' });
  const slow = h('input', { type: 'checkbox' });
  speed.addEventListener('input', () => actions.setSpeed(speedFromSlider(Number(speed.value))));
  slow.addEventListener('change', () => actions.setSpeed(slow.checked ? 'slow' : speedFromSlider(Number(speed.value))));
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Training' },
    h('div', { class: 'group' }, play, step, reset),
    h('label', { class: 'group speed', title: 'training steps per animation frame' }, h('span', {}, 'Speed'), speed, speedOut),
    h('label', { class: 'group slow', title: 'one step every few frames' }, slow, h('span', {}, 'slow motion')));
  let seed = null;
  if (full) {
    seed = h('input', { type: 'number', min: 0, max: 4294967295, step: 1, class: 'seed', 'aria-label': 'seed' });
    seed.addEventListener('change', () => actions.set('seed', seed.value.trim()));
    const dice = h('button', {
      type: 'button',
      title: 'new random seed: fresh data, labels and initial weights',
      onclick: () => actions.set('seed', String(Math.floor(Math.random() * 4294967296))),
    }, 'New seed');
    bar.append(h('div', { class: 'group' },
      h('label', { class: 'group', title: 'random seed: the same seed and settings reproduce a run exactly' }, h('span', {}, 'Seed'), seed),
      dice));
  }
  return {
    element: bar,
    sync({ playing, speed: value, seed: seedValue, diverged = false }) {
      play.textContent = playing ? 'Pause' : 'Play';
      // Nothing to play until a reset. aria-disabled, not disabled: a disabled button would
      // drop the focus (and with it the demo's keys) when Space made the run diverge.
      play.setAttribute('aria-disabled', String(diverged && !playing));
      play.setAttribute('aria-pressed', String(playing));
      play.title = playing ? 'Pause (space)' : 'Play (space)';
      slow.checked = value === 'slow';
      speed.disabled = value === 'slow';
      if (value !== 'slow') speed.value = String(sliderFromSpeed(value));
      speedOut.textContent = value === 'slow' ? 'slow' : `${value} / frame`;
      speedOut.title = ''; // pace() says it again if the network cannot keep up
      if (seed && document.activeElement !== seed && seed.getRootNode().activeElement !== seed) seed.value = seedValue;
    },
    /** While playing: `taken` steps fit this frame's budget out of `asked` (a large network). */
    pace(taken, asked) {
      if (asked === 'slow') return;
      const capped = taken < asked;
      const text = capped ? `≈${Number(taken.toPrecision(2))} / frame` : `${asked} / frame`;
      if (speedOut.textContent === text) return;
      speedOut.textContent = text;
      speedOut.title = capped ? `${asked} asked; at this size about ${taken} fit in a frame` : '';
    },
  };
}

/**
 * The settings form: one labelled control per engine key, grouped. set(key, value) applies a
 * value and returns an error message or null; the form shows that message beside the control.
 */
export function buildSettings(keys, set, extras = []) {
  const groups = new Map();
  const fields = new Map(); // key -> {sync(value, get), error}
  const form = h('form', { class: 'settings', onsubmit: (e) => e.preventDefault() });
  const apply = (key, value) => {
    const message = set(key, value);
    const field = fields.get(key);
    field.error.textContent = message ?? '';
    field.input?.setAttribute('aria-invalid', String(Boolean(message)));
  };
  for (const { name, help } of keys) {
    const spec = CONTROL_KINDS[name] ?? { group: 'Other', kind: 'text' };
    if (spec.kind === 'transfer' || spec.group === 'toolbar') continue;
    if (!groups.has(spec.group)) {
      const fields = h('div', { class: 'fields' });
      form.append(h('fieldset', {}, h('legend', {}, spec.group), fields));
      groups.set(spec.group, fields);
    }
    const id = `field-${name}`;
    const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    const builder = { number: numberField, select: selectField, text: textField, basis: basisField, spectrum: spectrumField }[spec.kind];
    const field = builder(name, spec, apply, id);
    const label = h('label', { for: id, title: help }, spec.label ?? name, ' ', h('code', {}, name));
    field.input?.setAttribute('aria-describedby', `${id}-help ${id}-error`);
    fields.set(name, { ...field, error });
    const wide = spec.kind === 'spectrum' || spec.kind === 'basis' || spec.kind === 'text';
    groups.get(spec.group).append(h('div', { class: `field${wide ? ' wide' : ''}` },
      label, field.element, h('p', { class: 'help', id: `${id}-help` }, help), error));
  }
  // View-only controls (not engine keys), e.g. the theme: {group, id, label, help, element}.
  for (const { group, id, label, help, element } of extras) {
    if (!groups.has(group)) {
      const fields = h('div', { class: 'fields' });
      form.append(h('fieldset', {}, h('legend', {}, group), fields));
      groups.set(group, fields);
    }
    groups.get(group).append(h('div', { class: 'field' }, h('label', { for: id, title: help }, label), element));
  }
  return {
    element: form,
    /** Show the engine's current values (skipping the control being edited). */
    sync(get, variances) {
      for (const [name, field] of fields) {
        field.sync(get(name), get, variances);
        const when = CONTROL_KINDS[name]?.when;
        if (when && field.input) field.input.disabled = !when(get);
      }
    },
    /** Mark a key's control invalid with a message (e.g. from the URL notices). */
    flag(key, message) {
      const field = fields.get(key);
      if (field) field.error.textContent = message;
    },
  };
}

const isEditing = (input) => input.getRootNode().activeElement === input;

function numberField(name, spec, apply, id) {
  const input = h('input', { id, type: 'number', min: spec.min, max: spec.max, step: spec.step, inputmode: 'decimal' });
  input.addEventListener('change', () => apply(name, input.value.trim()));
  return { element: input, input, sync: (v) => { if (!isEditing(input)) input.value = v; } };
}

function textField(name, spec, apply, id) {
  const input = h('input', { id, type: 'text', pattern: spec.pattern, spellcheck: 'false', autocomplete: 'off' });
  input.addEventListener('change', () => apply(name, input.value.trim()));
  return { element: input, input, sync: (v) => { if (!isEditing(input)) input.value = v; } };
}

/** A select whose current value is always one of its options, even a custom one from a URL. */
function selectField(name, spec, apply, id) {
  const input = h('select', { id });
  const fill = (current) => {
    const options = spec.options.includes(current) ? spec.options : [...spec.options, current];
    if (input.options.length !== options.length || [...input.options].some((o, i) => o.value !== options[i])) {
      input.replaceChildren(...options.map((o) => h('option', { value: o }, o)));
    }
    input.value = current;
  };
  input.addEventListener('change', () => apply(name, input.value));
  return { element: input, input, sync: fill };
}

/** axis | random | angle:DEG, with the angle as a live slider. */
function basisField(name, spec, apply, id) {
  const input = h('select', { id },
    h('option', { value: 'axis' }, 'coordinate axes'),
    h('option', { value: 'random' }, 'random rotation'),
    h('option', { value: 'angle' }, 'rotated by an angle'));
  const angle = h('input', { type: 'range', min: -90, max: 90, step: 1, 'aria-label': 'basis angle in degrees' });
  const angleOut = h('output', {});
  const angleRow = h('div', { class: 'angle-row' }, angle, angleOut);
  input.addEventListener('change', () => apply(name, input.value === 'angle' ? `angle:${angle.value}` : input.value));
  angle.addEventListener('input', () => {
    angleOut.textContent = `${angle.value}°`;
    apply(name, `angle:${angle.value}`);
  });
  return {
    element: h('div', {}, input, angleRow),
    input,
    sync(value) {
      const [kind, deg] = value.split(':');
      input.value = kind;
      angleRow.hidden = kind !== 'angle';
      if (kind === 'angle' && !isEditing(angle)) {
        angle.value = deg;
        angleOut.textContent = `${Number(deg)}°`;
      }
    },
  };
}

/** The draggable bars, the presets and the exact text. */
function spectrumField(name, spec, apply, id) {
  const editor = createSpectrumEditor({ onChange: (values) => apply(name, `list:${values.join(',')}`) });
  const input = h('input', { id, type: 'text', spellcheck: 'false', autocomplete: 'off' });
  input.addEventListener('change', () => apply(name, input.value.trim()));
  const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'spectrum presets' },
    ...SPECTRUM_PRESETS.map((p) => h('button', { type: 'button', onclick: () => apply(name, p) }, p)));
  return {
    element: h('div', {}, h('div', { class: 'editor-frame' }, editor.element,
      h('span', { class: 'axis-note', 'aria-hidden': 'true' }, 'log scale; line = 1')), presets, input),
    input,
    sync(value, get, variances) {
      if (!isEditing(input)) input.value = value;
      if (variances) editor.update(variances);
    },
  };
}

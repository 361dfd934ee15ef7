// Notices inside the element: dismissible messages (bad settings, draw errors) and the
// divergence message with its two ways out.
import { h } from './controls.js';

/** A dismissible notice (role="alert"); `items` become a list under the message. */
export function notice(message, { items = [], error = false } = {}) {
  const body = h('div', { class: 'body' }, h('span', {}, message));
  if (items.length) body.append(h('ul', {}, ...items.map((i) => h('li', {}, i))));
  const element = h('div', { class: `notice${error ? ' error' : ''}`, role: 'alert' }, body);
  element.append(h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this notice', onclick: () => element.remove() }, '×'));
  return element;
}

/** Training overflowed at `step` with rate `lr`: offer `lower` (and reset), or just reset. */
export function divergenceNotice({ step, lr, lower, useLower, reset }) {
  return h('div', { class: 'notice error divergence', role: 'alert' }, h('div', { class: 'body' },
    h('strong', {}, `Training diverged at step ${step}`),
    ` — the loss blew up (past 10⁶, or NaN or infinity), so training is paused. The learning rate lr = ${lr} is too large: lower it and press Reset.`,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: useLower }, `Use lr = ${lower} and reset`),
      h('button', { type: 'button', onclick: reset }, 'Reset'))));
}

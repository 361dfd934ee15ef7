// The transfer race's chapters of the guided story (kind `race`): under the chapter bar the
// demo shows <covalign-race> (www/race.js, loaded only when such a chapter is opened) with the
// chapter's preset, instead of the alignment panels.
import { h, reducedMotion } from './controls.js';
import { registerChapterKind } from './story.js';

/**
 * Fetch race.js once the browser is idle, so that the race chapters open offline too (the
 * page's first load stays without it). A failure here is said when a race chapter opens.
 */
export function prefetchRace() {
  const load = () => import('./race.js').catch(() => {});
  if (window.requestIdleCallback) requestIdleCallback(load, { timeout: 5000 });
  else setTimeout(load, 2000);
}

registerChapterKind('race', {
  render(demo, chapter) {
    // Defines <covalign-race>; the element below upgrades when the module arrives.
    import('./race.js').catch((err) => demo._notice(`The transfer race could not load: ${err.message}`, { error: true }));
    // autoplay: the race itself declines to start under prefers-reduced-motion.
    return h('covalign-race', { preset: chapter.id, chrome: 'none', theme: demo.theme, autoplay: !reducedMotion() });
  },
  /** The demo's keys drive the race: space runs or stops it, r resets it. */
  command(race, name) {
    // Before race.js has arrived the element is not upgraded yet: nothing to run or reset.
    if ((name === 'toggle' || name === 'reset') && typeof race.run !== 'function') return undefined;
    if (name === 'toggle') return void (race.running ? race.stop() : race.run());
    if (name === 'reset') return void race.reset();
    if (name === 'step') return undefined; // nothing to step: swallow the key
    return false;
  },
});

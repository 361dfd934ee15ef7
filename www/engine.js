// The wasm engine, loaded once per page: every <covalign-demo> awaits the same promise, so
// several elements share one download and one compile. The glue (pkg/covalign.js) finds
// covalign_bg.wasm next to itself through import.meta.url, so a blog can load covalign.js
// from any path.
import init, { App, keys_json, story_json } from './pkg/covalign.js';

let loading = null;

/** Resolves to {App, keys, story} once the module is compiled; keys = the settings table. */
export function loadEngine() {
  loading ??= init().then(() => ({ App, keys: JSON.parse(keys_json()), story: JSON.parse(story_json()) }));
  return loading;
}

/** The message of whatever wasm-bindgen threw (an Error, or a bare string). */
export function messageOf(err) {
  if (err == null) return 'unknown error';
  if (typeof err === 'string') return err;
  return err.message || String(err);
}

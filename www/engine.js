// The wasm engine, loaded once per page: every <covalign-demo> awaits the same promise, so
// several elements share one download and one compile.
import init, { App, keys_json } from './pkg/covalign.js';

let loading = null;

/** Resolves to {App, keys} once the module is compiled; keys = the settings table. */
export function loadEngine() {
  loading ??= init().then(() => ({ App, keys: JSON.parse(keys_json()) }));
  return loading;
}

/** The message of whatever wasm-bindgen threw (an Error, or a bare string). */
export function messageOf(err) {
  if (err == null) return 'unknown error';
  if (typeof err === 'string') return err;
  return err.message || String(err);
}

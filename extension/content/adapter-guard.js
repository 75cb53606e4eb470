// Adapter isolation, as refined-github isolates each feature: an adapter whose selectors do not
// parse or whose code throws is switched off for this page with one console warning naming it,
// and every other adapter (the generic one included) goes on finding blocks.

const SELECTOR_FIELDS = ['signature', 'block', 'code', 'label', 'message', 'streaming'];
const disabled = new Map(); // adapter -> the error that switched it off

export function isDisabled(adapter) {
  return disabled.has(adapter);
}

export function disable(adapter, error) {
  if (disabled.has(adapter)) return;
  disabled.set(adapter, error);
  console.warn(`Chatrun: the "${adapter?.name ?? 'unnamed'}" adapter failed and is skipped on this page.`, error);
}

/** `fn()`, or `fallback` once `adapter` has thrown (here or anywhere before). */
export function guarded(adapter, fn, fallback) {
  if (disabled.has(adapter)) return fallback;
  try {
    return fn();
  } catch (error) {
    disable(adapter, error);
    return fallback;
  }
}

/** Check an adapter's declaration up front: a selector that does not parse fails here, at
 *  start, rather than halfway through a scan. True when the adapter may run. */
export function checkAdapter(adapter, doc) {
  return guarded(adapter, () => {
    if (!adapter || typeof adapter.name !== 'string') throw new TypeError('an adapter needs a name');
    if (!Array.isArray(adapter.hosts)) throw new TypeError('hosts is not a list');
    const probe = doc.createDocumentFragment();
    for (const field of SELECTOR_FIELDS) {
      const value = adapter[field];
      if (value == null) continue;
      if (typeof value !== 'string') throw new TypeError(`${field} is not a selector`);
      probe.querySelector(value);
    }
    for (const part of selectorList(adapter.code)) probe.querySelector(part);
    if (adapter.find != null && typeof adapter.find !== 'function') throw new TypeError('find is not a function');
    return true;
  }, false);
}

/** The parts of a selector list in order of preference ("a, b": a first). */
export function selectorList(selector) {
  return selector ? selector.split(',').map((part) => part.trim()).filter(Boolean) : [];
}

// Text every layer can hold, by the companion API's own rule (companion_api/text.py, docs/api.md
// "Bad input"): each lone UTF-16 surrogate becomes U+FFFD, in every string of a record, keys
// too; a valid pair is one character and is kept. `console.log('\uD800')` makes such a string.
// Applied once, when the service worker stores a run, so the local history, the queue, the
// artifact fingerprint (TextEncoder does the same) and what the server stores all agree.

/** A copy of `value` (JSON data: strings, numbers, booleans, null, arrays, plain objects) with
 * every lone surrogate in its strings and keys replaced by U+FFFD. */
export function wellFormed(value) {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.toWellFormed(), wellFormed(item)]));
  }
  return value;
}

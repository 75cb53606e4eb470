// Reading the page settings from storage, apart from settings.js (which needs the language
// registry): content/early-settings.js starts the read at document_start with only this, and
// the content script proper (document_idle) finds it done, so its first task can show the
// panels on screen. The read takes a frame or more, and until it is there no panel may show (a
// site the user turned off never gets one).
export const PAGE_SETTINGS_KEY = 'settings';

// Both scripts run in the extension's isolated world of the page: the page cannot see this.
const EARLY = Symbol.for('chatrun.earlyPageSettings');

/** Start reading the page settings now, for the first taker of this world. A change stored
 * before it is taken starts the read again (the content script's own change listener only
 * exists from then on). */
export function startEarlyPageSettingsRead(storage = chrome.storage) {
  const early = { read: null, done: false, stored: undefined, onChanged: null };
  const start = () => {
    const read = storage.sync.get(PAGE_SETTINGS_KEY);
    Object.assign(early, { read, done: false, stored: undefined });
    read.then(({ [PAGE_SETTINGS_KEY]: stored }) => {
      if (early.read === read) Object.assign(early, { done: true, stored });
    }, () => {}); // a failed read is for its taker to handle, not an unhandled rejection
  };
  early.onChanged = (changes, area) => {
    if (area === 'sync' && changes[PAGE_SETTINGS_KEY]) start();
  };
  start();
  storage.onChanged.addListener(early.onChanged);
  globalThis[EARLY] = early;
}

function take(storage, when = () => true) {
  const early = globalThis[EARLY];
  if (!early || !when(early)) return null;
  delete globalThis[EARLY];
  storage.onChanged.removeListener(early.onChanged);
  return early;
}

/** The stored page settings (undefined when none were saved), now: `{ stored }` when the early
 * read has them already (it is taken), else null. */
export function takeReadPageSettings(storage = chrome.storage) {
  const early = take(storage, (e) => e.done);
  return early && { stored: early.stored };
}

/** The stored page settings (undefined when none were saved): the early read once, else a new one. */
export async function takeStoredPageSettings(storage = chrome.storage) {
  const early = take(storage);
  const { [PAGE_SETTINGS_KEY]: stored } = await (early ? early.read : storage.sync.get(PAGE_SETTINGS_KEY));
  return stored;
}

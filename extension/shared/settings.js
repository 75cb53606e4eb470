// User settings, in two places by who may write them:
// - page settings (chrome.storage.sync): what content scripts need to show panels; nothing in
//   them weakens isolation, so a compromised page renderer that rewrites them gains nothing;
// - runner settings (chrome.storage.local, restricted to the extension's trusted contexts by the
//   service worker): limits, network, package index, kernel budget. Content scripts can neither
//   read nor write them; the offscreen document gets them from the service worker.
import { LANGUAGES, isPreviewLanguage } from './languages.js';
import { PAGE_SETTINGS_KEY, takeReadPageSettings, takeStoredPageSettings } from './page-settings-read.js';

export { PAGE_SETTINGS_KEY };
export const RUNNER_SETTINGS_KEY = 'runnerSettings';

export const DEFAULT_PAGE_SETTINGS = Object.freeze({
  disabledSites: [],
  pageAddress: 'full', // what is stored with a run: 'full' URL, 'site' only, or 'none'
  preloadRuntimes: true, // warm a kernel when a page shows a block that needs one
});

export const DEFAULT_RUNNER_SETTINGS = Object.freeze({
  // Per language a runner runs (a preview's load limit is its registry entry's: the panel has no
  // access to runner settings).
  timeoutMs: Object.freeze(Object.fromEntries(Object.entries(LANGUAGES).filter(([id]) => !isPreviewLanguage(id)).map(([id, l]) => [id, l.limitMs]))),
  userCodeNetwork: false,
  pythonPackageIndex: '', // a package index URL the user trusts, for packages not bundled
  kernelIdleMinutes: 30, // a conversation's kernel is freed after this long without runs
  maxKernels: 3, // live kernels (conversations keeping variables) per language; one spare besides
});

// Runner settings that used to live in storage.sync (moved once by the service worker).
export const LEGACY_RUNNER_KEYS = Object.freeze({
  timeoutMs: 'timeoutMs',
  userCodeNetwork: 'userCodeNetwork',
  pythonPackageIndex: 'pythonPackageIndex',
  pythonIdleMinutes: 'kernelIdleMinutes',
});

export function withPageDefaults(stored) {
  const settings = { ...DEFAULT_PAGE_SETTINGS, ...(stored || {}) };
  if (stored && stored.preloadRuntimes === undefined && typeof stored.pythonPreload === 'boolean') {
    settings.preloadRuntimes = stored.pythonPreload; // its name before other kernels existed
  }
  delete settings.pythonPreload;
  return settings;
}

export function withRunnerDefaults(stored) {
  const settings = { ...DEFAULT_RUNNER_SETTINGS, ...(stored || {}) };
  settings.timeoutMs = { ...DEFAULT_RUNNER_SETTINGS.timeoutMs, ...((stored && stored.timeoutMs) || {}) };
  return settings;
}

/** Page settings, for content scripts and extension pages (a content script's first call takes
 * the read its document_start part began). */
export async function loadPageSettings() {
  try {
    return withPageDefaults(await takeStoredPageSettings());
  } catch {
    return withPageDefaults(null);
  }
}

/** In a content script: the page settings now, if its document_start part has read them
 * already (they are taken), else null (then loadPageSettings()). */
export function pageSettingsIfRead() {
  const read = takeReadPageSettings();
  return read && withPageDefaults(read.stored);
}

/** Runner settings: trusted contexts only (service worker, options page). */
export async function loadRunnerSettings() {
  const { [RUNNER_SETTINGS_KEY]: stored } = await chrome.storage.local.get(RUNNER_SETTINGS_KEY);
  return withRunnerDefaults(stored);
}

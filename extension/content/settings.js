// User settings (chrome.storage.sync: readable by content scripts; secrets live elsewhere),
// with defaults. Read at run time, so a change in the options page applies without reloading.
export const DEFAULT_SETTINGS = Object.freeze({
  timeoutMs: { javascript: 10000, typescript: 10000, python: 30000 },
  disabledSites: [],
  pageAddress: 'full', // what is stored with a run: 'full' URL, 'site' only, or 'none'
  pythonPreload: true,
  userCodeNetwork: false,
  pythonPackageIndex: '', // a package index URL the user trusts, for packages not bundled
  pythonIdleMinutes: 30, // the interpreter is freed after this long without runs
});

export async function loadSettings() {
  try {
    const { settings } = await chrome.storage.sync.get('settings');
    return {
      ...DEFAULT_SETTINGS,
      ...(settings || {}),
      timeoutMs: { ...DEFAULT_SETTINGS.timeoutMs, ...((settings && settings.timeoutMs) || {}) },
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

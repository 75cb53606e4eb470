// User settings read from extension storage, with defaults. Read at run time, so a change in
// the options page applies without reloading the page.
export const DEFAULT_SETTINGS = Object.freeze({
  timeoutMs: { javascript: 10000, typescript: 10000, python: 30000 },
  disabledSites: [],
});

export async function loadSettings() {
  try {
    const { settings } = await chrome.storage.local.get('settings');
    return {
      ...DEFAULT_SETTINGS,
      ...(settings || {}),
      timeoutMs: { ...DEFAULT_SETTINGS.timeoutMs, ...((settings && settings.timeoutMs) || {}) },
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

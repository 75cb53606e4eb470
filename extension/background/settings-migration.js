// Runner settings (limits, network, package index, idle time) used to live in storage.sync, which
// content scripts can write. On the update that moved them to storage.local (trusted contexts
// only), carry the user's choices over once and remove them from storage.sync. Never again read
// from there: a page renderer could have put them there.
import { LEGACY_RUNNER_KEYS, PAGE_SETTINGS_KEY, RUNNER_SETTINGS_KEY } from '../shared/settings.js';

export async function moveLegacyRunnerSettings() {
  const { [PAGE_SETTINGS_KEY]: page } = await chrome.storage.sync.get(PAGE_SETTINGS_KEY);
  if (!page || !Object.keys(LEGACY_RUNNER_KEYS).some((key) => key in page)) return;
  const { [RUNNER_SETTINGS_KEY]: runner } = await chrome.storage.local.get(RUNNER_SETTINGS_KEY);
  const moved = {};
  const kept = { ...page };
  for (const [legacy, key] of Object.entries(LEGACY_RUNNER_KEYS)) {
    if (legacy in page) moved[key] = page[legacy];
    delete kept[legacy];
  }
  if (!runner) await chrome.storage.local.set({ [RUNNER_SETTINGS_KEY]: moved });
  await chrome.storage.sync.set({ [PAGE_SETTINGS_KEY]: kept });
}

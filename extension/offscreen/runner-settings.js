// Runner settings in the offscreen document. They live in chrome.storage.local, which only the
// extension's trusted contexts can read, and an offscreen document has no chrome.storage at all:
// the service worker answers a request for them and pushes every change.
import { OFFSCREEN_MESSAGE, TARGET, isExtensionContext, isMessageFor } from '../shared/messages.js';
import { withRunnerDefaults } from '../shared/settings.js';

let current = null;
let asking = null;
const listeners = new Set();

/** The current runner settings (the safe defaults if the service worker cannot be reached). */
export function runnerSettings() {
  if (current) return Promise.resolve(current);
  asking ||= chrome.runtime
    .sendMessage({ target: TARGET.background, type: OFFSCREEN_MESSAGE.runnerSettings })
    .then((reply) => {
      if (!reply || !reply.ok) throw new Error(reply?.error || 'no answer');
      current ||= withRunnerDefaults(reply.settings);
      return current;
    })
    .catch(() => withRunnerDefaults(null))
    .finally(() => {
      asking = null;
    });
  return asking;
}

/** Call `listener(settings)` whenever the settings change. */
export function onRunnerSettingsChanged(listener) {
  listeners.add(listener);
}

chrome.runtime.onMessage.addListener((message, sender) => {
  if (!isMessageFor(message, TARGET.offscreen) || message.type !== OFFSCREEN_MESSAGE.runnerSettings) return false;
  if (!isExtensionContext(sender) || sender.tab) return false; // the service worker only
  current = withRunnerDefaults(message.settings);
  for (const listener of listeners) listener(current);
  return false;
});

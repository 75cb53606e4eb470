// Options page: settings live in chrome.storage.local under "settings"; content scripts read
// them at run time, so changes apply without reloading pages.
import { DEFAULT_SETTINGS } from '../content/settings.js';

const form = document.getElementById('options');
const status = document.getElementById('status');

async function load() {
  const { settings = {} } = await chrome.storage.local.get('settings');
  const timeouts = { ...DEFAULT_SETTINGS.timeoutMs, ...(settings.timeoutMs || {}) };
  for (const [language, ms] of Object.entries(timeouts)) {
    if (form.elements[language]) form.elements[language].value = String(ms / 1000);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const { settings = {} } = await chrome.storage.local.get('settings');
  const timeoutMs = {};
  for (const language of Object.keys(DEFAULT_SETTINGS.timeoutMs)) {
    const seconds = Number(form.elements[language].value);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      status.textContent = `The ${language} limit must be a positive number of seconds.`;
      return;
    }
    timeoutMs[language] = Math.round(seconds * 1000);
  }
  await chrome.storage.local.set({ settings: { ...settings, timeoutMs } });
  status.textContent = 'Saved.';
});

load();

// Options page: the account (through the service worker, which alone keeps the token) and the
// settings (chrome.storage.sync; content scripts read them at run time, so changes apply
// without reloading pages).
import { DEFAULT_SETTINGS } from '../content/settings.js';
import { TARGET } from '../shared/messages.js';

const $ = (selector) => document.querySelector(selector);
const signInForm = $('#sign-in');
const settingsForm = $('#settings');

const ask = (type, data = {}) => chrome.runtime.sendMessage({ target: TARGET.background, type, ...data });

function defaultDeviceName() {
  const brand = navigator.userAgentData?.brands?.find((b) => !/Not.A.Brand/i.test(b.brand))?.brand || 'Browser';
  const platform = navigator.userAgentData?.platform || navigator.platform || 'this computer';
  return `${brand} on ${platform}`;
}

function isInsecureRemote(url) {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

function showStatus(status) {
  $('#signed-out').hidden = status.signedIn;
  $('#signed-in').hidden = !status.signedIn;
  if (!signInForm.elements.apiUrl.value) signInForm.elements.apiUrl.value = status.apiUrl;
  $('[data-role="email"]').textContent = status.email || '';
  $('[data-role="device"]').textContent = status.device ? status.device.name : '';
  $('[data-role="api-url"]').textContent = status.apiUrl;
  $('#sync-enabled').checked = status.syncEnabled;
  const parts = [];
  if (status.signedIn) parts.push(status.syncEnabled ? 'Sync is on.' : 'Sync is off.');
  parts.push(`${status.queued} run(s) waiting to sync.`);
  if (status.queuedForOtherAccounts) {
    parts.push(`${status.queuedForOtherAccounts} run(s) made under another account wait for it to sign in again.`);
  }
  if (status.rejected) parts.push(`${status.rejected} run(s) refused by the server (kept on this device).`);
  if (status.lastSyncAt) parts.push(`Last sync ${new Date(status.lastSyncAt).toLocaleString()}.`);
  $('[data-role="sync-status"]').textContent = parts.join(' ');
  $('[data-role="account-error"]').textContent = status.lastError || '';
  $('#http-warning').hidden = !isInsecureRemote(signInForm.elements.apiUrl.value);
}

async function refresh() {
  const reply = await ask('sync-status');
  if (reply && reply.ok) showStatus(reply.status);
}

signInForm.elements.apiUrl.addEventListener('input', () => {
  $('#http-warning').hidden = !isInsecureRemote(signInForm.elements.apiUrl.value);
});

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = signInForm.elements;
  $('[data-role="account-error"]').textContent = '';
  const reply = await ask('sign-in', {
    apiUrl: form.apiUrl.value.trim(),
    email: form.email.value.trim(),
    password: form.password.value,
    deviceName: form.deviceName.value.trim(),
    register: event.submitter && event.submitter.value === 'register',
  });
  form.password.value = '';
  if (reply && reply.ok) showStatus(reply.status);
  else $('[data-role="account-error"]').textContent = (reply && reply.error) || 'Could not sign in.';
});

$('#sign-out').addEventListener('click', async () => showStatus((await ask('sign-out')).status));
$('#sync-now').addEventListener('click', async () => showStatus((await ask('sync-now')).status));
$('#sync-enabled').addEventListener('change', async (event) =>
  showStatus((await ask('set-sync', { enabled: event.target.checked })).status),
);

async function loadSettingsForm() {
  const { settings = {} } = await chrome.storage.sync.get('settings');
  const merged = { ...DEFAULT_SETTINGS, ...settings, timeoutMs: { ...DEFAULT_SETTINGS.timeoutMs, ...(settings.timeoutMs || {}) } };
  const form = settingsForm.elements;
  for (const [language, ms] of Object.entries(merged.timeoutMs)) form[`timeout-${language}`].value = String(ms / 1000);
  form.pageAddress.value = merged.pageAddress;
  form.pythonPreload.checked = merged.pythonPreload;
  form.userCodeNetwork.checked = merged.userCodeNetwork;
  form.pythonPackageIndex.value = merged.pythonPackageIndex;
  form.pythonIdleMinutes.value = String(merged.pythonIdleMinutes);
  form.disabledSites.value = merged.disabledSites.join('\n');
}

settingsForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = settingsForm.elements;
  const status = $('[data-role="settings-status"]');
  const timeoutMs = {};
  for (const language of Object.keys(DEFAULT_SETTINGS.timeoutMs)) {
    const seconds = Number(form[`timeout-${language}`].value);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      status.textContent = `The ${language} limit must be between 1 and 600 seconds.`;
      return;
    }
    timeoutMs[language] = Math.round(seconds * 1000);
  }
  const index = form.pythonPackageIndex.value.trim();
  if (index && !/^https?:\/\//.test(index)) {
    status.textContent = 'The package index must be an http(s) URL.';
    return;
  }
  const idleMinutes = Number(form.pythonIdleMinutes.value);
  if (!Number.isFinite(idleMinutes) || idleMinutes < 1) {
    status.textContent = 'The idle time must be at least 1 minute.';
    return;
  }
  const { settings = {} } = await chrome.storage.sync.get('settings');
  await chrome.storage.sync.set({
    settings: {
      ...settings,
      timeoutMs,
      pageAddress: form.pageAddress.value || 'full',
      pythonPreload: form.pythonPreload.checked,
      userCodeNetwork: form.userCodeNetwork.checked,
      pythonPackageIndex: index,
      pythonIdleMinutes: Math.round(idleMinutes),
      disabledSites: form.disabledSites.value.split(/\s+/).map((s) => s.trim().toLowerCase()).filter(Boolean),
    },
  });
  status.textContent = 'Saved.';
});

signInForm.elements.deviceName.value = defaultDeviceName();
loadSettingsForm();
refresh();
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.account) refresh();
});

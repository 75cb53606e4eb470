// Options page: the account (through the service worker, which alone keeps the token) and the
// settings (chrome.storage.sync; content scripts read them at run time, so changes apply
// without reloading pages).
import {
  DEFAULT_RUNNER_SETTINGS, PAGE_SETTINGS_KEY, RUNNER_SETTINGS_KEY, loadPageSettings, loadRunnerSettings,
} from '../shared/settings.js';
import {
  BACKGROUND_MESSAGE, OFFSCREEN_MESSAGE, QUARANTINE_CHANGED, TARGET, askBackground as ask,
} from '../shared/messages.js';
import { labelOf, labelsWhere } from '../shared/languages.js';
import { showQuarantine } from './quarantine-list.js';
import { showDashboardLink } from '../shared/dashboard-link.js';

const $ = (selector) => document.querySelector(selector);
const signInForm = $('#sign-in');
const settingsForm = $('#settings');

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
  showDashboardLink($('[data-role="dashboard"]'), status);
  $('#sync-enabled').checked = status.syncEnabled;
  const parts = [];
  if (status.signedIn) parts.push(status.syncEnabled ? 'Sync is on.' : 'Sync is off.');
  parts.push(`${status.queued} run(s) waiting to sync.`);
  if (status.queuedForOtherAccounts) {
    parts.push(`${status.queuedForOtherAccounts} run(s) made under another account wait for it to sign in again.`);
  }
  if (status.quarantined) parts.push(`${status.quarantined} run(s) did not sync (kept on this device, listed below).`);
  if (status.lastSyncAt) parts.push(`Last sync ${new Date(status.lastSyncAt).toLocaleString()}.`);
  $('[data-role="sync-status"]').textContent = parts.join(' ');
  $('[data-role="account-error"]').textContent = status.lastError || '';
  $('#http-warning').hidden = !isInsecureRemote(signInForm.elements.apiUrl.value);
}

async function refresh() {
  const reply = await ask(BACKGROUND_MESSAGE.syncStatus);
  if (reply && reply.ok) showStatus(reply.status);
}

signInForm.elements.apiUrl.addEventListener('input', () => {
  $('#http-warning').hidden = !isInsecureRemote(signInForm.elements.apiUrl.value);
});

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = signInForm.elements;
  $('[data-role="account-error"]').textContent = '';
  const reply = await ask(BACKGROUND_MESSAGE.signIn, {
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

$('#sign-out').addEventListener('click', async () => showStatus((await ask(BACKGROUND_MESSAGE.signOut)).status));
$('#sync-now').addEventListener('click', async () => showStatus((await ask(BACKGROUND_MESSAGE.syncNow)).status));
$('#sync-enabled').addEventListener('change', async (event) =>
  showStatus((await ask(BACKGROUND_MESSAGE.setSync, { enabled: event.target.checked })).status),
);

// One time-limit field per language a runner runs.
function buildLimitFields() {
  const fieldset = settingsForm.querySelector('fieldset');
  for (const id of Object.keys(DEFAULT_RUNNER_SETTINGS.timeoutMs)) {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'number', min: '1', max: '600', step: '1', name: `timeout-${id}` });
    label.append(`${labelOf(id)} `, input);
    fieldset.appendChild(label);
  }
}

// Page settings go to storage.sync (content scripts read them); runner settings to
// storage.local, which only the extension's own pages and workers can read or write.
async function loadSettingsForm() {
  const [page, runner] = await Promise.all([loadPageSettings(), loadRunnerSettings()]);
  const form = settingsForm.elements;
  for (const [language, ms] of Object.entries(runner.timeoutMs)) {
    if (form[`timeout-${language}`]) form[`timeout-${language}`].value = String(ms / 1000);
  }
  form.pageAddress.value = page.pageAddress;
  form.preloadRuntimes.checked = page.preloadRuntimes;
  form.disabledSites.value = page.disabledSites.join('\n');
  form.userCodeNetwork.checked = runner.userCodeNetwork;
  form.pythonPackageIndex.value = runner.pythonPackageIndex;
  form.kernelIdleMinutes.value = String(runner.kernelIdleMinutes);
  form.maxKernels.value = String(runner.maxKernels);
}

/** The runner settings in the form, or an error message. */
function runnerSettingsFromForm(form) {
  const timeoutMs = {};
  for (const language of Object.keys(DEFAULT_RUNNER_SETTINGS.timeoutMs)) {
    const seconds = Number(form[`timeout-${language}`].value);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      return { error: `The ${labelOf(language)} limit must be between 1 and 600 seconds.` };
    }
    timeoutMs[language] = Math.round(seconds * 1000);
  }
  const index = form.pythonPackageIndex.value.trim();
  if (index && !/^https?:\/\//.test(index)) return { error: 'The package index must be an http(s) URL.' };
  const idleMinutes = Number(form.kernelIdleMinutes.value);
  if (!Number.isFinite(idleMinutes) || idleMinutes < 1) return { error: 'The idle time must be at least 1 minute.' };
  const maxKernels = Number(form.maxKernels.value);
  if (!Number.isInteger(maxKernels) || maxKernels < 1 || maxKernels > 10) {
    return { error: 'The number of conversations keeping their variables and tables must be between 1 and 10.' };
  }
  return {
    settings: {
      timeoutMs,
      userCodeNetwork: form.userCodeNetwork.checked,
      pythonPackageIndex: index,
      kernelIdleMinutes: Math.round(idleMinutes),
      maxKernels,
    },
  };
}

settingsForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = settingsForm.elements;
  const status = $('[data-role="settings-status"]');
  const runner = runnerSettingsFromForm(form);
  if (runner.error) {
    status.textContent = runner.error;
    return;
  }
  const { [PAGE_SETTINGS_KEY]: page = {} } = await chrome.storage.sync.get(PAGE_SETTINGS_KEY);
  const { [RUNNER_SETTINGS_KEY]: stored = {} } = await chrome.storage.local.get(RUNNER_SETTINGS_KEY);
  await Promise.all([
    chrome.storage.sync.set({
      [PAGE_SETTINGS_KEY]: {
        ...page,
        pageAddress: form.pageAddress.value || 'full',
        preloadRuntimes: form.preloadRuntimes.checked,
        disabledSites: form.disabledSites.value.split(/\s+/).map((s) => s.trim().toLowerCase()).filter(Boolean),
      },
    }),
    chrome.storage.local.set({ [RUNNER_SETTINGS_KEY]: { ...stored, ...runner.settings } }),
  ]);
  status.textContent = 'Saved.';
});

// The conversations whose variables and tables are alive now, per language (kept by the offscreen document).
async function showKernels() {
  const list = $('[data-role="kernels"]');
  let reply = null;
  try {
    reply = await chrome.runtime.sendMessage({ target: TARGET.offscreen, type: OFFSCREEN_MESSAGE.kernelStatus });
  } catch {
    /* no offscreen document: nothing runs */
  }
  const kernels = reply?.ok ? reply.pools.flatMap((pool) => pool.kernels.map((k) => ({ ...k, language: pool.language }))) : [];
  const items = kernels.map((k) => {
    const li = document.createElement('li');
    li.dataset.key = k.key;
    const idle = Math.round((Date.now() - k.lastUsed) / 60000);
    li.textContent = `${labelOf(k.language)} · ${k.key} · ${k.busy ? 'running' : `last run ${idle} min ago`}`;
    return li;
  });
  if (!items.length) {
    const li = document.createElement('li');
    li.textContent = 'None.';
    items.push(li);
  }
  list.replaceChildren(...items);
}

// Which languages a setting applies to, as the registry says.
for (const span of document.querySelectorAll('[data-languages]')) span.textContent = labelsWhere(span.dataset.languages);
signInForm.elements.deviceName.value = defaultDeviceName();
buildLimitFields();
loadSettingsForm();
refresh();
showQuarantine($('[data-role="quarantine"]'), showStatus);
showKernels();
$('#refresh-kernels').addEventListener('click', showKernels);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && (changes.account || changes[QUARANTINE_CHANGED])) refresh();
});

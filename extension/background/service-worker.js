// Service worker: owns the offscreen document's lifecycle, the run history and its sync.
// Runs themselves flow over ports from content scripts straight to the offscreen document,
// so they outlive this worker's idle stop.
import { TARGET, isMessageFor } from '../shared/messages.js';
import { ensureOffscreenDocument, recreateOffscreenDocument } from './offscreen-document.js';
import { DEFAULT_API_URL, getAccount, publicView, restrictStorage, signOut, updateAccount } from './account.js';
import { apiRequest } from './api-client.js';
import { artifactUuid } from './artifact-id.js';
import { pageRuns, queueCounts, rejectedCount, saveRun } from './run-store.js';
import { historyFor } from './run-history.js';
import { SYNC_ALARM, ownerOf, scheduleSync, syncNow } from './sync-engine.js';

restrictStorage();

async function syncStatus() {
  const account = await getAccount();
  const { mine, others } = await queueCounts(ownerOf(account));
  return publicView(account, { queued: mine, queuedForOtherAccounts: others, rejected: await rejectedCount() });
}

async function signIn({ apiUrl, email, password, deviceName, register }) {
  const url = String(apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
  const answer = await apiRequest(url, `/api/v1/auth/${register ? 'register' : 'login'}`, {
    method: 'POST',
    body: { email, password, device_name: deviceName },
  });
  if (!answer.ok) return { ok: false, error: answer.error, status: answer.status };
  await updateAccount({
    apiUrl: url,
    token: answer.data.token,
    email: answer.data.account.email,
    device: { id: answer.data.device.id, name: answer.data.device.name },
    syncEnabled: true,
    revoked: false,
    lastError: null,
    rateLimitedUntil: null,
  });
  scheduleSync(0); // runs made while signed out go up now
  return { ok: true, status: await syncStatus() };
}

const handlers = {
  // A content script is about to open a run port: make sure someone will answer it.
  'ensure-offscreen': async () => {
    await ensureOffscreenDocument();
    return { ok: true };
  },
  // The content script saw the offscreen document stop answering (crash or hang).
  'recreate-offscreen': async () => {
    await recreateOffscreenDocument();
    return { ok: true };
  },
  // A run finished: keep it durably first, then sync in the background.
  'record-run': async ({ record, local }, sender) => {
    const artifact = await artifactUuid(record.code);
    const owner = ownerOf(await getAccount());
    await saveRun(
      { ...record, artifact_uuid: artifact, owner },
      { site: local.site, page_key: local.pageKey, tab_id: sender.tab && sender.tab.id },
    );
    // Give the sync a moment so the panel can say at once if the account is rate limited.
    await Promise.race([syncNow(), new Promise((resolve) => setTimeout(resolve, 1500))]);
    return { ok: true, status: await syncStatus() };
  },
  // Python was restarted in the offscreen document: tell every tab (each checks its own page).
  'python-restarted': async ({ namespaces, reason }) => {
    const tabs = await chrome.tabs.query({});
    await Promise.all(
      tabs.map((tab) => chrome.tabs.sendMessage(tab.id, { type: 'python-restarted', namespaces, reason }).catch(() => {})),
    );
    return { ok: true };
  },
  history: async ({ code, site }) => ({ ok: true, runs: await historyFor(code, site) }),
  'page-runs': async ({ pageKey }) => ({ ok: true, runs: await pageRuns(pageKey) }),
  'sync-status': async () => ({ ok: true, status: await syncStatus() }),
  'sync-now': async () => {
    await syncNow();
    return { ok: true, status: await syncStatus() };
  },
  'set-sync': async ({ enabled }) => {
    await updateAccount({ syncEnabled: Boolean(enabled) });
    if (enabled) scheduleSync(0);
    return { ok: true, status: await syncStatus() };
  },
  'sign-in': async (message) => signIn(message),
  'sign-out': async () => {
    await signOut();
    return { ok: true, status: await syncStatus() };
  },
};

// Only this extension's own contexts: content scripts may record runs and read their site's
// history; account actions come from extension pages only.
const EXTENSION_PAGE_ONLY = new Set(['sign-in', 'sign-out', 'set-sync', 'sync-now']);

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessageFor(message, TARGET.background) || sender.id !== chrome.runtime.id) return false;
  const handler = handlers[message.type];
  if (!handler) {
    console.warn('chatrun: unknown background message', message.type);
    return false;
  }
  if (EXTENSION_PAGE_ONLY.has(message.type) && sender.tab && !sender.url?.startsWith(chrome.runtime.getURL(''))) {
    sendResponse({ ok: false, error: 'not allowed from a web page' });
    return false;
  }
  handler(message, sender).then(sendResponse, (error) =>
    sendResponse({ ok: false, error: String(error && error.message ? error.message : error) }),
  );
  return true; // answer asynchronously
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) syncNow();
});
chrome.runtime.onStartup.addListener(() => scheduleSync(0));

// Service worker: owns the offscreen document's lifecycle, the run history and its sync.
// Runs themselves flow over ports from content scripts straight to the offscreen document,
// so they outlive this worker's idle stop.
import {
  BACKGROUND_MESSAGE, CONTENT_SCRIPT_MESSAGES, OFFSCREEN_MESSAGE, TARGET, isExtensionContext, isMessageFor,
} from '../shared/messages.js';
import { RUNNER_SETTINGS_KEY, loadPageSettings, loadRunnerSettings } from '../shared/settings.js';
import { moveLegacyRunnerSettings } from './settings-migration.js';
import { ensureOffscreenDocument, recreateOffscreenDocument } from './offscreen-document.js';
import { DEFAULT_API_URL, getAccount, publicView, restrictStorage, signOut, updateAccount } from './account.js';
import { apiRequest } from './api-client.js';
import { artifactUuid } from './artifact-id.js';
import { discard, pageRuns, quarantineCount, quarantinedRuns, queueCounts, requeue, saveRun } from './run-store.js';
import { historyFor } from './run-history.js';
import { SYNC_ALARM, ownerOf, scheduleSync, syncNow } from './sync-engine.js';
import { wellFormed } from './well-formed.js';
import './commands.js';

// Before anything is stored: content scripts must never read the token or the runner settings.
const restricted = restrictStorage();

async function syncStatus() {
  const account = await getAccount();
  const { mine, others } = await queueCounts(ownerOf(account));
  return publicView(account, { queued: mine, queuedForOtherAccounts: others, quarantined: await quarantineCount() });
}

async function signIn({ apiUrl, email, password, deviceName, register }) {
  const url = String(apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
  // The extension's CSP (connect-src) lets it reach https:// and this computer only.
  if (!isReachableApi(url)) {
    return { ok: false, error: 'The companion API must be an https:// address (plain http only on this computer).' };
  }
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
  [BACKGROUND_MESSAGE.ensureOffscreen]: async () => {
    await ensureOffscreenDocument();
    return { ok: true };
  },
  // The content script saw the offscreen document stop answering (crash or hang).
  [BACKGROUND_MESSAGE.recreateOffscreen]: async () => {
    await recreateOffscreenDocument();
    return { ok: true };
  },
  // A run finished: keep it durably first, then sync in the background. The site it ran on is
  // what the browser says of the sender; the page only supplies its path and title.
  [BACKGROUND_MESSAGE.recordRun]: async ({ record: sent }, sender) => {
    // Lone surrogates become U+FFFD here, by the server's rule, so every copy agrees.
    const record = wellFormed(sent);
    const page = pageOf(sender, record.page?.url);
    const policy = (await loadPageSettings()).pageAddress;
    const artifact = await artifactUuid(record.code);
    const owner = ownerOf(await getAccount());
    await saveRun(
      { ...record, page: pageFields(page, policy, record.page?.title), artifact_uuid: artifact, owner },
      { site: page.site, page_key: page.key, tab_id: sender.tab.id },
    );
    // Give the sync a moment so the panel can say at once if the account is rate limited.
    await Promise.race([syncNow(), new Promise((resolve) => setTimeout(resolve, 1500))]);
    return { ok: true, status: panelView(await getAccount()) };
  },
  // The offscreen document (which has no chrome.storage) asks for the runner settings.
  [OFFSCREEN_MESSAGE.runnerSettings]: async () => ({ ok: true, settings: await loadRunnerSettings() }),
  [BACKGROUND_MESSAGE.history]: async ({ code }, sender) => ({ ok: true, runs: await historyFor(code, pageOf(sender).site) }),
  // A panel's "Open in a tab": keep the document for the new tab (storage.session: trusted
  // contexts only) and open the preview page, which takes it once.
  [BACKGROUND_MESSAGE.openPreview]: async ({ html, title }, sender) => {
    const id = crypto.randomUUID();
    const doc = { html: String(html ?? '').slice(0, MAX_PREVIEW_CHARS), title: `${String(title ?? 'Preview').slice(0, 200)} (${pageOf(sender).site})` };
    await chrome.storage.session.set({ [`preview:${id}`]: doc });
    await chrome.tabs.create({ url: chrome.runtime.getURL(`preview/tab.html#${id}`), openerTabId: sender.tab.id });
    return { ok: true };
  },
  [BACKGROUND_MESSAGE.previewDocument]: async ({ id }) => {
    const key = `preview:${String(id)}`;
    const { [key]: doc } = await chrome.storage.session.get(key);
    if (!doc) return { ok: false, error: 'no such preview' };
    await chrome.storage.session.remove(key);
    return { ok: true, ...doc };
  },
  [BACKGROUND_MESSAGE.pageRuns]: async ({ pageKey }) => ({ ok: true, runs: await pageRuns(pageKey) }),
  [BACKGROUND_MESSAGE.syncStatus]: async () => ({ ok: true, status: await syncStatus() }),
  [BACKGROUND_MESSAGE.syncNow]: async () => {
    await syncNow({ explicit: true });
    return { ok: true, status: await syncStatus() };
  },
  // The quarantine: runs the server refused or kept failing on, each with its reason.
  [BACKGROUND_MESSAGE.quarantine]: async () => ({ ok: true, runs: await quarantinedRuns() }),
  [BACKGROUND_MESSAGE.retryRun]: async ({ executionId }) => {
    const found = await requeue(String(executionId));
    if (found) await syncNow({ explicit: true });
    return { ok: found, runs: await quarantinedRuns(), status: await syncStatus() };
  },
  [BACKGROUND_MESSAGE.discardRun]: async ({ executionId }) => {
    const found = await discard(String(executionId));
    return { ok: found, runs: await quarantinedRuns(), status: await syncStatus() };
  },
  [BACKGROUND_MESSAGE.setSync]: async ({ enabled }) => {
    await updateAccount({ syncEnabled: Boolean(enabled) });
    if (enabled) scheduleSync(0);
    return { ok: true, status: await syncStatus() };
  },
  [BACKGROUND_MESSAGE.signIn]: async (message) => signIn(message),
  [BACKGROUND_MESSAGE.signOut]: async () => {
    await signOut();
    return { ok: true, status: await syncStatus() };
  },
};

// Content scripts may start the runner, record runs and read their own site's history; the rest
// comes from the extension's own pages only (a compromised page renderer can send anything a
// content script can).
const FROM_CONTENT_ONLY = new Set([BACKGROUND_MESSAGE.recordRun, BACKGROUND_MESSAGE.history, BACKGROUND_MESSAGE.openPreview]);
const MAX_PREVIEW_CHARS = 2_000_000;

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessageFor(message, TARGET.background) || sender.id !== chrome.runtime.id) return false;
  const handler = handlers[message.type];
  if (!handler) {
    console.warn('chatrun: unknown background message', message.type);
    return false;
  }
  const fromPage = !isExtensionContext(sender);
  if ((fromPage && !CONTENT_SCRIPT_MESSAGES.has(message.type)) || (FROM_CONTENT_ONLY.has(message.type) && !pageOf(sender))) {
    sendResponse({ ok: false, error: 'not allowed from here' });
    return false;
  }
  restricted.then(() => handler(message, sender)).then(sendResponse, (error) =>
    sendResponse({ ok: false, error: String(error && error.message ? error.message : error) }),
  );
  return true; // answer asynchronously
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) syncNow();
});
chrome.runtime.onStartup.addListener(() => scheduleSync(0));
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'update') restricted.then(moveLegacyRunnerSettings);
});

// The offscreen document keeps no copy of storage: push every change of the runner settings.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !changes[RUNNER_SETTINGS_KEY]) return;
  loadRunnerSettings().then((settings) =>
    chrome.runtime.sendMessage({ target: TARGET.offscreen, type: OFFSCREEN_MESSAGE.runnerSettings, settings }).catch(() => {}),
  );
});

function isReachableApi(raw) {
  try {
    const { protocol, hostname } = new URL(raw);
    return protocol === 'https:' || (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
  } catch {
    return false;
  }
}

/**
 * The web page a content script's message came from, or null for anything else. The origin is
 * the browser's word; the address within it may come from the page (`claimed`), because the
 * browser's sender.url stays at the document's first address while a chat app moves between
 * conversations with history.pushState.
 */
function pageOf(sender, claimed) {
  if (!sender?.tab || isExtensionContext(sender) || typeof sender.url !== 'string') return null;
  try {
    const url = new URL(sender.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    let page = url;
    try {
      const stated = new URL(claimed);
      if (stated.origin === url.origin) page = stated;
    } catch {
      /* no address from the page: the document's own */
    }
    return { url: page.href, site: url.hostname, key: `${url.origin}${page.pathname}` };
  } catch {
    return null;
  }
}

/** What is stored of the page with a run, by the user's choice (options: "What is stored"). */
function pageFields(page, policy, title) {
  if (policy === 'none') return null;
  if (policy === 'site') return { url: null, site: page.site, title: null };
  const text = typeof title === 'string' ? title.slice(0, 500) : '';
  return { url: page.url.slice(0, 2048), site: page.site, title: text || null };
}

/** What a panel needs to know of the account: whether sync is stuck, never who is signed in. */
function panelView(account) {
  return { signedIn: Boolean(account.token), revoked: account.revoked, rateLimitedUntil: account.rateLimitedUntil };
}

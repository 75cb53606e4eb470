// The signed-in account and sync state. Kept in chrome.storage.local, which this extension
// restricts to its own trusted contexts (service worker, options page, popup): content scripts,
// pages and code the user runs cannot read the device token.
export const DEFAULT_API_URL = 'http://127.0.0.1:8765';

const KEY = 'account';
const EMPTY = Object.freeze({
  apiUrl: DEFAULT_API_URL,
  token: null,
  email: null,
  device: null, // {id, name}
  syncEnabled: false,
  lastSyncAt: null,
  lastError: null,
  rateLimitedUntil: null,
  revoked: false,
});

export async function restrictStorage() {
  try {
    await chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  } catch (error) {
    console.warn('chatrun: could not restrict storage.local', error);
  }
}

export async function getAccount() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  return { ...EMPTY, ...(stored || {}) };
}

export async function updateAccount(changes) {
  const next = { ...(await getAccount()), ...changes };
  await chrome.storage.local.set({ [KEY]: next });
  return next;
}

export async function signOut() {
  const { apiUrl } = await getAccount();
  await chrome.storage.local.set({ [KEY]: { ...EMPTY, apiUrl } });
}

/** What other contexts may see: never the token. */
export function publicView(account, extra = {}) {
  const { token, ...rest } = account;
  return { ...rest, signedIn: Boolean(token), ...extra };
}

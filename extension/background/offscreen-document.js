// Owns the single offscreen document. Only one may exist, and createDocument throws if one
// does, so concurrent callers share one pending promise.

const OFFSCREEN_URL = 'offscreen/offscreen.html';
let creating = null;

async function hasDocument() {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT'],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_URL)],
  });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument() {
  // A document being created is listed as a context before it has loaded (and set its port
  // listeners): a caller that only asked hasDocument() would connect too early and be refused.
  if (creating) return creating;
  if (await hasDocument()) return;
  if (!creating) {
    creating = chrome.offscreen
      .createDocument({
        url: OFFSCREEN_URL,
        reasons: ['WORKERS'],
        justification: 'Runs code blocks in sandboxed workers and keeps the Python runtime warm.',
      })
      .catch((error) => {
        // Another caller may have won the race between hasDocument() and createDocument().
        if (!String(error && error.message).includes('Only a single offscreen')) throw error;
      })
      .finally(() => {
        creating = null;
      });
  }
  await creating;
}

export async function recreateOffscreenDocument() {
  if (await hasDocument()) {
    await chrome.offscreen.closeDocument().catch(() => {});
  }
  await ensureOffscreenDocument();
}

// Service worker: owns the offscreen document's lifecycle and routes requests that need it.
// Runs themselves flow over ports from content scripts straight to the offscreen document,
// so they outlive this worker's idle stop.
import { TARGET, isMessageFor } from '../shared/messages.js';
import { ensureOffscreenDocument, recreateOffscreenDocument } from './offscreen-document.js';

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
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessageFor(message, TARGET.background)) return false;
  const handler = handlers[message.type];
  if (!handler) {
    console.warn('chatrun: unknown background message', message.type);
    return false;
  }
  handler(message, sender).then(sendResponse, (error) =>
    sendResponse({ ok: false, error: String(error && error.message ? error.message : error) }),
  );
  return true; // answer asynchronously
});

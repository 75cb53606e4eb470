// One envelope shape for runtime messages between extension contexts: {target, type, ...data}.
// Every context registers its listener at top level and ignores messages for other targets.

export const TARGET = Object.freeze({
  background: 'background',
  offscreen: 'offscreen',
});

// Ports from a content script straight to the offscreen document:
// - a run port per run (run / stop / stdin, then streamed events);
// - one page port per page that uses a kernel: while it is open the conversation's kernels are
//   held; the browser closes it when the page goes away; kernel notices come back over it.
export const RUN_PORT = 'chatrun-run';
export const PAGE_PORT = 'chatrun-page';

// Requests and events on the page port (envelopes of shared/protocol.js).
export const PAGE_MESSAGE = Object.freeze({
  hold: 'hold', // request, first, payload {path}: hold this conversation's kernels
  preload: 'preload', // request, payload {language}: warm a spare kernel now
  kernelFreed: 'kernel-freed', // event {language, reason, max?}: the variables are gone
});

// Why a conversation's kernel was freed (the panel words its notice after it).
export const FREED_REASON = Object.freeze({
  budget: 'budget', // the live-kernel budget made room for another conversation
  idle: 'idle', // no runs for the idle setting
  restarted: 'restarted', // killed (Stop ignored, crash): a fresh kernel starts on the next run
  settings: 'settings', // a runner setting it was started with changed
  reset: 'reset', // the user pressed Reset
  closed: 'closed', // no page of the conversation is open any more
});

// Offscreen-document requests from extension pages (options) and the service worker.
export const OFFSCREEN_MESSAGE = Object.freeze({
  runnerSettings: 'runner-settings', // service worker -> offscreen {settings}: settings changed
  kernelStatus: 'kernel-status', // extension page -> offscreen: the live kernels
});

// Requests to the service worker ({target: TARGET.background, type, ...}). Content scripts may
// send only CONTENT_SCRIPT_MESSAGES (the service worker checks); the rest come from the
// extension's own pages.
export const BACKGROUND_MESSAGE = Object.freeze({
  ensureOffscreen: 'ensure-offscreen', // content script: a run port is about to open
  recreateOffscreen: 'recreate-offscreen', // content script: the offscreen document stopped answering
  recordRun: 'record-run', // content script {record}: a finished run, to keep and sync
  history: 'history', // content script {code}: earlier runs of this code on the sender's site
  openPreview: 'open-preview', // content script {html, title}: the preview in a tab of its own
  previewDocument: 'preview-document', // preview tab {id}: the document it was opened for
  pageRuns: 'page-runs', // popup {pageKey}: the runs of one page
  syncStatus: 'sync-status',
  syncNow: 'sync-now',
  setSync: 'set-sync', // {enabled}
  signIn: 'sign-in', // {apiBase, email, password, deviceName}
  signOut: 'sign-out',
  quarantine: 'quarantine', // the runs that did not sync, with their reasons
  retryRun: 'retry-run', // {executionId}
  discardRun: 'discard-run', // {executionId}
});

// The storage.local key the service worker sets whenever the quarantine changes: extension pages
// showing it listen (storage.onChanged) instead of polling.
export const QUARANTINE_CHANGED = 'quarantineChangedAt';

export const CONTENT_SCRIPT_MESSAGES = Object.freeze(new Set([
  BACKGROUND_MESSAGE.ensureOffscreen, BACKGROUND_MESSAGE.recreateOffscreen, BACKGROUND_MESSAGE.recordRun,
  BACKGROUND_MESSAGE.history, BACKGROUND_MESSAGE.openPreview,
]));

// Messages to a tab's content script (chrome.tabs.sendMessage: no target field).
export const TAB_MESSAGE = Object.freeze({
  pageInfo: 'page-info', // popup: the page's key, site and blocks
  runNearestBlock: 'run-nearest-block', // keyboard command: run the block nearest the window's middle
});

/** A request to the service worker (from an extension page or a content script). */
export function askBackground(type, data = {}) {
  return chrome.runtime.sendMessage({ target: TARGET.background, type, ...data });
}

export function isMessageFor(message, target) {
  return Boolean(message) && typeof message === 'object' && message.target === target;
}

/** Whether a message sender is one of this extension's own pages or workers (not a content script). */
export function isExtensionContext(sender) {
  const origin = chrome.runtime.getURL('').replace(/\/$/, '');
  return sender?.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(`${origin}/`);
}

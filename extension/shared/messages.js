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

export function isMessageFor(message, target) {
  return Boolean(message) && typeof message === 'object' && message.target === target;
}

/** Whether a message sender is one of this extension's own pages or workers (not a content script). */
export function isExtensionContext(sender) {
  const origin = chrome.runtime.getURL('').replace(/\/$/, '');
  return sender?.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(`${origin}/`);
}

// One envelope shape for runtime messages between extension contexts: {target, type, ...data}.
// Every context registers its listener at top level and ignores messages for other targets.

export const TARGET = Object.freeze({
  background: 'background',
  offscreen: 'offscreen',
});

export const RUN_PORT = 'chatrun-run';

// Terminal states of a run, as shown in data-state and sent to the companion API.
export const FINAL_STATUSES = Object.freeze(['success', 'error', 'timeout', 'stopped']);

export function isMessageFor(message, target) {
  return Boolean(message) && typeof message === 'object' && message.target === target;
}

// Content script entry: find code blocks, give each runnable one a Run panel, and keep the
// panel attached to its block through streaming and re-renders.
import { BlockScanner } from './block-scanner.js';
import { readBlock } from './block-reader.js';
import { isRunnable } from './languages.js';
import { BlockController } from './block-controller.js';

const controllers = new Map(); // block key -> controller
const keyOfRoot = new WeakMap();

function blockKey(root, adapter, info) {
  // Position of the block within its message: stable when the site re-renders or replaces it.
  const scope = info.message || document;
  const siblings = scope.querySelectorAll(adapter.block);
  const index = Array.prototype.indexOf.call(siblings, root);
  return `${adapter.name}|${info.messageKey}|${index}`;
}

function onReady(root, adapter) {
  const info = readBlock(root, adapter);
  const key = keyOfRoot.get(root) || blockKey(root, adapter, info);
  const existing = controllers.get(key);
  if (existing) {
    if (existing.root !== root && existing.root.isConnected) {
      return; // two live blocks at one position: keep the first, never duplicate
    }
    if (existing.root === root || isSameBlock(existing.info, info)) {
      keyOfRoot.set(root, key);
      existing.update(root, adapter, info);
      return;
    }
    // Another block now sits where an old one was (e.g. a different conversation): start fresh.
    controllers.delete(key);
    existing.dispose();
  }
  if (!isRunnable(info.language)) return;
  keyOfRoot.set(root, key);
  controllers.set(key, new BlockController(root, adapter, info));
}

// A re-rendered or swapped block holds the same code, or more of it while it streams.
function isSameBlock(before, after) {
  return after.code === before.code || after.code.startsWith(before.code);
}

function onGone(root) {
  const key = keyOfRoot.get(root);
  const controller = key && controllers.get(key);
  if (!controller || controller.root !== root) return;
  // Keep the controller a little while: the site may be replacing the block with a new one.
  setTimeout(() => {
    if (controllers.get(key) === controller && !controller.root.isConnected) {
      controllers.delete(key);
      controller.dispose();
    }
  }, 3000);
}

if (!window.__chatrunLoaded) {
  window.__chatrunLoaded = true;
  new BlockScanner({ onReady, onGone }).start();
}

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
    keyOfRoot.set(root, key);
    if (existing.root !== root && existing.root.isConnected) {
      return; // two live blocks at one position: keep the first, never duplicate
    }
    existing.update(root, adapter, info);
    return;
  }
  if (!isRunnable(info.language)) return;
  keyOfRoot.set(root, key);
  controllers.set(key, new BlockController(root, adapter, info));
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

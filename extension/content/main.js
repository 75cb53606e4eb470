// Content script entry: find code blocks, give each runnable one a Run panel, and keep the
// panel attached to its block through streaming and re-renders. Loading it does nothing but
// post the task that starts the first scan; a block's full panel waits until it is near the
// viewport, and those on screen are built in the task that finds them.
import { BlockScanner, rootsOf } from './block-scanner.js';
import { readBlock } from './block-reader.js';
import { LANGUAGES, isKernelLanguage, isRunnable } from '../shared/languages.js';
import { BlockSlot } from './block-slot.js';
import { NearViewport, PLACE } from './near-viewport.js';
import { detectTheme, watchTheme } from './panel/theme.js';
import { preparePanels } from './panel/panel.js';
import { conversationKey, onKernelFreed, preloadKernel } from './kernel-link.js';
import { PAGE_SETTINGS_KEY, loadPageSettings, pageSettingsIfRead } from '../shared/settings.js';
import { guarded, isDisabled } from './adapter-guard.js';
import { asTask } from './task-timing.js';
import { nextTask } from './time-slice.js';
import { NEAR_SCREENS, inView } from './viewport-order.js';
import { TAB_MESSAGE } from '../shared/messages.js';

const controllers = new Map(); // block key -> BlockSlot
const nearViewport = new NearViewport();
const keyOfRoot = new WeakMap();

// Any page can keep Chatrun off a part of it (or all of it) with this attribute on an ancestor
// of its code; the companion API's dashboard does for its code and output boxes.
const OPT_OUT = '[data-chatrun="off"]';

// Position of a block within its message: stable when the site re-renders or replaces it.
// Sibling lists are looked up once per message per batch, not once per block.
function blockKeys(blocks) {
  const siblingsOf = new Map();
  return blocks.map(({ root, adapter, info }) => {
    const scope = info.message || document;
    let perScope = siblingsOf.get(scope);
    if (!perScope) siblingsOf.set(scope, (perScope = new Map()));
    let indexOf = perScope.get(adapter);
    if (!indexOf) {
      const roots = guarded(adapter, () => rootsOf(adapter, scope), []);
      indexOf = new Map(Array.from(roots, (el, i) => [el, i]));
      perScope.set(adapter, indexOf);
    }
    return `${adapter.name}|${info.messageKey}|${indexOf.get(root) ?? -1}`;
  });
}

// A few ready blocks, in the scanner's task (its slices keep every task short): reads first
// (code, language, theme, where it is), then only writes — no style recalculation or layout
// in between. Each gets a light host; those on screen their full panel now, those near it in
// the next tasks, the others when they come near (near-viewport.js). Until the settings say
// whether Chatrun is on for this site, blocks are only read (`held`).
let siteOn = null;
let held = [];
function onReady(found) {
  const ready = found.filter(([root]) => !optedOut(root));
  const memo = new Map();
  const blocks = ready.map(([root, adapter, onScreen, near]) => ({
    root, adapter, info: readBlock(root, adapter), place: placeOf(root, onScreen, near), theme: detectTheme(root, memo),
  })).filter(({ adapter }) => !isDisabled(adapter));
  // An adapter that failed while its blocks were read is off now: the others take them over.
  if (blocks.length < ready.length) scanner?.rescan();
  if (siteOn) {
    attachAll(blocks);
  } else {
    held.push(...blocks);
    // The settings are on their way: the panels' markup and styles can be parsed meanwhile.
    if (held.length === blocks.length && blocks.length) nextTask(asTask(preparePanels, 'prepare panels'), 'user-blocking');
  }
}

function attachAll(blocks) {
  const keys = blockKeys(blocks);
  blocks.forEach((block, i) => attach(block, keyOfRoot.get(block.root) || keys[i]));
  nearViewport.fillNow();
}

// Where a block is, as the scan's pass found it; read from its box when the pass did not say
// (a short page: still before this task writes anything).
function placeOf(root, onScreen, near) {
  if (onScreen === null || near === null) {
    const box = root.getBoundingClientRect();
    const height = window.innerHeight;
    const shown = Boolean(box.width || box.height);
    onScreen = shown && inView(box, height);
    near = shown && inView(box, height, height * NEAR_SCREENS);
  }
  return onScreen ? PLACE.screen : near ? PLACE.near : PLACE.far;
}

// A pass of the scanner reported all it found.
function onIdle() {
  performance.mark('chatrun:panels-attached');
  scheduleRenumber();
}

function optedOut(root) {
  const off = root.closest(OPT_OUT);
  if (off) {
    const controller = controllers.get(keyOfRoot.get(root));
    if (controller?.root === root) onGone(root);
  }
  return Boolean(off);
}

// Accessible names say which block a control acts on ("Run, Python block 3"): numbered in page
// order once the panels of a batch are attached (a panel starts with its place in the batch).
let renumberTimer = null;
function scheduleRenumber() {
  clearTimeout(renumberTimer);
  renumberTimer = setTimeout(asTask(() => {
    const byHost = new Map(Array.from(controllers.values(), (slot) => [slot.host, slot]));
    let n = 0;
    for (const host of document.querySelectorAll('[data-code-runner]')) byHost.get(host)?.setNumber(++n);
  }, 'number panels'), 0);
}

// The page switched between light and dark: every full panel follows (reads first, then
// writes); a light host reads the theme again when it is filled.
function refreshThemes() {
  const memo = new Map();
  const slots = Array.from(controllers.values());
  const full = slots.filter((slot) => slot.full && slot.root.isConnected);
  const themes = full.map((slot) => detectTheme(slot.root, memo));
  full.forEach((slot, i) => slot.panel.setTheme(themes[i]));
  for (const slot of slots) if (!slot.full) slot.theme = null;
}

/** The block nearest the middle of the window (the "Run the block nearest the centre" command). */
function nearestToCentre() {
  const middle = window.innerHeight / 2;
  let best = null;
  let bestDistance = Infinity;
  for (const controller of controllers.values()) {
    if (!controller.root.isConnected) continue;
    const rect = controller.root.getBoundingClientRect();
    if (!rect.height || rect.bottom < 0 || rect.top > window.innerHeight) continue;
    const distance = middle < rect.top ? rect.top - middle : middle > rect.bottom ? middle - rect.bottom : 0;
    if (distance < bestDistance) [best, bestDistance] = [controller, distance];
  }
  return best;
}

function attach({ root, adapter, info, place, theme }, key) {
  if (!root.isConnected) return null; // held while the settings were read, and gone since
  const existing = controllers.get(key);
  if (existing) {
    if (existing.root !== root && existing.root.isConnected) {
      return null; // two live blocks at one position: keep the first, never duplicate
    }
    if (existing.root === root || isSameBlock(existing.info, info)) {
      keyOfRoot.set(root, key);
      existing.update(root, adapter, info, theme);
      nearViewport.watch(existing, place);
      return existing;
    }
    // Another block now sits where an old one was (e.g. a different conversation): start fresh.
    controllers.delete(key);
    dispose(existing);
  }
  if (!isRunnable(info.language)) return null;
  keyOfRoot.set(root, key);
  const slot = new BlockSlot(root, adapter, info, controllers.size + 1, theme);
  controllers.set(key, slot);
  nearViewport.watch(slot, place);
  if (isKernelLanguage(info.language)) linkKernel(info.language);
  return slot;
}

function dispose(slot) {
  nearViewport.forget(slot);
  slot.dispose();
}

// A block of a kernel language: with the preload setting, have a kernel warm for its first run
// (this also holds the conversation's kernels). Without it, nothing starts before a run: the
// run itself links the page (BlockController.start).
const preloadAsked = new Set();
function linkKernel(language) {
  if (!LANGUAGES[language].preload || preloadAsked.has(language)) return; // once per page
  preloadAsked.add(language);
  loadPageSettings().then((settings) => settings.preloadRuntimes && preloadKernel(language));
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
      dispose(controller);
    }
  }, 3000);
}

// Per-site on/off from the options page or the toolbar popup, applied live. When the settings
// are not read by boot, the first scan starts without them (blocks found meanwhile are held): it
// reads the page while they are on their way.
let scanner = null;
let firstScanDue = true; // boot posted it
function startScanner() {
  scanner = new BlockScanner({ onReady, onGone, onIdle });
  scanner.start();
}

function applySiteSetting(settings) {
  siteOn = !settings.disabledSites.includes(location.hostname);
  if (!siteOn) {
    held = [];
    scanner?.stop();
    scanner = null;
    for (const slot of controllers.values()) dispose(slot);
    controllers.clear();
    return;
  }
  if (!scanner && !firstScanDue) startScanner();
  if (held.length) {
    const blocks = held;
    held = [];
    attachAll(blocks);
    scheduleRenumber();
  }
}

// The toolbar popup asks which page this is, to show its runs and its site switch.
function onExtensionMessage(message, sender, sendResponse) {
  if (sender.id !== chrome.runtime.id) return false;
  if (message?.type === TAB_MESSAGE.pageInfo) {
    sendResponse({ site: location.hostname, pageKey: conversationKey(), panels: controllers.size });
  } else if (message?.type === TAB_MESSAGE.runNearestBlock) {
    // The keyboard command (manifest `commands`), sent by the service worker: a user action.
    const controller = nearestToCentre();
    controller?.start();
    controller?.panel.host.shadowRoot.querySelector('[data-action="stop"]:not([hidden]), [data-action="run"]')?.focus();
    sendResponse({ ran: Boolean(controller) });
  }
  return false;
}

// Loading the content script costs a page nothing but posting this task: it applies the
// settings, which its document_start part has usually read already (else they are asked for,
// and the first scan reads the page while they come: what it finds waits for them), and posts
// the first scan (the blocks on screen first). What is not needed for the first panels comes
// after, when nothing else waits. The first scan is a task of its own, not a part of the
// script's: the frame the page usually draws in between lays the page out, so positions are
// cheap to read then (read in the script's task, they laid out a long page there: 17 ms tasks).
function boot() {
  const settings = pageSettingsIfRead();
  if (settings) applySiteSetting(settings);
  else loadPageSettings().then(asTask(applySiteSetting, 'site setting'));
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes[PAGE_SETTINGS_KEY]) loadPageSettings().then(applySiteSetting);
  });
  // A task of its own: the first slice gets its whole budget, not what binding the APIs left.
  nextTask(asTask(() => {
    firstScanDue = false;
    if (!scanner && siteOn !== false) startScanner();
  }, 'first scan'), 'user-blocking');
  nextTask(asTask(listen, 'listen'), 'background');
}

function listen() {
  watchTheme(refreshThemes);
  chrome.runtime.onMessage.addListener(onExtensionMessage);
  onKernelFreed((message) => {
    for (const slot of controllers.values()) slot.kernelFreed(message);
  });
}

// Never on the extension's own pages (its manifest only matches http and https; this is the
// belt to those braces).
if (!window.__chatrunLoaded && /^https?:$/.test(location.protocol)) {
  window.__chatrunLoaded = true;
  nextTask(asTask(boot, 'boot'));
}

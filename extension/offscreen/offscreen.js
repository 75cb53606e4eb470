// Offscreen document: the runner manager. Content scripts open a run port per run and a page
// port per page that uses a kernel. Who a port belongs to comes from its sender (never from its
// messages); what a run may do comes from the runner settings (never from the page).
import { PAGE_MESSAGE, PAGE_PORT, RUN_PORT, OFFSCREEN_MESSAGE, TARGET, isExtensionContext, isMessageFor } from '../shared/messages.js';
import { conversationOf, runRequestFrom } from './conversation.js';
import { runnerSettings } from './runner-settings.js';
import { JsRunnerHost } from './js-runner-host.js';
import { KernelPool } from './kernel-pool.js';
import { PyKernel } from './py-kernel.js';

// The ports of every page, by conversation: kernel notices go to all of them.
const pagePorts = new Map(); // conversation key -> Set<port>

function notify(key, message) {
  for (const port of pagePorts.get(key) || []) {
    try {
      port.postMessage({ type: PAGE_MESSAGE.kernelFreed, ...message });
    } catch {
      /* the page is going away */
    }
  }
}

const js = new JsRunnerHost();
const python = new KernelPool({
  language: 'python',
  createKernel: (config, onDeath) => new PyKernel({ ...config, onDeath }),
  configOf: (settings) => ({ allowNetwork: settings.userCodeNetwork, packageIndex: settings.pythonPackageIndex || null }),
  settings: runnerSettings,
  notify,
});
const kernels = { python };
const isRunnable = (language) => language in kernels || language === 'javascript' || language === 'typescript';

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== RUN_PORT && port.name !== PAGE_PORT) return;
  if (port.sender?.id !== chrome.runtime.id || !conversationOf(port.sender)) {
    port.disconnect(); // only this extension's content scripts, on web pages
    return;
  }
  port.postMessage({ type: 'accepted' });
  // The first message says what the port is for and at which path of its site the page is.
  port.onMessage.addListener(function onFirst(message) {
    port.onMessage.removeListener(onFirst);
    const conversation = conversationOf(port.sender, message?.path);
    if (port.name === PAGE_PORT && message?.type === PAGE_MESSAGE.hold) holdPage(port, conversation);
    else if (port.name === RUN_PORT && message?.type === 'reset') handleReset(port, conversation, message);
    else if (port.name === RUN_PORT && message?.type === 'run') handleRun(port, conversation, message);
    else port.disconnect();
  });
});

function holdPage(port, { key }) {
  if (!pagePorts.has(key)) pagePorts.set(key, new Set());
  pagePorts.get(key).add(port);
  for (const pool of Object.values(kernels)) pool.hold(key, port);
  port.onMessage.addListener((message) => {
    if (message?.type === PAGE_MESSAGE.preload) kernels[message.language]?.preload();
  });
  port.onDisconnect.addListener(() => {
    pagePorts.get(key)?.delete(port);
    if (!pagePorts.get(key)?.size) pagePorts.delete(key);
    for (const pool of Object.values(kernels)) pool.release(key, port);
  });
}

function emitter(port) {
  let open = true;
  const emit = (event) => {
    if (!open) return;
    try {
      port.postMessage(event);
    } catch {
      open = false;
    }
  };
  port.onDisconnect.addListener(() => {
    open = false;
  });
  return emit;
}

async function handleRun(port, conversation, message) {
  const emit = emitter(port);
  const { request, error } = runRequestFrom(message, isRunnable);
  if (error) {
    emit({ type: 'done', status: 'error', durationMs: 0, message: error });
    return;
  }
  let control;
  const pool = kernels[request.language];
  if (pool) {
    control = pool.run(conversation, request, emit);
  } else {
    const settings = await runnerSettings();
    control = js.run({ ...request, timeoutMs: settings.timeoutMs[request.language] }, emit);
  }
  port.onMessage.addListener((next) => {
    if (next?.type === 'stop') control.stop();
    else if (next?.type === 'stdin') control.input?.(typeof next.text === 'string' ? next.text : null);
  });
  // The tab went away or navigated: nobody is listening, so stop the work.
  port.onDisconnect.addListener(() => control.stop());
}

async function handleReset(port, conversation, message) {
  const emit = emitter(port);
  const pool = kernels[message.language];
  const existed = pool ? await pool.reset(conversation) : false;
  emit({ type: 'done', status: 'success', durationMs: 0, existed });
}

// The options page lists the live kernels.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessageFor(message, TARGET.offscreen) || message.type !== OFFSCREEN_MESSAGE.kernelStatus) return false;
  if (!isExtensionContext(sender)) return false;
  sendResponse({ ok: true, pools: Object.values(kernels).map((pool) => pool.status()) });
  return false;
});

// Offscreen document: the runner manager. Content scripts open a run port per run and a page
// port per page that uses a kernel. Who a port belongs to comes from its sender (never from its
// messages); what a run may do comes from the runner settings (never from the page). Each
// language's runner is the module the registry names; events pass through unchanged once checked.
import { PAGE_MESSAGE, PAGE_PORT, RUN_PORT, OFFSCREEN_MESSAGE, TARGET, isExtensionContext, isMessageFor } from '../shared/messages.js';
import { LANGUAGES, isPreviewLanguage, isRunnable } from '../shared/languages.js';
import { CMD, EVENT, STATUS, checkedEvent, checkedResult, event, failure, kindOf, reply } from '../shared/protocol.js';
import { conversationOf, runRequestFrom } from './conversation.js';
import { runnerSettings } from './runner-settings.js';
import { clock } from '../shared/timing.js';
import { KernelPool } from './kernel-pool.js';

// The page ports by conversation: they hold its kernels, and kernel notices go to all of them.
const pagePorts = new Map(); // conversation key -> Set<port>

function notify(key, message) {
  for (const port of pagePorts.get(key) || []) {
    try {
      port.postMessage(event(0, { type: PAGE_MESSAGE.kernelFreed, ...message }));
    } catch {
      /* the page is going away */
    }
  }
}

// Runners by language, loaded on first use: a kernel pool for kernel languages, else the module's
// runner (shared by the languages that name one module).
const runners = new Map(); // language -> Promise<{pool} | {runner}>
const pools = () => Promise.all(runners.values()).then((all) => all.filter((r) => r.pool).map((r) => r.pool));

function runnerFor(language) {
  if (!runners.has(language)) {
    const entry = LANGUAGES[language];
    runners.set(language, import(chrome.runtime.getURL(entry.runner)).then((module) => (entry.kernel
      ? {
        pool: new KernelPool({
          language,
          createKernel: module.createKernel,
          configOf: module.configOf,
          runtimeStatus: module.runtimeStatus,
          settings: runnerSettings,
          notify,
          isHeld: (key) => pagePorts.has(key),
        }),
      }
      : { runner: module.createRunner() })));
  }
  return runners.get(language);
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== RUN_PORT && port.name !== PAGE_PORT) return;
  if (port.sender?.id !== chrome.runtime.id || !conversationOf(port.sender)) {
    port.disconnect(); // only this extension's content scripts, on web pages
    return;
  }
  port.postMessage(event(0, { type: EVENT.accepted }));
  // The first message says what the port is for and at which path of its site the page is.
  port.onMessage.addListener(function onFirst(message) {
    port.onMessage.removeListener(onFirst);
    const conversation = conversationOf(port.sender, message?.payload?.path);
    if (port.name === PAGE_PORT && message?.cmd === PAGE_MESSAGE.hold) holdPage(port, conversation);
    else if (port.name === RUN_PORT && message?.cmd === CMD.reset) handleReset(port, conversation, message);
    else if (port.name === RUN_PORT && message?.cmd === CMD.run) handleRun(port, conversation, message);
    else port.disconnect();
  });
});

function holdPage(port, { key }) {
  if (!pagePorts.has(key)) pagePorts.set(key, new Set());
  pagePorts.get(key).add(port);
  pools().then((all) => all.forEach((pool) => pool.held(key)));
  port.onMessage.addListener((message) => {
    const language = message?.payload?.language;
    if (message?.cmd === PAGE_MESSAGE.preload && LANGUAGES[language]?.kernel) {
      runnerFor(language).then(({ pool }) => pool.preload());
    }
  });
  port.onDisconnect.addListener(() => {
    const ports = pagePorts.get(key);
    ports?.delete(port);
    if (ports?.size) return;
    pagePorts.delete(key);
    pools().then((all) => all.forEach((pool) => pool.released(key)));
  });
}

// What goes back over a run port: the runner's events as they are (if well formed), then the reply.
// Output waits up to HOLD_OUTPUT_MS: when the result follows by then (a short run: a worker posts
// a run's first output as soon as it is written, and its result a few milliseconds later), the
// output goes inside the reply, so the page writes both in one task and shows them in one frame.
// (One turn of this thread was too short: half the warm `print` runs sent their output alone.)
// A long run's output is late by that much at most, a fraction of its worker's 50 ms batching.
const HOLD_OUTPUT_MS = 8;

function sender(port, id) {
  let open = true;
  let held = null; // output chunks not sent yet
  port.onDisconnect.addListener(() => {
    open = false;
  });
  const post = (message) => {
    if (!open) return;
    try {
      port.postMessage(message);
    } catch {
      open = false;
    }
  };
  const release = () => {
    if (!held) return;
    post(event(id, { type: EVENT.output, chunks: held }));
    held = null;
  };
  return {
    emit: (body) => {
      if (!checkedEvent(body)) return;
      if (body.type !== EVENT.output) {
        release();
        post(event(id, body));
      } else if (held) {
        held.push(...body.chunks);
      } else {
        held = [...body.chunks];
        setTimeout(release, HOLD_OUTPUT_MS);
      }
    },
    reply: (result) => {
      const output = held;
      held = null;
      post(reply(id, checkedResult(output ? { ...result, output } : result)));
    },
    fail: (error) => {
      release();
      post(failure(id, error));
    },
  };
}

async function handleRun(port, conversation, message) {
  const received = clock();
  const out = sender(port, message.id);
  // A preview (HTML, CSS) is shown by the panel's own frame: it never comes here.
  const { request, error } = runRequestFrom(message.payload, (id) => isRunnable(id) && !isPreviewLanguage(id));
  if (error) {
    out.fail(error);
    return;
  }
  const control = { stopped: false, done: false, onStop: null, onInput: null };
  const stop = () => {
    if (control.done) return; // the port closing after the result must not stop anything else
    control.stopped = true;
    control.onStop?.();
  };
  port.onMessage.addListener((next) => {
    if (kindOf(next) !== 'request') return;
    if (next.cmd === CMD.stop) stop();
    else if (next.cmd === CMD.stdin) control.onInput?.(typeof next.payload?.text === 'string' ? next.payload.text : null);
  });
  // The tab went away or navigated: nobody is listening, so stop the work.
  port.onDisconnect.addListener(stop);
  try {
    const [{ pool, runner }, settings] = await Promise.all([runnerFor(request.language), runnerSettings()]);
    const result = pool
      ? await pool.run(conversation, request, out.emit, control)
      : await runner.run({ ...request, timeoutMs: settings.timeoutMs[request.language] }, out.emit, control);
    control.done = true;
    out.reply({ ...result, timing: { ...result.timing, offscreen: received, replied: clock() } });
  } catch (e) {
    out.fail(e);
  }
}

async function handleReset(port, conversation, message) {
  const out = sender(port, message.id);
  const language = message.payload?.language;
  if (!LANGUAGES[language]?.kernel) {
    out.fail(`${language} keeps no state to reset.`);
    return;
  }
  const { pool } = await runnerFor(language);
  await pool.reset(conversation);
  out.reply({ status: STATUS.success });
}

// The options page lists the live kernels.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isMessageFor(message, TARGET.offscreen) || message.type !== OFFSCREEN_MESSAGE.kernelStatus) return false;
  if (!isExtensionContext(sender)) return false;
  pools().then((all) => sendResponse({ ok: true, pools: all.map((pool) => pool.status()) }));
  return true;
});


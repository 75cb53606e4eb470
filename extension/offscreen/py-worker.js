// Chatrun's Python worker: Pyodide in a module worker, after Pyodide's documented web-worker
// pattern (pyodide/pyodide docs/usage/webworker.md, keyboard-interrupts.md). All Python work
// happens here; the host (py-client.js) only sends requests and reads events.
//
// Protocol (shared/protocol.js). The host's first message is {cmd:'connect'} with a MessagePort;
// over that port, requests {id, cmd, payload} get replies {id, ok, result | error} and stream
// events {id, event:{type, ...}}:
//   init   {indexURL, interruptBuffer?: SharedArrayBuffer(1+), stdinBuffer?: SharedArrayBuffer,
//           allowNetwork=false, loadTimeoutMs=60000, runtimeURL?, fontlistURL?, packageIndexURL?,
//           snapshot?: Uint8Array (start from this memory snapshot), wasmModule?: WebAssembly.Module
//           (the interpreter, compiled once by the host), warmUp=true (a spare: take
//           a run's paths once)}
//          events {type:'progress', text, step, percent}; result {version, loadMs, packages}
//   preimport {modules: [module]} -> result {done: boolean}: a spare imports these bundled modules
//          ahead of its conversation, step by step, giving way at the next step to any run
//          waiting (done: false then)
//   snapshot {indexURL, wasmModule?} -> result {snapshot: Uint8Array} of a fresh interpreter; then the worker
//          closes. Nothing else ever runs in that worker.
//   run    {code, namespace='default', lineOffset=0, maxOutput=0 (chars, 0 = no cap)}
//          events {type:'state', state:'loading'}          when bundled packages must load first
//                 {type:'progress', text, step, percent}   each package by name, in order
//                 {type:'state', state:'running'}          the user's code starts (the host's clock)
//                 {type:'output', chunks:[{stream, text}]} at most every ~50 ms; stream: stdout |
//                     stderr | return (repr) | error (traceback) | figure (base64 PNG) | table (JSON)
//                 {type:'state', state:'awaiting-input', prompt}  input() waits for the stdin SAB
//          result {status:'success'|'error'|'stopped', durationMs (the code's), loadMs (packages
//                 before it), inputWaitMs, truncated, fatal?, imported? (bundled top-level modules)}
//                 (fatal: the interpreter crashed; start a new worker)
//   reset  {namespace} -> result {existed}
//   unload {}          -> result {} then the worker closes itself (frees the heap)
// Shared memory: interruptBuffer Uint8Array[0] = 2 raises KeyboardInterrupt (host writes it, and
// sets it to 0 before posting each run; during an `await` the worker cancels the block instead);
// stdinBuffer = Int32 [state, length] + UTF-8 bytes from byte 8 (state 1 = a line is there,
// length -1 = EOF), written by the host, Atomics.notify on index 0.

import {
  PYTHON_NETWORK_GLOBALS, PYTHON_RUNNER_GLOBALS, confineGlobalScope, explainedStubs,
} from '../shared/worker-scope.js';
import { CMD, EVENT, STATE, STATUS, serveOnConnect } from '../shared/protocol.js';
import { clock } from '../shared/timing.js';

// Captured before the scope is confined (lockDown): only this module holds them.
const privateFetch = globalThis.fetch.bind(globalThis);
const closeWorker = globalThis.close.bind(globalThis);
const ORIGIN = globalThis.location.origin;
const SELF_URL = globalThis.location.href;
const now = () => performance.now();
const OUTPUT_INTERVAL_MS = 50;
const STDIN_HEADER_BYTES = 8;
const WARM_UP = '\0warm-up'; // a namespace no run uses
const IMPORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

let pyodide = null;
let runtime = null; // the _chatrun Python module
let ready = null; // promise of init's result
let dead = null; // message when the interpreter can no longer be used
let interrupt = null; // Uint8Array over the interrupt SAB
let stdinCtl = null; // Int32Array [state, length]
let stdinData = null; // Uint8Array
let fontlist = null; // prebuilt matplotlib font cache (bytes)
let sitePackages = '';
let bundled = [];
let queue = Promise.resolve();
let runsWaiting = 0; // runs queued and not started: a spare's preimport gives way to them
let current = null; // the run in progress

// --------------------------------------------------------------------------- output batching

function out(stream, text) {
  const run = current;
  if (!run || !text) return;
  if (run.max && stream !== 'error') {
    if (run.size >= run.max) {
      run.truncated = true;
      return;
    }
    if (run.size + text.length > run.max) {
      text = text.slice(0, run.max - run.size);
      run.truncated = true;
    }
  }
  run.size += text.length;
  const last = run.chunks[run.chunks.length - 1];
  if (last && last.stream === stream && (stream === 'stdout' || stream === 'stderr')) last.text += text;
  else run.chunks.push({ stream, text });
  // Python may hold the event loop for a long time (a loop, time.sleep), so a timer alone would
  // not fire: post from the write itself when the last post is old enough.
  const wait = OUTPUT_INTERVAL_MS - (now() - run.lastPost);
  if (wait <= 0) flush(run);
  else if (!run.timer) run.timer = setTimeout(() => flush(run), wait);
}

function flush(run = current) {
  if (!run) return;
  if (run.timer) clearTimeout(run.timer);
  run.timer = null;
  if (!run.chunks.length) return;
  run.emit({ type: EVENT.output, chunks: run.chunks });
  run.chunks = [];
  run.lastPost = now();
}

function makeWriter(stream) {
  const decoder = new TextDecoder();
  return {
    write(bytes) {
      out(stream, decoder.decode(bytes, { stream: true }));
      return bytes.length;
    },
  };
}

// --------------------------------------------------------------------------- input()

// Blocks the worker until the host writes a line into the stdin SAB.
// Returns the line, -1 for EOF (no channel or host sent EOF), -2 when Stop was pressed.
function readLine(prompt) {
  const run = current;
  if (!stdinCtl || !run) return -1;
  flush(run);
  Atomics.store(stdinCtl, 0, 0);
  run.emit({ type: EVENT.state, state: STATE.awaitingInput, prompt: String(prompt ?? '') });
  const started = now();
  try {
    for (;;) {
      if (interrupt && interrupt[0] === 2) {
        interrupt[0] = 0;
        return -2;
      }
      if (Atomics.load(stdinCtl, 0) !== 0) break;
      Atomics.wait(stdinCtl, 0, 0, 100);
    }
  } finally {
    run.inputWaitMs += now() - started;
  }
  const length = Atomics.load(stdinCtl, 1);
  Atomics.store(stdinCtl, 0, 0);
  if (length < 0) return -1;
  return new TextDecoder().decode(stdinData.slice(0, length));
}

// --------------------------------------------------------------------------- isolation

function trustedIndex(raw) {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

function vendorOnlyFetch(vendorPath, indexOrigin = null) {
  return function fetch(input, init) {
    const raw = typeof input === 'string' ? input : input?.url ?? String(input);
    const url = new URL(raw, SELF_URL);
    if (url.origin === ORIGIN && url.pathname.startsWith(vendorPath)) {
      return privateFetch(url.href, { integrity: init?.integrity, credentials: 'same-origin' });
    }
    if (indexOrigin && url.origin === indexOrigin) {
      // The package index the user trusts (options page), for packages that are not bundled.
      const request = new Request(input, init);
      return privateFetch(new Request(request, { credentials: 'omit', mode: 'cors' }));
    }
    return Promise.reject(
      new TypeError(`Network access is off for Python in Chatrun: ${url.href} was not fetched ` +
        '(only the bundled packages can be loaded; enable "Allow network" in the settings).'),
    );
  };
}

function networkFetch(vendorPath) {
  // Network on: anything but this extension's own files, and never with the user's cookies.
  const vendor = vendorOnlyFetch(vendorPath);
  return function fetch(input, init) {
    const raw = typeof input === 'string' ? input : input?.url ?? String(input);
    const url = new URL(raw, SELF_URL);
    if (url.origin === ORIGIN) return vendor(input, init);
    const request = new Request(input, init);
    return privateFetch(new Request(request, { credentials: 'omit', mode: 'cors' }));
  };
}

const WHY_OFF = {
  network: 'network access is off; enable "Allow network" in the settings',
  channels: 'it would reach other conversations or the extension',
  storage: 'it would reach extension storage',
};
const WHY_ON = { ...WHY_OFF, network: 'only fetch and XMLHttpRequest are allowed, without cookies' };

// From here on the worker's global scope is an allow-list (shared/worker-scope.js): user code
// sees the language, timers, crypto, text codecs and the fetch above, nothing else.
function lockDown({ allowNetwork, vendorPath, indexOrigin = null }) {
  const allowed = allowNetwork ? [...PYTHON_RUNNER_GLOBALS, ...PYTHON_NETWORK_GLOBALS] : PYTHON_RUNNER_GLOBALS;
  const stubs = explainedStubs(allowed, allowNetwork ? WHY_ON : WHY_OFF);
  const fetchImpl = allowNetwork ? networkFetch(vendorPath) : vendorOnlyFetch(vendorPath, indexOrigin);
  stubs.fetch = { value: fetchImpl, writable: false };
  if (allowNetwork && globalThis.XMLHttpRequest) {
    // Network on: XHR never sends the user's cookies.
    Object.defineProperty(globalThis.XMLHttpRequest.prototype, 'withCredentials', { get: () => false, set() {} });
  }
  confineGlobalScope(allowed, stubs);
}

// --------------------------------------------------------------------------- init

// The interpreter compiled once for the browser session (a WebAssembly.Module from the host):
// loadPyodide instantiates it instead of compiling the 10 MB file again. Only code is shared:
// each kernel has its own instance and memory. Without one, Pyodide compiles as usual.
async function withCompiled(wasmModule, loadIt) {
  if (!(wasmModule instanceof WebAssembly.Module)) return loadIt();
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    Promise.resolve(source).then((response) => response?.body?.cancel(), () => {}); // not needed
    return { module: wasmModule, instance: await WebAssembly.instantiate(wasmModule, imports) };
  };
  try {
    return await loadIt();
  } finally {
    WebAssembly.instantiateStreaming = instantiateStreaming;
  }
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function load(p, emit) {
  const started = now();
  const steps = {}; // ms per step of the start, for the kernel status and the bench
  const lap = (name) => {
    steps[name] = now() - started - Object.values(steps).reduce((a, b) => a + b, 0);
  };
  // The interpreter's load in steps: its files as they arrive, then starting it (the files carry
  // no length, so the share of each step is fixed).
  const progress = (text, percent) => emit({ type: EVENT.progress, text, step: 'Python runtime', percent });
  const indexURL = new URL(p.indexURL || '../vendor/pyodide/', import.meta.url).href.replace(/\/?$/, '/');
  const vendorPath = new URL(indexURL).pathname;
  if (p.interruptBuffer) interrupt = new Uint8Array(p.interruptBuffer);
  if (p.stdinBuffer) {
    stdinCtl = new Int32Array(p.stdinBuffer, 0, 2);
    stdinData = new Uint8Array(p.stdinBuffer, STDIN_HEADER_BYTES);
  }
  // Loading goes through the vendor-only fetch from the start: nothing else can be fetched.
  const vendorFetch = vendorOnlyFetch(vendorPath);
  let fetched = 0;
  globalThis.fetch = (input, init) => vendorFetch(input, init).then((response) => {
    fetched += 1;
    const name = new URL(response.url || String(input?.url ?? input), SELF_URL).pathname.split('/').pop();
    progress(`Loading the Python runtime (${name})`, Math.min(70, 10 + 20 * fetched));
    return response;
  });
  progress('Loading the Python runtime', 5);
  const loading = (async () => {
    const [{ loadPyodide }, runtimeSource, fontBytes] = await Promise.all([
      import(indexURL + 'pyodide.mjs'),
      privateFetch(p.runtimeURL || new URL('py-runtime.py', import.meta.url)).then((r) => r.text()),
      privateFetch(p.fontlistURL || new URL('py-fontlist.json', import.meta.url))
        .then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null),
    ]);
    // A memory snapshot of a freshly loaded interpreter (made by a worker of its own that runs no
    // code: CMD.snapshot) starts a kernel in a fraction of a cold load's time (docs/pyodide.md).
    steps.files = now() - started;
    const py = await withCompiled(p.wasmModule, () => loadPyodide({
      indexURL, fullStdLib: false, checkAPIVersion: true, ...(p.snapshot ? { _loadSnapshot: p.snapshot } : {}),
    }));
    steps.loadPyodide = now() - started - steps.files;
    progress('Starting Python', 80);
    return { py, runtimeSource, fontBytes };
  })();
  const { py, runtimeSource, fontBytes } = await withTimeout(
    loading, p.loadTimeoutMs ?? 60000,
    `The Python runtime did not load within ${Math.round((p.loadTimeoutMs ?? 60000) / 1000)} s.`,
  );
  pyodide = py;
  fontlist = fontBytes ? new Uint8Array(fontBytes) : null;
  py.setStdout(makeWriter('stdout'));
  py.setStderr(makeWriter('stderr'));
  py.setStdin({
    stdin() {
      const line = readLine('');
      if (line === -2) {
        if (interrupt) interrupt[0] = 2; // KeyboardInterrupt at the next check
        return null;
      }
      return line === -1 ? null : line + '\n';
    },
  });
  if (interrupt) py.setInterruptBuffer(interrupt);
  py.FS.mkdirTree('/chatrun');
  py.FS.writeFile('/chatrun/_chatrun.py', runtimeSource);
  bundled = Object.keys(py._api.lockfile_packages ?? {});
  runtime = py.runPython(`
import sys
if "/chatrun" not in sys.path:
    sys.path.append("/chatrun")
import _chatrun
_chatrun`);
  runtime.setup({ emit: out, read_line: readLine, flush: () => flush() }, bundled);
  // From sys.path, not sysconfig (whose import costs a cold start ~0.1 s).
  sitePackages = py.runPython("import sys\nnext(p for p in sys.path if p.endswith('site-packages'))");
  lap('runtime');
  const packageIndex = trustedIndex(p.packageIndexURL);
  lockDown({ allowNetwork: !!p.allowNetwork, vendorPath, indexOrigin: packageIndex && packageIndex.origin });
  lap('lockDown');
  if (packageIndex) {
    // micropip (bundled) installs what is not bundled from the index the user trusts.
    progress('Setting up the trusted package index', 90);
    await py.loadPackage('micropip');
    runtime.use_package_index(packageIndex.href);
  }
  if (p.warmUp !== false) {
    // A spare: take every path a run takes once (import scan, compile, the run task), in a scratch
    // namespace with no run to write to, so its first run is as quick as the next. (A kernel
    // loaded for a waiting run skips this: that run takes the same paths.)
    await py.loadPackagesFromImports('import sys');
    runtime.run_sync('None', WARM_UP, 0);
    await runtime.run('None', WARM_UP, 0);
    runtime.reset(WARM_UP);
    lap('warmUp');
  }
  progress('Python is ready', 100);
  const rounded = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(v)]));
  return { version: py.version, loadMs: Math.round(now() - started), packages: bundled, steps: rounded };
}

// A spare imports ahead of its conversation the bundled modules that this browser session's
// conversations imported (matplotlib's first figure costs seconds otherwise), once it has answered
// init, step by step, and gives up at the next step when a run is waiting. No one's code runs
// here: only `import` of bundled modules named by our own import scan, in a scratch dict.
async function preimport(modules) {
  const names = modules.filter((m) => IMPORT_NAME.test(m)).map((m) => (m === 'matplotlib' ? 'matplotlib.pyplot' : m));
  try {
    for (const name of packagesToLoad(names.map((m) => `import ${m}`).join('\n')).order) {
      if (runsWaiting) return { done: false };
      await pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: () => {} });
    }
    installFontCache();
    for (const name of names) {
      if (runsWaiting) return { done: false };
      const scratch = pyodide.globals.get('dict')();
      try {
        pyodide.runPython(`import ${name}`, { globals: scratch });
      } finally {
        scratch.destroy();
      }
    }
    if (names.includes('matplotlib.pyplot')) {
      if (runsWaiting) return { done: false };
      runtime.warm_figures(); // the first figure's one-time costs, paid here
    }
  } catch {
    /* the conversation's own import reports any problem */
  }
  return { done: true };
}

// matplotlib in Pyodide reads its font cache from site-packages/matplotlib/fontlist.json. The
// wheel ships one made by a newer matplotlib (version 390, rejected by 3.8.4), so every start would
// rebuild it (about a second): replace it once with ours, built from the same wheel.
function installFontCache() {
  if (!fontlist) return;
  const dir = `${sitePackages}/matplotlib`;
  if (pyodide.FS.analyzePath(dir).exists) {
    pyodide.FS.writeFile(`${dir}/fontlist.json`, fontlist);
    fontlist = null;
  }
}

// --------------------------------------------------------------------------- run

async function runCode(p, emit) {
  const run = {
    emit, chunks: [], lastPost: 0, timer: null, size: 0, max: p.maxOutput || 0, truncated: false,
    inputWaitMs: 0,
  };
  const timing = { worker: clock() };
  const started = now();
  let codeStarted = null;
  let status = STATUS.error;
  let fatal = false;
  let poll = null;
  let imported = [];
  current = run;
  try {
    if (dead) throw new Error(dead);
    await ready;
    // The host clears the interrupt buffer before it posts a run (a Stop pressed right after
    // that must not be lost), so it is not cleared here.
    const code = String(p.code ?? '');
    imported = await loadImports(code, emit);
    installFontCache();
    if (interrupt && interrupt[0] === 2) {
      interrupt[0] = 0;
      out('error', 'KeyboardInterrupt\n');
      status = STATUS.stopped;
    } else {
      emit({ type: EVENT.state, state: STATE.running });
      codeStarted = now();
      const namespace = String(p.namespace ?? 'default');
      const lineOffset = Number(p.lineOffset) || 0;
      timing['code-start'] = clock();
      // Most blocks run without the event loop; a block with a top-level await needs it.
      status = runtime.run_sync(code, namespace, lineOffset) ?? null;
      if (status === null) {
        // While the block waits in an `await`, Python does not run and cannot see the interrupt
        // buffer: poll it and cancel the block's task instead.
        poll = setInterval(() => {
          if (!interrupt || interrupt[0] !== 2) return;
          interrupt[0] = 0; // first: Python code run with the flag set would raise inside our call
          let cancelled = false;
          try {
            cancelled = runtime.interrupt_async();
          } catch {
            /* KeyboardInterrupt landed in the call itself */
          }
          if (!cancelled) interrupt[0] = 2; // not awaiting: Python sees it at its next check
        }, 100);
        status = await runtime.run(code, namespace, lineOffset);
      }
      timing['code-done'] = clock();
    }
  } catch (e) {
    if (e?.pyodide_fatal_error || (pyodide && isFatal())) {
      fatal = true;
      dead = 'The Python interpreter crashed; it has to be restarted.';
    }
    out('error', `${fatal ? dead + '\n' : ''}${e?.message ?? e}\n`);
    status = e?.type === 'KeyboardInterrupt' ? STATUS.stopped : STATUS.error;
  } finally {
    clearInterval(poll);
    flush(run);
    current = null;
    const loaded = codeStarted ?? now();
    return {
      status, durationMs: Math.round(now() - loaded), loadMs: Math.round(loaded - started), truncated: run.truncated,
      inputWaitMs: Math.round(run.inputWaitMs), timing, ...(fatal ? { fatal: true } : {}),
      ...(imported.length ? { imported } : {}),
    };
  }
}

// The bundled packages a block imports, loaded one at a time in dependency order so the panel can
// show each by name with a percentage; then Pyodide's own loadPackagesFromImports, which finds
// nothing left (or loads what the first pass could not work out). Resolves the top-level modules
// of bundled packages the block imports.
async function loadImports(code, emit) {
  // Without the word there is no import statement: skip parsing the block twice for nothing.
  if (!code.includes('import')) return [];
  let bundledImports = [];
  let messageCallback = (text) => emit({ type: EVENT.progress, text });
  const errorCallback = (text) => out('stderr', `${text}\n`);
  try {
    const { order: names, modules } = packagesToLoad(code);
    bundledImports = modules;
    const shown = messageCallback;
    messageCallback = () => {}; // each package has had its own message
    if (names.length) emit({ type: EVENT.state, state: STATE.loading });
    for (const [i, name] of names.entries()) {
      const text = `Loading ${name} (${i + 1} of ${names.length})`;
      emit({ type: EVENT.progress, text, step: name, percent: Math.round((100 * i) / names.length) });
      await pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback }).catch((error) => {
        messageCallback = shown;
        throw error;
      });
    }
    if (names.length) emit({ type: EVENT.progress, text: 'Packages loaded', step: names.at(-1), percent: 100 });
  } catch {
    /* the call below loads (or reports) whatever is left */
  }
  try {
    await pyodide.loadPackagesFromImports(code, { messageCallback, errorCallback });
  } catch {
    /* a syntax error or a failed load: running the code reports it */
  }
  return bundledImports;
}

function packagesToLoad(code) {
  const api = pyodide._api;
  const found = api.pyodide_code.find_imports(code);
  let imports;
  try {
    imports = found.toJs();
  } finally {
    found.destroy();
  }
  const lock = api.lockfile_packages ?? {};
  const order = [];
  const seen = new Set(Object.keys(pyodide.loadedPackages ?? {}));
  const visit = (name) => {
    if (seen.has(name) || !lock[name]) return;
    seen.add(name);
    for (const dependency of lock[name].depends ?? []) visit(dependency);
    order.push(name);
  };
  const modules = [];
  for (const name of imports) {
    const pkg = api._import_name_to_package_name?.get(name);
    if (!pkg) continue;
    visit(pkg);
    if (IMPORT_NAME.test(name)) modules.push(name);
  }
  return { order, modules };
}

function isFatal() {
  try {
    pyodide.runPython('1');
    return false;
  } catch {
    return true;
  }
}

// --------------------------------------------------------------------------- requests

// Runs, resets and unloads take turns; init answers as soon as loading finishes, even while runs
// wait in the queue behind it.
function inTurn(task) {
  const next = queue.then(task);
  queue = next.catch(() => {});
  return next;
}

function initialised() {
  if (!ready && !dead) throw new Error('Python is not initialised (send init first)');
}

const handlers = {
  [CMD.init](p, { emit }) {
    if (!ready) {
      ready = load(p, emit);
      ready.catch((e) => {
        dead = `Python did not start: ${e?.message ?? e}`;
      });
    }
    return ready;
  },
  [CMD.preimport]: (p) => inTurn(async () => {
    initialised();
    await ready;
    return preimport(Array.isArray(p.modules) ? p.modules.map(String) : []);
  }),
  [CMD.run]: (p, { emit }) => {
    runsWaiting += 1;
    return inTurn(() => {
      runsWaiting -= 1;
      return runCode(p, emit);
    });
  },
  async [CMD.snapshot](p) {
    if (ready) throw new Error('this worker already has an interpreter');
    ready = Promise.reject(new Error('a snapshot worker runs no code'));
    ready.catch(() => {});
    const indexURL = new URL(p.indexURL || '../vendor/pyodide/', import.meta.url).href.replace(/\/?$/, '/');
    globalThis.fetch = vendorOnlyFetch(new URL(indexURL).pathname);
    const { loadPyodide } = await import(indexURL + 'pyodide.mjs');
    const py = await withCompiled(p.wasmModule, () => loadPyodide({ indexURL, fullStdLib: false, checkAPIVersion: true, _makeSnapshot: true }));
    const snapshot = py.makeMemorySnapshot();
    setTimeout(closeWorker, 0);
    return { snapshot };
  },
  [CMD.reset]: (p) => inTurn(async () => {
    initialised();
    await ready;
    return { existed: runtime.reset(String(p.namespace ?? 'default')) };
  }),
  [CMD.unload]: () => inTurn(() => {
    initialised();
    try {
      runtime?.destroy();
    } finally {
      runtime = null;
      pyodide = null;
      ready = null;
      dead = 'The Python interpreter was unloaded.';
      setTimeout(closeWorker, 0);
    }
    return {};
  }),
};

// The host's first message hands over a private MessagePort; every request and event goes over
// it. The worker's global postMessage/onmessage are removed by lockDown, so code run here can
// neither read the host's messages nor forge its own.
serveOnConnect(handlers);

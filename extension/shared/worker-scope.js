// The global scope that code run by Chatrun sees inside a runner's worker: an allow-list, not a
// deny-list. confineGlobalScope() deletes every property of the global object and of every
// prototype on its chain (up to Object.prototype, which is the language's own) that is not
// listed here, so a browser API added tomorrow is not reachable tomorrow. A few well-known names
// are then given stubs that fail with a message saying why (instead of a bare ReferenceError).
//
// The lists are exported for the test that walks a live worker's scope in Chromium.

// ECMAScript, WebAssembly and Intl: the language itself.
export const LANGUAGE_GLOBALS = Object.freeze([
  'AggregateError', 'Array', 'ArrayBuffer', 'AsyncDisposableStack', 'Atomics', 'BigInt',
  'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'DisposableStack', 'Error',
  'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function',
  'Infinity', 'Int16Array', 'Int32Array', 'Int8Array', 'Intl', 'Iterator', 'JSON', 'Map', 'Math',
  'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect',
  'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'SuppressedError', 'Symbol', 'SyntaxError',
  'Temporal', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis',
  'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
]);

// Local computation only: no network, no storage, no channel to another context.
const COMMON_GLOBALS = [
  'self', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask',
  'structuredClone', 'reportError', 'atob', 'btoa', 'crypto', 'Crypto', 'SubtleCrypto', 'CryptoKey',
  'performance', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'AbortController',
  'AbortSignal', 'Event', 'EventTarget', 'CustomEvent', 'DOMException', 'Blob',
  'location', 'navigator', 'name', 'origin', 'isSecureContext',
  'crossOriginIsolated', 'onerror', 'onunhandledrejection', 'onrejectionhandled',
  // EventTarget.prototype (the worker's own events: errors, unhandled rejections)
  'addEventListener', 'removeEventListener', 'dispatchEvent',
];

// JavaScript / TypeScript runs (a Blob worker of the sandbox page): what snippets use.
export const JS_RUNNER_GLOBALS = Object.freeze([
  ...LANGUAGE_GLOBALS, ...COMMON_GLOBALS,
  'ReadableStream', 'WritableStream', 'TransformStream', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream',
  'DecompressionStream', 'File', 'URLPattern',
]);

// Python runs (Pyodide in an extension-origin module worker): what the runtime itself needs.
// `fetch` stays as the worker's own wrapper that reaches only the bundled package files (or,
// with the network option, anything but this extension, without cookies).
// MessageChannel: Pyodide's scheduler uses it for zero-delay callbacks.
export const PYTHON_RUNNER_GLOBALS = Object.freeze([
  ...LANGUAGE_GLOBALS, ...COMMON_GLOBALS, 'fetch', 'Request', 'Response', 'Headers', 'MessageChannel',
  'MessagePort', 'MessageEvent',
]);

// With "Allow network" on, Python may also use what pyodide.http.open_url needs.
export const PYTHON_NETWORK_GLOBALS = Object.freeze(['XMLHttpRequest', 'XMLHttpRequestEventTarget', 'ProgressEvent']);

// SQL runs (SQLite / PostgreSQL compiled to WebAssembly, each database in its own extension-origin
// module worker): the engines need nothing past loading, so no fetch at all.
export const SQL_RUNNER_GLOBALS = Object.freeze([...LANGUAGE_GLOBALS, ...COMMON_GLOBALS]);

// R runs (webR, R compiled to WebAssembly: a module worker per R session, and that session's host
// worker, which holds webR's main-thread half and runs no code). postMessage: webR's channel from
// the session to its own host, its only way out; Module, wasmTable, wasmMemory: R's runtime, which
// R's compiled code reaches as globals.
export const R_RUNNER_GLOBALS = Object.freeze([
  ...LANGUAGE_GLOBALS, ...COMMON_GLOBALS, 'postMessage', 'Module', 'wasmTable', 'wasmMemory',
]);

// Names that get a stub explaining why they are missing.
export const EXPLAINED = Object.freeze({
  network: ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport',
    'RTCPeerConnection', 'FontFace', 'importScripts'],
  channels: ['Worker', 'SharedWorker', 'BroadcastChannel', 'postMessage', 'close'],
  storage: ['indexedDB', 'caches', 'cookieStore'],
});

const KEEP_SYMBOLS = new Set([Symbol.toStringTag]);

/**
 * Delete everything outside `allowed` from the global object and its prototype chain; replace
 * `navigator` with a plain frozen object; define the `stubs` ({name: property descriptor}),
 * read-only. Call it after the runner's own code has captured what it needs. Returns the names
 * removed.
 */
export function confineGlobalScope(allowed, stubs = {}) {
  const g = globalThis;
  const navigatorFacts = describeNavigator(g.navigator);
  // What gets a replacement is removed everywhere first, so the original cannot be recovered
  // from a prototype (e.g. WorkerGlobalScope.prototype.fetch.call(self, url)).
  const replaced = new Set([...Object.keys(stubs), 'navigator']);
  const allow = new Set(allowed.filter((name) => !replaced.has(name)));
  const removed = [];
  for (let o = g; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Reflect.ownKeys(o)) {
      if (typeof key === 'symbol' ? KEEP_SYMBOLS.has(key) : keep(o, key, allow)) continue;
      if (!removeProperty(o, key)) throw new Error(`could not remove ${String(key)} from the runner's scope`);
      if (typeof key === 'string' && !Object.hasOwn(o, key)) removed.push(key);
    }
  }
  if (allowed.includes('navigator')) {
    Object.defineProperty(g, 'navigator', { value: navigatorFacts, writable: false, enumerable: false, configurable: false });
  }
  for (const [name, descriptor] of Object.entries(stubs)) {
    Object.defineProperty(g, name, { enumerable: false, configurable: false, ...descriptor });
  }
  return removed;
}

function keep(object, key, allow) {
  if (key === 'constructor') {
    // A prototype's constructor is reachable as long as the interface itself is allowed.
    const value = Object.getOwnPropertyDescriptor(object, key)?.value;
    return typeof value === 'function' && allow.has(value.name);
  }
  return allow.has(key);
}

function removeProperty(object, key) {
  if (Reflect.deleteProperty(object, key)) return true;
  // Not configurable: fine if it is a constant that holds a plain value (WebIDL constants such
  // as TEMPORARY = 0); otherwise make it hold nothing, if the engine lets us.
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (isPlainConstant(descriptor)) return true;
  try {
    Object.defineProperty(object, key, { value: undefined, writable: false });
    return true;
  } catch {
    return false;
  }
}

/** A read-only data property holding a primitive: it can lead nowhere. */
export function isPlainConstant(descriptor) {
  return Boolean(descriptor) && 'value' in descriptor && !descriptor.writable &&
    (descriptor.value === null || !['object', 'function'].includes(typeof descriptor.value));
}

// What code may know about the browser, as plain values: no storage, locks, GPU, devices...
function describeNavigator(nav) {
  return Object.freeze({
    userAgent: String(nav?.userAgent ?? ''),
    language: String(nav?.language ?? 'en-US'),
    languages: Object.freeze([...(nav?.languages ?? ['en-US'])].map(String)),
    hardwareConcurrency: Number(nav?.hardwareConcurrency ?? 1),
    platform: String(nav?.platform ?? ''),
    onLine: false,
  });
}

/** A function that throws `message` when called or constructed (its name says what it stands for). */
export function unavailable(name, message) {
  const stub = function () {
    throw new TypeError(message);
  };
  Object.defineProperty(stub, 'name', { value: name });
  return Object.freeze(stub);
}

/**
 * Property descriptors for the well-known names of EXPLAINED that are not allowed, each failing
 * with a message that says why (`reasons` by kind; a kind without a reason stays absent):
 * functions throw when called, storage objects when read.
 */
export function explainedStubs(allowed, reasons) {
  const allow = new Set(allowed);
  const stubs = {};
  for (const [kind, names] of Object.entries(EXPLAINED)) {
    if (!reasons[kind]) continue; // this runner leaves that kind simply absent
    for (const name of names) {
      if (allow.has(name)) continue;
      const message = `${name} is not available to code run by Chatrun (${reasons[kind]}).`;
      stubs[name] = kind === 'storage'
        ? { get: Object.freeze(() => { throw new TypeError(message); }) }
        : { value: unavailable(name, message), writable: false };
    }
  }
  return stubs;
}

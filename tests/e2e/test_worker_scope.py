"""The global scope user code sees in each runner's worker is an allow-list. Walk every own and
inherited property of the live worker's global object in Chromium (through a Run panel, as user
code) and fail on any name that is neither allow-listed nor proven unreachable, so a new browser
API cannot silently become a new channel."""
from __future__ import annotations

import json

import pytest

from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage
from .test_runner_lifecycle import in_extension_tab, kernel_pool

LOAD = 120

_ALLOW_LISTS = """
const done = arguments[0];
import(chrome.runtime.getURL('shared/worker-scope.js')).then((m) => done({
  javascript: m.JS_RUNNER_GLOBALS, python: m.PYTHON_RUNNER_GLOBALS, sql: m.SQL_RUNNER_GLOBALS,
  r: m.R_RUNNER_GLOBALS,
}), (e) => done({error: String(e)}));
"""

# Every property on the global object's prototype chain (Object.prototype excluded: the language's
# own), and for each name outside the allow-list what happens when code tries to use it.
_JS_WALK = """
const allowed = new Set(%s);
const seen = [];
for (let o = globalThis, depth = 0; o && o !== Object.prototype; o = Object.getPrototypeOf(o), depth++) {
  for (const name of Object.getOwnPropertyNames(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    let use = null;
    const ownConstructor = name === 'constructor' && allowed.has(d.value?.name); // of an allowed interface
    if (!allowed.has(name) && !ownConstructor) {
      try {
        if ('value' in d) {
          if (typeof d.value === 'function') { try { d.value(); } finally { new d.value(); } }
          use = (d.value === null || !['object', 'function'].includes(typeof d.value)) && !d.writable ? 'constant' : 'reachable';
        } else { d.get.call(o); use = 'reachable'; }
      } catch (e) { use = 'refused: ' + e.message; }
    }
    seen.push([depth, name, use]);
  }
}
console.log(JSON.stringify(seen));
"""

_PY_WALK = """
import js, json
from pyodide.ffi import JsException
allowed = set(json.loads(%r))
seen = []
o, depth = js.globalThis, 0
while o is not None and not js.Object.is_(o, js.Object.prototype):
    for name in js.Object.getOwnPropertyNames(o):
        d = js.Object.getOwnPropertyDescriptor(o, name)
        use = None
        own_constructor = name == 'constructor' and getattr(d.value, 'name', None) in allowed
        if name not in allowed and not own_constructor:
            try:
                if js.Object.hasOwn(d, 'value'):
                    v = d.value
                    if callable(v):
                        v()
                        use = 'reachable'
                    elif (v is None or isinstance(v, (bool, int, float, str))) and not d.writable:
                        use = 'constant'
                    else:
                        use = 'reachable'
                else:
                    d.get.call(o)
                    use = 'reachable'
            except JsException as e:
                use = 'refused: ' + str(e)
        seen.append([depth, name, use])
    o, depth = js.Object.getPrototypeOf(o), depth + 1
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def allow_lists(browser):
    lists = in_extension_tab(browser, _ALLOW_LISTS)
    assert "error" not in lists, lists
    return lists


@pytest.fixture
def page(browser, pages):
    return BlankPage(browser, pages.url("pages/blank.html")).open()


def check_walk(seen, allowed):
    names = {name for _, name, _ in seen}
    assert "Object" in names and "console" in names  # the walk saw the scope
    # use: None = allowed, 'constant' = a read-only plain value, 'refused: ...' = a stub threw
    unexplained = [(depth, name, use) for depth, name, use in seen
                   if use is not None and use != "constant" and not use.startswith("refused: ")]
    assert not [name for _, name, use in seen if use is None and name not in allowed and name != "constructor"]
    assert unexplained == [], f"reachable names outside the allow-list: {unexplained}"
    refused = {name: use for _, name, use in seen if str(use).startswith("refused: ")}
    # What is neither allowed nor absent is one of our stubs, saying why.
    unexplained = {name: use for name, use in refused.items() if "not available to code run by Chatrun" not in use}
    assert unexplained == {}
    return names, refused


@pytest.mark.parametrize("language", ["javascript", "typescript"])
def test_javascript_worker_scope_is_the_allow_list(page, allow_lists, language):
    allowed = allow_lists["javascript"]
    panel = page.add_block(language, _JS_WALK % json.dumps(allowed))
    assert panel.run() == "success", panel.stream("error")
    names, refused = check_walk(json.loads(panel.stream("log")), set(allowed))
    for gone in ("indexedDB", "caches", "navigator.storage", "Notification", "WebTransport", "OffscreenCanvas",
                 "FileSystemHandle", "USB", "GPU", "LockManager", "postMessage", "onmessage"):
        assert gone not in names or gone in refused, gone
    assert {"fetch", "XMLHttpRequest", "WebSocket", "EventSource", "importScripts", "Worker", "FontFace"} <= set(refused)


def python_pool(browser) -> dict:
    return kernel_pool(browser, "python")


# A kernel loaded the ordinary way, and one started from the memory snapshot that a worker of its
# own makes after the first kernel is ready: both are walked.
@pytest.mark.parametrize("conversation", ["loaded", "from-snapshot"])
def test_python_worker_scope_is_the_allow_list(browser, pages, allow_lists, conversation):
    allowed = allow_lists["python"]
    if conversation == "from-snapshot":
        # Once the snapshot exists, the spare that replaces a taken one starts from it.
        WebDriverWait(browser, 90, poll_frequency=1).until(lambda d: python_pool(d).get("snapshot") == "ready")
        assert BlankPage(browser, pages.conversation("takes-the-spare")).open().add_block("python", "1").run(LOAD) == "success"
        WebDriverWait(browser, 90, poll_frequency=1).until(lambda d: python_pool(d).get("spare") == "ready")
    page = BlankPage(browser, pages.conversation(conversation)).open()
    panel = page.add_block("python", _PY_WALK % json.dumps(allowed))
    assert panel.run(LOAD) == "success", panel.stream("error")
    names, refused = check_walk(json.loads(panel.stream("stdout")), set(allowed))
    kernel = next(k for k in python_pool(browser)["kernels"] if k["key"] == pages.conversation(conversation))
    assert kernel["fromSnapshot"] is (conversation == "from-snapshot")
    assert {"XMLHttpRequest", "WebSocket", "EventSource", "importScripts", "Worker", "FontFace", "postMessage",
            "indexedDB", "caches"} <= set(refused)
    for gone in ("Notification", "OffscreenCanvas", "FileSystemHandle", "USB", "GPU", "LockManager",
                 "onmessage", "fonts", "scheduler"):
        assert gone not in names, gone


def test_the_allowed_names_that_could_reach_out_are_the_runners_own(page):
    # fetch (Python: only the bundled packages) and navigator (plain facts) are replacements, and
    # no original survives anywhere on the prototype chain.
    code = (
        "import js\n"
        "print(js.Object.getPrototypeOf(js.navigator) == js.Object.prototype, js.Object.isFrozen(js.navigator))\n"
        "print('[native code]' in js.Function.prototype.toString.call(js.fetch))\n"
        "p = js.Object.getPrototypeOf(js.globalThis)\n"
        "found = []\n"
        "while p is not None:\n"
        "    found += [n for n in ('fetch', 'navigator', 'postMessage') if n in js.Object.getOwnPropertyNames(p)]\n"
        "    p = js.Object.getPrototypeOf(p)\n"
        "print(found)"
    )
    panel = page.add_block("python", code)
    assert panel.run(LOAD) == "success", panel.stream("error")
    assert panel.stream("stdout") == "True True\nFalse\n[]\n"
    js = page.add_block("javascript", "let p = Object.getPrototypeOf(globalThis), found = [];\n"
                        "while (p) { found.push(...['fetch', 'navigator', 'postMessage'].filter((n) => Object.hasOwn(p, n))); p = Object.getPrototypeOf(p); }\n"
                        "console.log(found.length, Object.getPrototypeOf(navigator) === Object.prototype, typeof navigator.userAgent)")
    assert js.run() == "success", js.stream("error")
    assert js.stream("log") == "0 true string\n"


# SQL code cannot run JavaScript, so the SQL workers' scope is walked from inside by a probe: a
# module worker (written into extension/build/ for the test) that imports the real worker module,
# keeps postMessage (the worker removes it only at init), and walks the scope when asked, once
# init has loaded the engine and confined the scope.
_SQL_PROBE = """
import '../offscreen/%s';
const post = globalThis.postMessage.bind(globalThis);
globalThis.addEventListener('message', (e) => {
  if (e.data !== 'walk') return;
  const console = {log: (text) => post(text)};
%s
});
"""

_SQL_WALK = """
const done = arguments[0];
(async () => {
  const {CMD, WorkerClient} = await import(chrome.runtime.getURL('shared/protocol.js'));
  const worker = new Worker(chrome.runtime.getURL('build/scope-probe.js'), {type: 'module'});
  const channel = new MessageChannel();
  worker.postMessage({cmd: CMD.connect}, [channel.port2]);
  const client = new WorkerClient(channel.port1);
  await client.call(CMD.init, {});
  const walked = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
  worker.postMessage('walk');
  const seen = await walked;
  const result = await client.call(CMD.run, {code: 'SELECT 1 AS still_works;'}, () => {});
  worker.terminate();
  return {seen, status: result.status};
})().then(done, (e) => done({error: String(e)}));
"""


def walk_with_probe(browser, probe_source: str, script: str) -> dict:
    """Run `script` in an extension tab while build/scope-probe.js holds `probe_source`."""
    from .browser import EXTENSION_DIR

    probe = EXTENSION_DIR / "build" / "scope-probe.js"
    probe.write_text(probe_source)
    browser.set_script_timeout(LOAD)
    try:
        walked = in_extension_tab(browser, script)
    finally:
        browser.set_script_timeout(30)
        probe.unlink()
    assert "error" not in walked, walked
    return walked


@pytest.mark.parametrize("worker", ["sqlite-worker.js", "pglite-worker.js"])
def test_sql_worker_scope_is_the_allow_list(browser, allow_lists, worker):
    allowed = allow_lists["sql"]
    # (A first PostgreSQL database is made by initdb: seconds.)
    walked = walk_with_probe(browser, _SQL_PROBE % (worker, _JS_WALK % json.dumps(allowed)), _SQL_WALK)
    assert walked["status"] == "success"
    names, refused = check_walk(json.loads(walked["seen"]), set(allowed))
    assert {"fetch", "XMLHttpRequest", "WebSocket", "importScripts", "Worker", "FontFace", "postMessage",
            "indexedDB", "caches"} <= set(refused)
    for gone in ("Request", "MessageChannel", "Notification", "OffscreenCanvas", "USB", "GPU", "onmessage", "fonts"):
        assert gone not in names, gone


# R code cannot run JavaScript either (webr::eval_js raises an R error: see test_r_runner.py), so
# the R session's worker is walked by a probe too: a module worker that imports the real session
# module (r-session.js) and, once R has started and the scope is confined, walks it the next time
# R checks for events while evaluating, sending the result over webR's channel. The probe stands
# in for the session worker that webR's main-thread half (here in the extension tab) starts.
# Besides the allow-list, the session keeps R.wasm's exports, which R's runtime puts on the
# global object: the probe lists them, and each must be a WebAssembly function, memory, table or
# tag of R's module, or an address in it.
_R_PROBE = """
import '../offscreen/r-session.js';
const post = (text) => globalThis.postMessage({type: 'chatrun', stream: 'walk', text});
const console = {log: post};
function walk() {
  const {Module} = globalThis;
  const exported = Object.keys(globalThis).filter((n) => Object.hasOwn(Module, n) && globalThis[n] === Module[n]);
  const W = WebAssembly;
  const kinds = exported.map((n, _, __, v = globalThis[n]) => typeof v === 'number' ? 'address'
    : (typeof v === 'function' && /^\\d+$/.test(v.name)) || [W.Memory, W.Table, W.Tag, W.Global].some((c) => v instanceof c)
      ? 'wasm' : n);
  post(JSON.stringify({exported, kinds: [...new Set(kinds)]}));
  const extra = exported;
%s
}
(function hook() {
  const webr = globalThis.Module?.webr;
  if (!webr?.handleEvents) return setTimeout(hook, 0);
  const handleEvents = webr.handleEvents;
  let walked = false;
  webr.handleEvents = function () {
    // Confined: the scope's postMessage is the session's frozen relay.
    if (!walked && Object.getOwnPropertyDescriptor(globalThis, 'postMessage')?.writable === false) {
      walked = true;
      walk();
    }
    return handleEvents.apply(this, arguments);
  };
})();
"""

_R_WALK = """
const done = arguments[0];
(async () => {
  const {WebR, ChannelType} = await import(chrome.runtime.getURL('vendor/webr/webr.js'));
  const RealWorker = globalThis.Worker;
  globalThis.Worker = function () { return new RealWorker(chrome.runtime.getURL('build/scope-probe.js'), {type: 'module'}); };
  const webR = new WebR({baseUrl: chrome.runtime.getURL('vendor/webr/'), channelType: ChannelType.SharedArrayBuffer,
                         createLazyFilesystem: false});
  globalThis.Worker = RealWorker;
  await webR.init();
  const direct = {captureStreams: false, captureConditions: false, captureGraphics: false, withHandlers: false};
  await webR.evalRVoid('for (i in 1:20000) i', direct);
  const got = [];
  while (got.length < 2) {
    const message = await webR.read();
    if (message.type === 'chatrun' && message.stream === 'walk') got.push(message.text);
  }
  const still = await webR.evalRString('paste("still", "works")', direct);
  webR.close();
  return {exports: JSON.parse(got[0]), seen: got[1], still};
})().then(done, (e) => done({error: String(e)}));
"""


def test_r_session_scope_is_the_allow_list(browser, allow_lists):
    allowed = allow_lists["r"]
    walk = _JS_WALK.replace("const allowed = new Set(%s);", "const allowed = new Set([...%s, ...extra]);")
    walked = walk_with_probe(browser, _R_PROBE % (walk % json.dumps(allowed)), _R_WALK)
    assert walked["still"] == "still works"
    assert set(walked["exports"]["kinds"]) <= {"wasm", "address"}, walked["exports"]["kinds"]
    exported = set(walked["exports"]["exported"])
    assert "_malloc" in exported and "_Rf_eval" in exported
    names, refused = check_walk(json.loads(walked["seen"]), set(allowed) | exported)
    assert {"fetch", "XMLHttpRequest", "WebSocket", "importScripts", "Worker", "FontFace", "indexedDB",
            "caches"} <= set(refused)
    for gone in ("Request", "MessageChannel", "Notification", "OffscreenCanvas", "FileReaderSync", "USB", "GPU",
                 "onmessage", "fonts"):
        assert gone not in names, gone


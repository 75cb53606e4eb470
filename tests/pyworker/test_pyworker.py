"""The Python worker (extension/offscreen/py-worker.js + py-client.js) in a real headless Chromium,
crossOriginIsolated like the offscreen document. One browser and one warm interpreter for the
module; each test uses its own namespace."""
from __future__ import annotations

import base64
import json

import pytest

pytestmark = pytest.mark.browser


def test_load_reports_progress_and_isolation(harness):
    loaded = harness.load()
    assert harness.call("H.isolated") is True
    assert loaded["version"] == "0.27.7"
    assert {"numpy", "pandas", "matplotlib", "micropip"} <= set(loaded["packages"])
    assert loaded["progress"], "no progress events while loading"
    print(f"cold load: {loaded['wallMs']} ms (worker: {loaded['loadMs']} ms)")


def test_print(harness):
    r = harness.run("print('hello'); print('world')", namespace="t-print")
    assert r["status"] == "success"
    assert r["stdout"] == "hello\nworld\n"
    assert r["done"]["durationMs"] >= 0


def test_stdout_stderr_and_warm_run_is_fast(harness):
    r = harness.run("import sys\nprint('out')\nprint('err', file=sys.stderr)", namespace="t-streams")
    assert r["stdout"] == "out\n" and r["stderr"] == "err\n"
    r = harness.run("x = 1", namespace="t-streams")
    assert r["status"] == "success"
    print(f"warm run: {r['wallMs']} ms")
    assert r["wallMs"] < 1000


def test_streaming_two_prints_one_second_apart(harness):
    r = harness.run("import time\nprint('first')\ntime.sleep(1)\nprint('second')", namespace="t-stream")
    assert r["status"] == "success" and r["stdout"] == "first\nsecond\n"
    t_first = next(c["t"] for c in r["chunks"] if "first" in c["text"])
    t_second = next(c["t"] for c in r["chunks"] if "second" in c["text"])
    assert 800 <= t_second - t_first <= 1600, (t_first, t_second)


def test_prompt_without_newline_arrives_at_once(harness):
    code = "import time\nprint('Working... ', end='')\ntime.sleep(1)\nprint('done')"
    r = harness.run(code, namespace="t-prompt")
    first = next(c for c in r["chunks"] if c["stream"] == "stdout")
    assert first["text"].startswith("Working... ")
    done_t = next(c["t"] for c in r["chunks"] if "done" in c["text"])
    assert done_t - first["t"] >= 800


def test_output_is_batched(harness):
    r = harness.run("for i in range(3000):\n    print(i)", namespace="t-batch")
    assert r["stdout"] == "".join(f"{i}\n" for i in range(3000))
    outputs = [e for e in r["events"] if e["type"] == "output"]
    assert len(outputs) < 50


def test_last_expression_repr(harness):
    r = harness.run("x = [1, 2]\nx + [3]", namespace="t-repr")
    assert r["ret"] == "[1, 2, 3]" and r["stdout"] == ""
    assert harness.run("None", namespace="t-repr")["ret"] == ""
    assert harness.run("'a'", namespace="t-repr")["ret"] == "'a'"
    assert harness.run("1 + 1;", namespace="t-repr")["ret"] == ""


def test_top_level_await(harness):
    r = harness.run("import asyncio\nawait asyncio.sleep(0.05)\nprint('slept')\n40 + 2", namespace="t-await")
    assert r["status"] == "success" and r["stdout"] == "slept\n" and r["ret"] == "42"


def test_exception_traceback_is_trimmed_with_user_line_numbers(harness):
    code = "def f(x):\n    return 1 / x\n\nprint('before')\nf(0)\n"
    r = harness.run(code, namespace="t-exc")
    assert r["status"] == "error" and r["stdout"] == "before\n"
    err = r["error"]
    assert 'File "<block>", line 5, in <module>' in err
    assert 'File "<block>", line 2, in f' in err
    assert "ZeroDivisionError: division by zero" in err
    assert "_pyodide" not in err and "_chatrun" not in err and "CodeRunner" not in err
    # The block had a marker line (e.g. <!-- executable: Demo -->) that the runner removed.
    r = harness.run(code, namespace="t-exc", lineOffset=1)
    assert 'line 6, in <module>' in r["error"] and 'line 3, in f' in r["error"]


def test_syntax_error_line_number(harness):
    r = harness.run("x = 1\ny = (\n", namespace="t-syntax", lineOffset=2)
    assert r["status"] == "error"
    assert "SyntaxError" in r["error"] and 'line 4' in r["error"]


def test_input(harness):
    code = "name = input('Name: ')\nage = input('Age: ')\nprint(f'Hello {name}, {age}')"
    r = harness.run(code, namespace="t-input", inputs=["Bob", "42"])
    assert r["status"] == "success", r["error"]
    requests = [e for e in r["events"] if e.get("state") == "awaiting-input"]
    assert [e["prompt"] for e in requests] == ["Name: ", "Age: "]
    # the prompt was in the output before the request
    assert r["stdout"] == "Name: Bob\nAge: 42\nHello Bob, 42\n"
    assert r["done"]["inputWaitMs"] >= 50


def test_input_eof(harness):
    r = harness.run("input('> ')", namespace="t-eof", inputs=[None])
    assert r["status"] == "error" and "EOFError" in r["error"]


def test_stop_while_waiting_for_input(harness):
    r = harness.run("input('wait: ')\nprint('not reached')", namespace="t-stop-input", stopOnInput=True, stopAfterMs=200)
    assert r["status"] == "stopped" and "KeyboardInterrupt" in r["error"]
    assert r["stopResult"] == "interrupted" and "not reached" not in r["stdout"]


def test_interrupt_busy_loop_keeps_interpreter_warm(harness):
    harness.run("kept = 'warm'", namespace="t-stop")
    gen = harness.call("H.py.generation")
    r = harness.run("while True:\n    pass", namespace="t-stop", stopAfterMs=300)
    assert r["status"] == "stopped" and r["stopResult"] == "interrupted"
    assert "KeyboardInterrupt" in r["error"] and 'File "<block>", line' in r["error"]
    assert r["wallMs"] < 2500
    nxt = harness.run("kept", namespace="t-stop")
    assert nxt["status"] == "success" and nxt["ret"] == "'warm'"
    assert nxt["wallMs"] < 500 and harness.call("H.py.generation") == gen


def test_keyboard_interrupt_raised_by_user_code_does_not_kill_the_worker(harness):
    r = harness.run("raise KeyboardInterrupt", namespace="t-ki")
    assert r["status"] == "stopped"
    assert harness.run("1", namespace="t-ki")["ret"] == "1"


def test_system_exit(harness):
    assert harness.run("import sys; sys.exit(0)", namespace="t-exit")["status"] == "success"
    r = harness.run("import sys; sys.exit(3)", namespace="t-exit")
    assert r["status"] == "error" and "SystemExit: 3" in r["error"]


def test_numpy(harness):
    r = harness.run("import numpy as np\na = np.arange(6).reshape(2, 3)\nprint(a.sum())\na.T.shape", namespace="t-np")
    assert r["status"] == "success", r["error"]
    assert r["stdout"] == "15\n" and r["ret"] == "(3, 2)"
    print(f"first numpy import + run: {r['wallMs']} ms")


def test_pandas_dataframe_table(harness):
    code = ("import pandas as pd\n"
            "df = pd.DataFrame({'name': ['a', 'b', 'c'], 'x': [1.5, 2.25, None], 'n': [1, 2, 3]})\n"
            "df")
    r = harness.run(code, namespace="t-pd")
    assert r["status"] == "success", r["error"]
    assert r["ret"] == "" and len(r["tables"]) == 1
    t = r["tables"][0]
    assert t["kind"] == "DataFrame" and t["columns"] == ["name", "x", "n"]
    assert t["shape"] == [3, 3] and t["truncated"] is False
    assert t["index"] == ["0", "1", "2"]
    assert t["rows"][0] == ["a", "1.50", "1"] and t["rows"][2][1] == "NaN"


def test_pandas_large_frame_truncated_and_series(harness):
    code = ("import pandas as pd, numpy as np\n"
            "big = pd.DataFrame(np.arange(1000 * 30).reshape(1000, 30))\n"
            "big")
    t = harness.run(code, namespace="t-pd")["tables"][0]
    assert t["truncated"] is True and t["shape"] == [1000, 30]
    assert len(t["rows"]) == 11 and t["index"][5] == "..." and t["index"][-1] == "999"
    assert len(t["columns"]) == 21 and t["columns"][10] == "..."
    s = harness.run("pd.Series([1, 2], index=['a', 'b'], name='v')", namespace="t-pd")["tables"][0]
    assert s["kind"] == "Series" and s["columns"] == ["v"] and s["rows"] == [["1"], ["2"]]
    assert s["index"] == ["a", "b"] and s["dtype"] == "int64"


def test_two_matplotlib_figures_in_order_code_runs_once(harness):
    code = ("import matplotlib.pyplot as plt\n"
            "print('ran')\n"
            "plt.figure(figsize=(2, 2)); plt.plot([1, 2, 3]); plt.title('one')\n"
            "plt.show()\n"
            "plt.figure(figsize=(4, 2)); plt.bar(['a', 'b'], [3, 1])\n")
    r = harness.run(code, namespace="t-mpl")
    assert r["status"] == "success", r["error"] + r["stderr"]
    assert r["stdout"] == "ran\n"
    assert len(r["figures"]) == 2
    sizes = []
    for fig in r["figures"]:
        png = base64.b64decode(fig)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        sizes.append(int.from_bytes(png[16:20], "big"))
    assert sizes[0] < sizes[1]  # the 2-inch-wide figure came first
    assert "font cache" not in r["stderr"]
    print(f"first figure (import matplotlib + 2 figures): {r['wallMs']} ms")
    again = harness.run("plt.plot([3, 2]); plt.show()", namespace="t-mpl")
    assert len(again["figures"]) == 1
    print(f"next figure: {again['wallMs']} ms")


def test_namespaces_shared_within_a_key_not_across_keys(harness):
    harness.run("secret = 41", namespace="page-A")
    assert harness.run("secret + 1", namespace="page-A")["ret"] == "42"
    r = harness.run("secret", namespace="page-B")
    assert r["status"] == "error" and "NameError" in r["error"]
    r = harness.run("import __main__\n[k for k in vars(__main__) if k == 'secret']", namespace="page-B")
    assert r["ret"] == "[]"


def test_reset_clears_one_namespace(harness):
    harness.run("v = 1", namespace="r-1")
    harness.run("v = 2", namespace="r-2")
    assert harness.call("H.py.reset('r-1')") == {"existed": True}
    assert "NameError" in harness.run("v", namespace="r-1")["error"]
    assert harness.run("v", namespace="r-2")["ret"] == "2"


@pytest.mark.parametrize("code, needle", [
    ("import js\nawait js.fetch('https://example.com/')", "Network access is off"),
    ("import js\nawait js.fetch('/manifest.json')", "Network access is off"),
    ("from pyodide.http import pyfetch\nawait pyfetch('https://example.com/')", "Network access is off"),
    ("import js\njs.XMLHttpRequest.new()", "XMLHttpRequest is not available"),
    ("from pyodide.http import open_url\nopen_url('https://example.com/')", "XMLHttpRequest is not available"),
    ("import js\njs.WebSocket.new('wss://example.com/')", "WebSocket is not available"),
    ("import js\njs.indexedDB.open('sync-queue')", "indexedDB is not available"),
    ("import js\njs.caches", "caches is not available"),
    ("import js\njs.chrome", "AttributeError: chrome"),
    ("import js\njs.navigator.storage", "AttributeError: storage"),
    ("import js\njs.navigator.locks", "AttributeError: locks"),
    ("import js\njs.FontFace.new('x', 'url(https://example.com/f.woff)')", "FontFace is not available"),
    ("import js\njs.fonts", "AttributeError: fonts"),
    ("import js\nproto = js.Object.getPrototypeOf(js)\n"
     "while proto:\n    assert 'fetch' not in js.Object.getOwnPropertyNames(proto)\n    proto = js.Object.getPrototypeOf(proto)\n"
     "raise RuntimeError('no fetch on the prototype chain')", "no fetch on the prototype chain"),
    ("import js\nawait js.WebAssembly.compileStreaming(js.fetch('https://example.com/m.wasm'))", "Network access is off"),
    ("import js\njs.BroadcastChannel.new('x')", "BroadcastChannel is not available"),
    ("import js\njs.Worker.new('/offscreen/py-worker.js')", "Worker is not available"),
    ("import js\njs.importScripts('https://example.com/x.js')", "importScripts is not available"),
    ("import js\njs.postMessage({'id': 1})", "postMessage is not available"),
    ("import js\njs.close()", "close is not available"),
    ("import pyodide_js\nawait pyodide_js.loadPackage('https://example.com/evil-1.0-py3-none-any.whl')", ""),
    ("import micropip\nawait micropip.install('requests')", ""),
])
def test_network_and_extension_state_are_blocked(harness, code, needle):
    r = harness.run(code, namespace="t-net")
    assert r["status"] == "error" or (needle == "" and "evil" not in r["ret"]), r
    assert needle in r["error"] + r["stderr"]


def test_listening_on_the_worker_scope_hears_nothing_of_the_host(harness):
    # The host's commands (code, input) travel over a private port, never the worker's global.
    listen = ("import js\nfrom pyodide.ffi import create_proxy\nheard = []\n"
              "js.addEventListener('message', create_proxy(lambda e: heard.append(e.data)))")
    assert harness.run(listen, namespace="t-listen")["status"] == "success"
    harness.run("secret = input()", namespace="t-listen-other", inputs=["hunter2"])
    r = harness.run("heard", namespace="t-listen")
    assert r["status"] == "success" and r["ret"] == "[]", r


def test_blocked_network_does_not_break_bundled_package_loading(harness):
    r = harness.run("import micropip, packaging\nmicropip.__name__", namespace="t-net2")
    assert r["status"] == "success", r["error"]


def test_import_of_non_bundled_package_names_it(harness):
    r = harness.run("import scipy", namespace="t-missing")
    assert r["status"] == "error"
    assert "No module named 'scipy'" in r["error"]
    assert "'scipy' is not available offline" in r["error"]


def test_memory_error_is_reported(harness):
    r = harness.run("x = [0] * 10**9", namespace="t-mem")
    assert r["status"] == "error" and "MemoryError" in r["error"]
    assert harness.run("1 + 1", namespace="t-mem")["ret"] == "2"


def test_output_cap(harness):
    r = harness.run("print('x' * 5000)", namespace="t-cap", maxOutput=1000)
    assert len(r["stdout"]) == 1000 and r["done"]["truncated"] is True


def test_allow_network_flag_turns_fetch_back_on(harness, pyworker_server):
    code = f"import js\nr = await js.fetch('{pyworker_server}/manifest.json'.replace('127.0.0.1', 'localhost'))\nr.status"
    r = harness.call("H.other({allowNetwork: true}, args[0])", code)
    assert r["status"] == "success", r
    assert any(c["stream"] == "return" and c["text"] == "200" for c in r["chunks"])


def test_stop_during_await(harness):
    harness.run("state = 'kept'", namespace="t-astop")
    r = harness.run("import asyncio\nprint('waiting')\nawait asyncio.sleep(60)\nprint('not reached')",
                    namespace="t-astop", stopAfterMs=300)
    assert r["status"] == "stopped" and r["stopResult"] == "interrupted", r
    assert "KeyboardInterrupt" in r["error"] and r["stdout"] == "waiting\n", "\n".join(c["stream"] + ": " + c["text"] for c in r["chunks"])
    assert harness.run("state", namespace="t-astop")["ret"] == "'kept'"


def test_sys_stdin_readline(harness):
    r = harness.run("import sys\nline = sys.stdin.readline()\nline", namespace="t-stdin", inputs=["abc"])
    assert r["status"] == "success", r["error"]
    assert r["ret"] == repr("abc\n")


def test_user_classes_live_in_their_namespace_main(harness):
    code = ("import pickle, dataclasses\n"
            "@dataclasses.dataclass\n"
            "class P:\n    x: int\n"
            "pickle.loads(pickle.dumps(P(3)))")
    r = harness.run(code, namespace="t-main")
    assert r["status"] == "success", r["error"]
    assert r["ret"] == "P(x=3)"


def test_load_timeout_gives_a_clear_error(harness):
    with pytest.raises(AssertionError, match="did not load within"):
        harness.call("H.other({loadTimeoutMs: 1}, '1')")


def _fixture_python_blocks():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "fixtures" / "chat-pages"
    for page in sorted(root.glob("*.html")):
        m = re.search(r'<script type="application/json" id="expected">(.*?)</script>', page.read_text(), re.S)
        blocks = [b for b in json.loads(m.group(1)) if b["language"] == "python"] if m else []
        if blocks:
            yield pytest.param(page.stem, blocks, id=page.stem)


@pytest.mark.parametrize("page, blocks", list(_fixture_python_blocks()))
def test_fixture_page_python_blocks_give_expected_stdout(harness, page, blocks):
    for block in blocks:
        r = harness.run(block["code_to_run"], namespace=f"fixture-{page}")
        assert r["status"] == "success", r["error"]
        assert r["stdout"] == block["expected_stdout"], block["block"]


# Tests below restart the shared worker: keep them last.

def test_stop_inside_a_call_that_ignores_interrupts_kills_and_respawns(harness):
    harness.run("lost = 1", namespace="t-kill")
    gen = harness.call("H.py.generation")
    # time.sleep in Pyodide is a blocking wait that the interrupt buffer does not break
    r = harness.run("import time\ntime.sleep(60)", namespace="t-kill", stopAfterMs=200, graceMs=1500)
    assert r["status"] == "stopped"
    assert r["wallMs"] < 62000
    if r["stopResult"] == "killed":
        assert r["done"]["killed"] is True and "stop-timeout" in harness.call("H.restarts")
        nxt = harness.run("lost", namespace="t-kill")
        assert "NameError" in nxt["error"]  # the state went with the old worker
        assert harness.call("H.py.generation") == gen + 1
        print(f"kill + respawn + next run: {nxt['wallMs']} ms")
    assert harness.run("print('alive')", namespace="t-kill")["stdout"] == "alive\n"


def test_unload_frees_the_worker_and_next_run_reloads(harness):
    harness.run("u = 1", namespace="t-unload")
    gen = harness.call("H.py.generation")
    harness.call("H.py.unload()")
    assert harness.call("H.py.state") == "idle"
    r = harness.run("'u' in globals()", namespace="t-unload")
    assert r["ret"] == "False" and harness.call("H.py.generation") == gen + 1



def test_stop_while_loading_cancels_the_run(harness):
    harness.call("H.py.unload()")
    r = harness.run("print('never')", namespace="t-early", stopNow=True)
    assert r["status"] == "stopped" and r["stdout"] == ""
    assert harness.run("print('later')", namespace="t-early")["stdout"] == "later\n"

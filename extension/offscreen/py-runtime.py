"""Chatrun's Python side of the Pyodide worker (py-worker.js writes this file to /chatrun/_chatrun.py
and imports it). It keeps one globals dict per namespace key, runs a block with
pyodide.code.CodeRunner (last expression + top-level await), turns the last value into a `return`
or `table` chunk, matplotlib figures into `figure` chunks and exceptions into a trimmed traceback.

`host` (set by setup) is a JS object with:
  emit(stream, text)   append an output chunk to the current run
  read_line(prompt)    block until the panel submits a line: str, or -1 (EOF), or -2 (Stop)
"""
from __future__ import annotations

import ast
import asyncio
import builtins
import contextlib
import inspect
import io
import linecache
import os
import sys
import traceback
import types

from pyodide.code import CodeRunner

# json and base64 are imported where they are used: each costs a cold start ~0.1 s, and most
# blocks never show a table or a figure.

FILENAME = "<block>"
TABLE_MAX_ROWS = 60  # pandas display.max_rows
TABLE_MIN_ROWS = 10  # pandas display.min_rows (rows shown when truncated)
TABLE_MAX_COLS = 20  # pandas display.max_columns
CELL_MAX_CHARS = 200

host = None
bundled: list[str] = []
_namespaces: dict[str, types.ModuleType] = {}
_task: asyncio.Future | None = None
_cancel_requested = False

MPL_BACKEND_SOURCE = '''\
"""Agg, with plt.show() sending every open figure to the Chatrun panel."""
from matplotlib.backend_bases import _Backend
from matplotlib.backends.backend_agg import _BackendAgg


@_Backend.export
class _BackendChatrun(_BackendAgg):
    @classmethod
    def show(cls, *args, **kwargs):
        import _chatrun
        _chatrun.emit_open_figures()
'''


def setup(js_host, bundled_packages) -> None:
    global host, bundled
    host = js_host
    bundled = sorted(bundled_packages)
    lib = "/chatrun/lib"
    os.makedirs(lib, exist_ok=True)
    with open(f"{lib}/_chatrun_mpl_backend.py", "w") as f:
        f.write(MPL_BACKEND_SOURCE)
    if lib not in sys.path:
        sys.path.append(lib)
    os.environ["MPLBACKEND"] = "module://_chatrun_mpl_backend"
    builtins.input = _input
    _flush_before_sleeping()
    # Unbuffered, like `python -u`: text reaches the panel as written (a prompt printed without a
    # newline, then a long computation), not at the next newline.
    for fd, name in ((1, "stdout"), (2, "stderr")):
        stream = io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", write_through=True)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _flush_before_sleeping() -> None:
    """time.sleep blocks the worker's event loop, so output written just before it would wait for
    the end of the sleep: send it first (two prints a second apart arrive a second apart)."""
    import time

    if getattr(time.sleep, "_chatrun", False):
        return
    real_sleep = time.sleep

    def sleep(seconds):
        host.flush()
        return real_sleep(seconds)

    sleep._chatrun = True
    sleep.__doc__ = real_sleep.__doc__
    time.sleep = sleep


# --------------------------------------------------------------------------- namespaces

def namespace(key: str) -> types.ModuleType:
    """The `__main__` module of one namespace key (its __dict__ holds the variables). While a block
    runs it is sys.modules['__main__'], so pickle, dataclasses and typing find the user's classes."""
    mod = _namespaces.get(key)
    if mod is None:
        mod = types.ModuleType("__main__")
        mod.__dict__["__builtins__"] = builtins
        _namespaces[key] = mod
    return mod


def reset(key: str) -> bool:
    existed = _namespaces.pop(key, None) is not None
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    return existed


def namespace_keys() -> list[str]:
    return list(_namespaces)


# --------------------------------------------------------------------------- input()

def _input(prompt="") -> str:
    prompt = str(prompt)
    if prompt:
        sys.stdout.write(prompt)
    sys.stdout.flush()
    sys.stderr.flush()
    line = host.read_line(prompt)
    if line == -2:
        raise KeyboardInterrupt
    if line == -1 or line is None:
        raise EOFError("EOF when reading a line")
    line = str(line)
    sys.stdout.write(line + "\n")  # echo, as a terminal shows what was typed
    return line


# --------------------------------------------------------------------------- output helpers

def emit_open_figures() -> int:
    """Send every open matplotlib figure as a base64 PNG, in creation order, then close it."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return 0
    sent = 0
    for num in sorted(plt.get_fignums()):
        fig = plt.figure(num)
        buf = io.BytesIO()
        try:
            fig.savefig(buf, format="png", bbox_inches="tight")
        finally:
            plt.close(fig)
        import base64

        host.emit("figure", base64.b64encode(buf.getvalue()).decode("ascii"))
        sent += 1
    return sent


def warm_figures() -> None:
    """A spare draws one figure that nobody sees, the way emit_open_figures saves a conversation's
    (fonts, text layout, Agg, the PNG writer's imports), so its conversation's first figure costs
    what the next one does. It leaves no figure open and changes no setting."""
    import matplotlib.pyplot as plt

    fig = plt.figure()
    try:
        ax = fig.add_subplot()
        ax.plot([1, 2, 3])
        ax.set_title("warm")
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    finally:
        plt.close(fig)


def _cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and abs(v) < 2**53:
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else str(v)
    s = str(v)
    return s if len(s) <= CELL_MAX_CHARS else s[: CELL_MAX_CHARS - 1] + "…"


def _label(v) -> str:
    if isinstance(v, tuple):
        return " / ".join(str(x) for x in v)
    return str(v)


def table_json(obj) -> str:
    """JSON {kind, columns, rows, index, truncated, shape[, name, dtype]} of a DataFrame or Series,
    cut like pandas' own display: more than 60 rows -> first 5 and last 5 with a '...' row, more
    than 20 columns -> first 10 and last 10 with a '...' column. Cells are pandas' display strings."""
    import pandas as pd

    is_series = isinstance(obj, pd.Series)
    df = obj.to_frame(name=obj.name if obj.name is not None else "") if is_series else obj
    nrows, ncols = df.shape
    row_cut = nrows > TABLE_MAX_ROWS
    col_cut = ncols > TABLE_MAX_COLS
    rpos = list(range(TABLE_MIN_ROWS // 2)) + list(range(nrows - TABLE_MIN_ROWS // 2, nrows)) if row_cut else list(range(nrows))
    cpos = list(range(TABLE_MAX_COLS // 2)) + list(range(ncols - TABLE_MAX_COLS // 2, ncols)) if col_cut else list(range(ncols))
    view = df.iloc[rpos, cpos]
    try:
        from pandas.io.formats.format import DataFrameFormatter

        fmt = DataFrameFormatter(view)
        cols = [[s.strip() for s in fmt.format_col(i)] for i in range(len(cpos))]
    except Exception:  # pragma: no cover - formatter internals changed
        cols = [[_cell(v) for v in view.iloc[:, i]] for i in range(len(cpos))]
    rows = [[cols[c][r] for c in range(len(cpos))] for r in range(len(rpos))]
    columns = [_label(c) for c in view.columns]
    index = [_label(i) for i in view.index]
    if col_cut:
        half = TABLE_MAX_COLS // 2
        columns.insert(half, "...")
        for row in rows:
            row.insert(half, "...")
    if row_cut:
        half = TABLE_MIN_ROWS // 2
        rows.insert(half, ["..."] * len(columns))
        index.insert(half, "...")
    out = {
        "kind": "Series" if is_series else "DataFrame",
        "columns": columns,
        "rows": rows,
        "index": index,
        "truncated": row_cut or col_cut,
        "shape": list(obj.shape),
    }
    if is_series:
        out["name"] = None if obj.name is None else _label(obj.name)
        out["dtype"] = str(obj.dtype)
    import json

    return json.dumps(out, ensure_ascii=False)


def _is_pandas(value) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(value, (pd.DataFrame, pd.Series))


package_index = None


def use_package_index(url: str) -> None:
    """Point micropip at the package index the user trusts (options page)."""
    global package_index
    import micropip

    micropip.set_index_urls([url])
    package_index = url


def _format_exception(e: BaseException) -> str:
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    if isinstance(e, ModuleNotFoundError) and e.name:
        top = e.name.split(".")[0]
        if top not in sys.modules and not getattr(e, "_chatrun_note", False):
            e.add_note(
                f"The package '{top}' is not available offline in Chatrun's Python "
                f"(bundled: {', '.join(bundled)})."
            )
            if package_index:
                e.add_note(f"Install it from your trusted package index ({package_index}): "
                           f"import micropip; await micropip.install('{top}')")
            e._chatrun_note = True
    return "".join(traceback.format_exception(type(e), e, tb))


# --------------------------------------------------------------------------- run

def interrupt_async() -> bool:
    """Stop a block that is waiting in an `await` (the interrupt buffer is only seen while Python
    code runs): cancel its task; the run ends as 'stopped'."""
    global _cancel_requested
    if _task is None or _task.done():
        return False
    _cancel_requested = True
    _task.cancel()
    return True


def run_sync(code: str, key: str, line_offset: int = 0) -> str | None:
    """Run one block in namespace `key` without the event loop, when it has no top-level await
    (most blocks: no task and no scheduling, so a trivial block takes well under a millisecond).
    Returns 'success' | 'error' | 'stopped', or None when the block awaits: then use run()."""
    try:
        runner = _compile(code, line_offset)
    except BaseException:  # noqa: BLE001 - run() reports it, the same way as for any block
        return None
    if runner.code.co_flags & inspect.CO_COROUTINE:
        return None
    main = namespace(key)
    try:
        with _as_main(main):
            try:
                _report(runner.run(main.__dict__))
                status = "success"
            except BaseException as e:  # noqa: BLE001
                status = _status_of(e)
            return _finish(status)
    except BaseException as e:  # noqa: BLE001 - never let anything escape to the worker
        return _internal_error(e)


async def run(code: str, key: str, line_offset: int = 0) -> str:
    """Run one block in namespace `key`, top-level await allowed; returns its status."""
    global _task, _cancel_requested
    _cancel_requested = False
    main = namespace(key)
    try:
        with _as_main(main):
            _task = asyncio.ensure_future(_run(code, main.__dict__, line_offset))
            return await _task
    except BaseException as e:  # noqa: BLE001 - never let anything escape to the worker
        return _internal_error(e)
    finally:
        _task = None


def _internal_error(e: BaseException) -> str:
    if isinstance(e, (asyncio.CancelledError, KeyboardInterrupt)):  # Stop landed in our own code
        _safe_emit("error", "KeyboardInterrupt\n")
        return "stopped"
    _safe_emit("error", f"Internal error in Chatrun's Python runner: {e!r}\n")
    return "error"


@contextlib.contextmanager
def _as_main(main: types.ModuleType):
    """While a block runs its namespace is sys.modules['__main__'] (pickle, dataclasses, typing)."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def _safe_emit(stream: str, text: str) -> None:
    try:
        host.emit(stream, text)
    except BaseException:  # noqa: BLE001
        pass


def _compile(code: str, line_offset: int) -> CodeRunner:
    source = "\n" * max(0, int(line_offset)) + code  # line numbers as the user sees the block
    runner = CodeRunner(source, return_mode="last_expr", filename=FILENAME, flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    runner.compile()
    return runner


async def _run(code: str, ns: dict, line_offset: int) -> str:
    try:
        runner = _compile(code, line_offset)
        _report(await runner.run_async(ns))
        status = "success"
    except BaseException as e:  # noqa: BLE001
        status = _status_of(e)
    return _finish(status)


def _report(value) -> None:
    """The block's last value: a table for pandas objects, else its repr."""
    _flush_std()
    if value is not None:
        if _is_pandas(value):
            host.emit("table", table_json(value))
        else:
            host.emit("return", repr(value))


def _status_of(e: BaseException) -> str:
    """Report what ended a block early; returns the run's status."""
    _flush_std()
    if isinstance(e, SystemExit):
        if e.code in (None, 0):
            return "success"
        host.emit("error", f"SystemExit: {e.code}\n")
        return "error"
    if isinstance(e, (KeyboardInterrupt, asyncio.CancelledError)):
        if isinstance(e, asyncio.CancelledError) and not _cancel_requested:
            host.emit("error", _format_exception(e))
            return "error"
        if isinstance(e, asyncio.CancelledError):
            e = KeyboardInterrupt().with_traceback(e.__traceback__)
        host.emit("error", _format_exception(e))
        return "stopped"
    host.emit("error", _format_exception(e))
    return "error"


def _finish(status: str) -> str:
    """After every block: forget its source lines, send the figures it left open."""
    linecache.cache.pop(FILENAME, None)
    try:
        emit_open_figures()
    except Exception as e:  # noqa: BLE001
        host.emit("error", _format_exception(e))
        status = "error"
    return status


def _flush_std() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass


def module_loaded(name: str) -> bool:
    return name in sys.modules


"""CPU time of the content script's tasks, from a trace of the browser.

On a loaded machine the kernel takes the core away in the middle of a task, and the task's wall
time (what 'chatrun:task' measures and 'longtask' entries report) grows by however long others
ran; its thread time does not. A task here is the outermost 'toplevel' trace event of a page's
main thread around the content script's work (a scheduler's task, a message from the browser;
wall 'dur' and thread 'tdur' in µs); the content script's part of it is what its 'chatrun:task'
measures cover (category 'blink.user_timing').
The trace is taken over the DevTools protocol of the browser ChromeDriver started (its
`debuggerAddress`), browser-wide: `with Trace(driver) as trace: ...; trace.events`.
"""
from __future__ import annotations

import bisect
import json
import urllib.request

import websocket

CATEGORIES = ["toplevel", "blink.user_timing"]


class Trace:
    """Trace events recorded between entering and leaving the block (`events`)."""

    def __init__(self, driver):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json/version", timeout=10) as response:
            self.url = json.load(response)["webSocketDebuggerUrl"]
        self.events = []

    def __enter__(self):
        self.socket = websocket.create_connection(self.url, suppress_origin=True, timeout=60)
        self._call("Tracing.start", {"traceConfig": {"includedCategories": CATEGORIES}, "transferMode": "ReportEvents"})
        return self

    def __exit__(self, *exc):
        try:
            self._send("Tracing.end")
            while True:  # events come in chunks, then the end
                message = json.loads(self.socket.recv())
                if message.get("method") == "Tracing.dataCollected":
                    self.events.extend(message["params"]["value"])
                elif message.get("method") == "Tracing.tracingComplete":
                    break
        finally:
            self.socket.close()

    def _send(self, method, params=None):
        self.socket.send(json.dumps({"id": 1, "method": method, "params": params or {}}))

    def _call(self, method, params=None):
        self._send(method, params)
        while "id" not in (message := json.loads(self.socket.recv())):
            pass
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")


def content_tasks(events: list[dict]) -> list[tuple[float, float, str]]:
    """[(wall ms, CPU ms, what)] of the content script in each task it ran in: the task's wall
    and thread times times the share of its wall time the script's measures cover; `what`
    names its longest measure there (task-timing.js)."""
    spans = {}  # (pid, tid) -> [(start, end, what)] of the script's measures, µs
    opened = {}
    for event in sorted((e for e in events if e.get("name") == "chatrun:task"), key=lambda e: e["ts"]):
        thread = (event["pid"], event["tid"])
        if event["ph"] == "b":
            opened[thread] = (event["ts"], json.loads(event.get("args", {}).get("detail") or "null"))
        elif event["ph"] == "e" and thread in opened:
            start, what = opened.pop(thread)
            spans.setdefault(thread, []).append((start, event["ts"], what))
    tasks = {}  # (pid, tid) -> sorted [(ts, dur, tdur)]
    for event in events:
        thread = (event.get("pid"), event.get("tid"))
        if thread in spans and event.get("ph") == "X" and "toplevel" in event.get("cat", "") and "dur" in event:
            tasks.setdefault(thread, []).append((event["ts"], event["dur"], event.get("tdur", event["dur"])))
    out = []
    for thread, ours in spans.items():
        runs = sorted(tasks.get(thread, []))
        starts = [ts for ts, _, _ in runs]
        covered = {}  # index of the task -> [µs of it the script's measures cover, longest, its name]
        for start, end, what in ours:
            i = outermost(runs, starts, start, end)
            if i is not None:
                part = covered.setdefault(i, [0, 0, what])
                part[0] += end - start
                if end - start > part[1]:
                    part[1:] = [end - start, what]
        for i, (wall, _, what) in covered.items():
            _, dur, tdur = runs[i]
            share = min(1.0, wall / dur) if dur else 1.0
            out.append((wall / 1000, tdur * share / 1000, what))
    return out


def outermost(runs, starts, start, end, reach=200):
    """The index of the longest event of `runs` (sorted by start) that holds [start, end]:
    nested events start later, so it is among those starting just before."""
    best = None
    for i in range(bisect.bisect_right(starts, start) - 1, max(-1, bisect.bisect_right(starts, start) - 1 - reach), -1):
        ts, dur, _ = runs[i]
        if ts + dur >= end and (best is None or dur > runs[best][1]):
            best = i
    return best

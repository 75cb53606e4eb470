"""An open-loop HTTP load driver for the API benches (stdlib asyncio, raw HTTP/1.1).

Request i is due at start + i / rate and is sent then on a connection of its own, whatever the
earlier ones are doing (gunicorn's sync workers close every connection after one answer anyway);
its latency runs from the due time to the last byte of the answer, so a server that falls
behind pays for its queue. The driver costs tens of microseconds per request (no `requests`, no
thread per request), and it reports how late it sent (`send_lag`), so a driver that cannot keep
the schedule shows it instead of passing its own slowness off as the server's.

CPU accounting: `ProcessCpu` sums user+system time of given processes from /proc, so a bench can
say how much CPU the server, its database backends and the driver spent per request.
"""
import asyncio
import os
import time
from urllib.parse import urlsplit

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def http_request(url, method, path, body=b"", headers=None):
    """The bytes of one HTTP/1.1 request (Connection: close)."""
    host = urlsplit(url).netloc
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close",
             f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _exchange(host, port, payload):
    """Send one request, read the whole answer; return (status, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await (reader.readexactly(length) if length is not None else reader.read())
        return status, body
    finally:
        writer.close()


async def _drive(url, payloads, rate, expect, max_in_flight):
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(max_in_flight)  # a bound on open sockets, not on the schedule
    start = loop.time() + 0.2
    latencies, lags, done_at, failures = [], [], [], []

    async def one(i, payload):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        lags.append(loop.time() - due)  # the driver's own lateness (before any queueing)
        async with gate:
            status, body = await _exchange(host, port, payload)
        finished = loop.time()
        if status != expect:
            failures.append((status, body[:300]))
        latencies.append(finished - due)
        done_at.append(finished)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(payloads)))
    return latencies, lags, max(done_at) - start, failures


def drive(url, payloads, rate, expect=201, max_in_flight=512):
    """Send the prepared requests open loop at `rate` per second. Returns latencies and send
    lags (seconds), the span from the first due time to the last answer, and any failures."""
    cpu = time.process_time()
    latencies, lags, span, failures = asyncio.run(
        _drive(url, payloads, rate, expect, max_in_flight))
    return {"latencies": latencies, "lags": lags, "span_s": span, "failures": failures,
            "driver_cpu_s": time.process_time() - cpu}


def _cpu_seconds(pid):
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def children(pid):
    """The direct child processes of pid (gunicorn's workers under its master)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return out


class ProcessCpu:
    """CPU seconds spent by a set of processes between start() and stop()."""

    def __init__(self, pids):
        self.pids = list(pids)
        self.before = {}

    def start(self):
        self.before = {pid: _cpu_seconds(pid) for pid in self.pids}
        return self

    def stop(self):
        return sum(max(0.0, _cpu_seconds(pid) - self.before[pid]) for pid in self.pids)

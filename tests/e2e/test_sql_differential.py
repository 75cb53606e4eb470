"""Differential test: every script in tests/fixtures/sql-differential/ gives in a Run panel what
Debian's sqlite3 command line gives for it (`sqlite3 -bail -json` with `.changes on`): the same
result sets, the same rows-affected counts, the same error at the same line.

Both sides are brought to one form, statement by statement:
  ("rows", columns, rows)   a result set with rows, cells as the panel shows them
  ("affected", n)           any other statement (a result set without rows counts as 0: the
                            command line prints nothing for one)
  ("error", line, message)  the statement that stopped the script
The command line must be installed (scripts/setup --browser does it): missing, the test fails."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "sql-differential").glob("*.sql"))
CHANGES = re.compile(r"^changes: +(\d+) +total_changes: +(\d+)$")
CLI_ERROR = re.compile(r"^(?:Parse|Runtime) error near line (\d+): (.*?)(?: \(\d+\))?$")
PANEL_ERROR = re.compile(r"^Error in statement \d+ at line (\d+): .*\n(.*)\n", re.S)


def js_number(x: float) -> str:
    """How JavaScript's String(x) writes a double (ECMAScript Number::toString)."""
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"  # the panel shows SQLite's words for them
    if x == 0:
        return "0"
    sign, digits, exp = Decimal(repr(x)).as_tuple()  # repr: the shortest digits, as V8's
    s = "".join(map(str, digits)).rstrip("0") or "0"
    k, n = len(s), exp + len(digits)
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * -n + s
    else:
        out = s[0] + ("." + s[1:] if k > 1 else "") + f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return ("-" if sign else "") + out


def shown(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return js_number(value)
    return str(value)


def cli_items(script: Path) -> list[tuple]:
    """What the sqlite3 command line prints for the script, statement by statement."""
    done = subprocess.run(["sqlite3", "-bail", "-json", "-cmd", ".changes on", ":memory:"],
                          input=script.read_text(), capture_output=True, text=True, timeout=30)
    items, pending, total = [], [], 0
    for line in done.stdout.splitlines():
        changes = CHANGES.match(line)
        if not changes:
            pending.append(line)
            continue
        n, new_total = int(changes[1]), int(changes[2])
        if pending:
            rows = json.loads("\n".join(pending), object_pairs_hook=list)
            items.append(("rows", [k for k, _ in rows[0]], [[shown(v) for _, v in row] for row in rows]))
        else:  # sqlite3_changes() belongs to this statement only if it changed something
            items.append(("affected", n if new_total > total else 0))
        pending, total = [], new_total
    assert not pending, f"unparsed output: {pending}"
    if done.stderr:
        line, message = CLI_ERROR.match(done.stderr.splitlines()[0]).groups()
        items.append(("error", int(line), message))
    return items


def panel_items(panel) -> list[tuple]:
    """What the panel shows for the script, statement by statement."""
    tables = iter(panel.tables())
    items = []
    for stream, text in panel.streams():
        if stream == "stdout":
            items += [("affected", int(line.split()[0])) for line in text.splitlines()]
        elif stream == "table":
            table = next(tables)
            assert table["caption"] is None
            items.append(("rows", table["columns"], table["rows"]) if table["rows"] else ("affected", 0))
        elif stream == "error":
            line, message = PANEL_ERROR.match(text).groups()
            items.append(("error", int(line), message))
        else:
            raise AssertionError(f"unexpected {stream}: {text}")
    return items


@pytest.fixture(scope="module")
def sqlite3_cli():
    assert shutil.which("sqlite3"), "the sqlite3 command line is missing: run scripts/setup --browser"
    assert len(SCRIPTS) >= 20


def test_scripts_give_what_the_sqlite3_command_line_gives(browser, pages, sqlite3_cli):
    page = BlankPage(browser, pages.conversation("differential")).open()
    mismatches = {}
    for script in SCRIPTS:
        panel = page.add_block("sql", script.read_text())
        panel.click("reset")  # each script starts from an empty database
        WebDriverWait(browser, 10).until(lambda d: "cleared" in panel.notice)
        state = panel.run(60)
        got, want = panel_items(panel), cli_items(script)
        assert state == ("error" if want[-1][0] == "error" else "success"), (script.name, panel.stream("error"))
        if got != want:
            mismatches[script.name] = {"panel": got, "sqlite3": want}
        page.clear()
    assert mismatches == {}

"""Differential test: every script in tests/fixtures/r-differential/ prints in a Run panel exactly
what Debian's `Rscript` prints for it on stdout (vectors, data frames, the apply family, an `lm`
summary, strings, factors, dates, S3/S4, a base plot, ...).

Both sides run the script after the same prelude (PRELUDE), which sets what differs between R's
console, webR and Rscript by default: the output width (Rscript takes it from no terminal, webR
from its console) and an empty global environment (the scripts share one R session in the panel,
as the blocks of one conversation do). Rscript runs with LANG=C.UTF-8 and LC_COLLATE=C, as webR
does (UTF-8, C collation). Data frames are printed with print() in the scripts: at the top level
the panel shows a data frame as a table, not as text. Plots go to a PNG figure in the panel and
to Rplots.pdf (in a temporary folder) under Rscript; neither prints anything.
Debian's R is 4.2.2 and webR's 4.6.0: the scripts keep to what prints the same in both (a glm's
summary, which lost its deviance residuals in R 4.3, is not printed whole).
Rscript must be installed (scripts/setup --browser does it): missing, the test fails."""
from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .pages import BlankPage

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "r-differential").glob("*.R"))
PRELUDE = "options(width = 80)\nrm(list = ls())\n"


def rscript_stdout(script: Path, workdir: Path) -> str:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LC_COLLATE": "C", "TZ": "UTC"}
    done = subprocess.run(["Rscript", "--vanilla", "-e", PRELUDE + script.read_text()], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (script.name, done.stderr)
    return done.stdout


@pytest.fixture(scope="module")
def rscript():
    assert shutil.which("Rscript"), "Rscript is missing: run scripts/setup --browser (Debian's r-base-core)"
    assert len(SCRIPTS) >= 20


def test_scripts_print_what_rscript_prints(browser, pages, rscript, tmp_path):
    page = BlankPage(browser, pages.conversation("r-differential")).open()
    mismatches = {}
    for script in SCRIPTS:
        panel = page.add_block("r", PRELUDE + script.read_text())
        state = panel.run(120)
        assert state == "success", (script.name, panel.stream("error"))
        got, want = panel.stream("stdout"), rscript_stdout(script, tmp_path)
        if got != want:
            mismatches[script.name] = "".join(difflib.unified_diff(
                want.splitlines(keepends=True), got.splitlines(keepends=True), "Rscript", "panel"))
        page.clear()
    assert not mismatches, "\n".join(f"{name}:\n{diff}" for name, diff in mismatches.items())

"""R blocks in real Chromium (webR, shipped inside the extension): one R session per
conversation, kept across blocks until Reset, isolated, stoppable without losing the session,
limited and without network; streams in order, plots as figures, data frames as tables; runs
reach the companion API as language "r"."""
from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage, set_settings
from .test_kernels import Tabs
from .test_runner_lifecycle import kernel_pool

LOAD = 120


def conversation(browser, pages, name: str) -> BlankPage:
    return BlankPage(browser, pages.conversation(name)).open()


def run(page: BlankPage, code: str, timeout: float = LOAD, language: str = "r"):
    panel = page.add_block(language, code)
    return panel, panel.run(timeout)


def r_pool(browser) -> dict:
    return kernel_pool(browser, "r")


def test_a_page_showing_an_r_block_warms_a_session_its_first_run_takes(browser, pages):
    page = conversation(browser, pages, "r-preload")
    panel = page.add_block("r", "Sys.getenv('WEBR')")  # preload is on by default
    WebDriverWait(browser, LOAD, poll_frequency=1).until(lambda d: r_pool(d).get("spare") == "ready")
    assert panel.run(30) == "success" and panel.stream("stdout") == '[1] "1"\n'
    assert [k["key"] for k in r_pool(browser)["kernels"]] == [pages.conversation("r-preload")]


def test_output_streams_in_order_with_auto_print(browser, pages):
    page = conversation(browser, pages, "r-streams")
    panel, state = run(page, """x <- c(1.5, 2, 3)
print(x)
cat("no newline")
cat(" then one\\n")
message("to stderr")
mean(x)
invisible(7)
f <- function(n) { warning("careful"); n * 2 }
f(2)
log(-1)
setClass("P", representation(n = "numeric"))
new("P", n = 1)
stop("boom")
print("never")""")
    assert state == "error"
    assert panel.language == "r"
    assert panel.streams() == [
        ["stdout", "[1] 1.5 2.0 3.0\nno newline then one\n"],
        ["stderr", "to stderr\n"],
        ["stdout", "[1] 2.166667\n"],
        ["warn", "Warning in f(2) : careful\n"],
        ["stdout", "[1] 4\n"],
        ["warn", "Warning in log(-1) : NaNs produced\n"],
        ["stdout", '[1] NaN\nAn object of class "P"\nSlot "n":\n[1] 1\n\n'],
        ["error", "Error: boom\n"],
    ]
    panel, state = run(page, "g <- function() stop('inside g')\ng()")
    assert state == "error" and panel.stream("error") == "Error in g() : inside g\n"
    panel, state = run(page, "x <- (1 +\ny y")
    assert state == "error" and "unexpected symbol" in panel.stream("error") and "line 2" in panel.stream("error")


def test_plots_are_figures_and_a_data_frame_is_a_table(browser, pages):
    page = conversation(browser, pages, "r-figures")
    panel, state = run(page, """plot(1:10, main = "base graphics")
abline(h = 5)
library(grid)
grid.newpage()
grid.rect(gp = gpar(fill = "steelblue"))
df <- data.frame(name = c("a", "b", NA), n = c(1L, NA, 3L), x = c(0.5, NaN, Inf),
                 ok = c(TRUE, FALSE, NA), f = factor(c("lo", "hi", "lo")))
df
data.frame(v = 1:2, row.names = c("first", "second"))
cat("after\\n")""")
    assert state == "success", panel.stream("error")
    kinds = [stream for stream, _ in panel.streams()]
    assert kinds == ["table", "table", "stdout", "figure", "figure"]
    sizes = browser.execute_script(
        "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-stream=figure] img'),"
        " i => i.complete ? [i.naturalWidth, i.naturalHeight] : null)", panel.host)
    assert sizes == [[700, 500], [700, 500]]  # 7 x 5 in at 100 dpi
    plain, named = panel.tables()
    assert plain["columns"] == ["name", "n", "x", "ok", "f"]
    assert plain["rows"] == [["a", "1", "0.5", "true", "lo"], ["b", "NA", "NaN", "false", "hi"],
                             ["NA", "3", "Inf", "NA", "lo"]]
    assert named["rows"] == [["first", "1"], ["second", "2"]]  # the row names are the index


def test_the_session_is_kept_across_blocks_until_reset(browser, pages):
    page = conversation(browser, pages, "r-persist")
    panel, state = run(page, "kept <- 41\nsquare <- function(v) v ^ 2")
    assert state == "success", panel.stream("error")
    panel, state = run(page, "kept + 1\nsquare(3)")
    assert state == "success" and panel.stream("stdout") == "[1] 42\n[1] 9\n"
    panel.click("reset")
    WebDriverWait(browser, 10).until(lambda d: "cleared" in panel.notice)
    panel, state = run(page, "exists('kept')")
    assert state == "success" and panel.stream("stdout") == "[1] FALSE\n"


def test_two_conversations_have_two_sessions(browser, pages):
    tabs = Tabs(browser)
    try:
        first = tabs.open("first", pages.conversation("r-iso-a"))
        panel, state = run(first, "secret <- 'first'\nSys.setenv(CHATRUN_MARK = 'first')\noptions(digits = 3)")
        assert state == "success", panel.stream("error")
        second = tabs.open("second", pages.conversation("r-iso-b"))
        panel, state = run(second, "exists('secret')\nSys.getenv('CHATRUN_MARK')\npi")
        assert state == "success"
        assert panel.stream("stdout") == '[1] FALSE\n[1] ""\n[1] 3.141593\n'
        first = tabs.to("first")
        panel, state = run(first, "secret\npi")
        assert state == "success" and panel.stream("stdout") == '[1] "first"\n[1] 3.14\n'
    finally:
        tabs.close_all()


def test_stop_interrupts_r_and_keeps_the_session(browser, pages):
    page = conversation(browser, pages, "r-stop")
    panel, state = run(page, "before <- 'kept'")
    assert state == "success", panel.stream("error")
    loop = page.add_block("r", "i <- 0\nwhile (TRUE) i <- i + 1")
    assert loop.run_then_stop(after=1.0) == "stopped"
    assert "restarted" not in loop.notice
    sleeping = page.add_block("r", "Sys.sleep(30)")
    assert sleeping.run_then_stop(after=1.0) == "stopped"
    # Nothing can answer a prompt: readline() gives "" at once, as under Rscript.
    panel, state = run(page, "before\ni > 0\nanswer <- readline('Name? ')\nnchar(answer)")
    assert state == "success" and panel.stream("stdout") == '[1] "kept"\n[1] TRUE\nName? [1] 0\n'


def test_time_limit_and_output_cap(browser, pages):
    set_settings(browser, {"timeoutMs": {"r": 1500}})
    try:
        page = conversation(browser, pages, "r-limits")
        panel, state = run(page, "kept <- 1\nrepeat {}")
        assert state == "timeout"
        assert "time limit" in panel.notice and "restarted" not in panel.notice
        panel, state = run(page, "kept")
        assert state == "success" and panel.stream("stdout") == "[1] 1\n"
    finally:
        set_settings(browser, {})
    page = conversation(browser, pages, "r-limits")
    # 200 lines of 10,000 characters: more than the 1,000,000 characters a run may print.
    panel, state = run(page, "for (i in 1:200) cat(strrep('a', 10000), '\\n')\ncat('end\\n')")
    assert state == "success"
    assert 900_000 <= len(panel.stream("stdout")) <= 1_000_000
    assert "truncated" in panel.notice.lower()


def test_a_package_that_is_not_shipped_is_named(browser, pages):
    page = conversation(browser, pages, "r-packages")
    panel, state = run(page, "library(stats4)\nlibrary(parallel)\nlibrary(splines)\ncat('base ok\\n')\nlibrary(ggplot2)")
    assert state == "error"
    assert panel.stream("stdout") == "base ok\n"
    error = panel.stream("error")
    assert "there is no package called ‘ggplot2’" in error and "Package 'ggplot2' is not available here" in error


ISOLATION = {
    "download.file": "download.file(HIT, tempfile())",
    "url": "readLines(url(HIT))",
    "file-url": "readLines(file(HIT))",
    "read.csv": "read.csv(HIT)",
    "socket": "socketConnection('127.0.0.1', as.integer(sub('.*:([0-9]+)/.*', '\\\\1', HIT)))",
    "eval_js-fetch": "webr::eval_js(sprintf(\"fetch('%s')\", HIT))\nstop('eval_js returned')",
    "eval_js-xhr": "webr::eval_js(sprintf(\"const x = new XMLHttpRequest(); x.open('GET', '%s', false); x.send()\", HIT))\n"
                   "stop('eval_js returned')",
    "install.packages": "install.packages('httr', repos = HIT)\nlibrary(httr)",
    "webr-install": "webr::install('httr', repos = HIT)\nlibrary(httr)",
    "library-httr": "library(httr)\nGET(HIT)",
    "curl": "library(curl)\ncurl_fetch_memory(HIT)",
}


def test_r_has_no_network(browser, pages):
    page = conversation(browser, pages, "r-network")
    for name, probe in ISOLATION.items():
        panel, state = run(page, f"HIT <- '{pages.url('__hit/r-' + name)}'\n{probe}")
        assert state == "error", (name, panel.streams())
        if name.startswith("eval_js"):
            assert "Running JavaScript from R is not available" in panel.stream("error")
    assert not [h for h in pages.hits if "/__hit/r-" in h], "R code reached the network"


def test_runs_reach_the_companion_api_as_r(browser, pages, tmp_path_factory):
    from .companion import ApiClient, start_api
    from .test_sync import PASSWORD, sign_up, wait_for

    api = start_api(tmp_path_factory.mktemp("api"))
    try:
        email = sign_up(browser, api.url)
        page = conversation(browser, pages, "r-history")
        panel, state = run(page, "cat('hello from R\\n')\ndata.frame(a = 1)")
        assert state == "success", panel.stream("error")
        client = ApiClient(api.url, email, PASSWORD)
        here = lambda: [r for r in client.executions() if r["page"]["url"].endswith("/c/r-history")]  # noqa: E731
        (listed,) = wait_for(lambda: here() or None)
        assert listed["language"] == "r"
        output = client.execution(listed["execution_id"])["output"]
        assert [o["type"] for o in output] == ["stdout", "table"]
        assert output[0]["content"] == "hello from R\n"
        assert output[1]["content"] == '{"columns":["a"],"rows":[[1]],"truncated":false,"shape":[1,1]}'
    finally:
        api.stop()


def test_an_edited_block_runs_with_the_r_editor(browser, pages):
    page = conversation(browser, pages, "r-edit")
    panel = page.add_block("r", "x <- 1")
    panel.edit('x <- "edited"\nx')
    assert panel.editor_text() == 'x <- "edited"\nx'
    # The R mode highlights: the string is a token of its own.
    assert browser.execute_script(
        "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-role=editor] .cm-line span'),"
        " s => s.textContent).includes('\"edited\"');", panel.host)
    assert panel.run(LOAD) == "success" and panel.stream("stdout") == '[1] "edited"\n'

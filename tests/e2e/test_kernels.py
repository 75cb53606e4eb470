"""One Python kernel per conversation: nothing is shared between conversations or sites; a spare,
a budget of live kernels, idle freeing, and freeing when a conversation's pages go away."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage, set_settings
from .test_runner_lifecycle import kernel_pool

LOAD = 120



def live_kernels(browser) -> list[str]:
    """The conversations with a live Python kernel, as the options page sees them."""
    status = kernel_pool(browser, "python")
    assert "error" not in status, status
    return sorted(k["key"] for k in status["kernels"])


class Tabs:
    """Several chat pages open at once, each in its own tab (so each keeps its kernel)."""

    def __init__(self, browser):
        self.browser = browser
        self.home = browser.current_window_handle
        self.handles: dict[str, str] = {}
        self.pages: dict[str, BlankPage] = {}

    def open(self, name: str, url: str) -> BlankPage:
        self.browser.switch_to.new_window("tab")
        self.handles[name] = self.browser.current_window_handle
        self.pages[name] = BlankPage(self.browser, url).open()
        return self.pages[name]

    def to(self, name: str) -> BlankPage:
        self.browser.switch_to.window(self.handles[name])
        return self.pages[name]

    def close(self, name: str) -> None:
        self.browser.switch_to.window(self.handles.pop(name))
        self.browser.close()
        self.browser.switch_to.window(self.home)

    def close_all(self) -> None:
        for name in list(self.handles):
            self.close(name)


@pytest.fixture
def tabs(browser, pages):
    set_settings(browser, {"timeoutMs": {"python": 20000}, "preloadRuntimes": True})
    browser.get(pages.url("pages/blank.html"))
    opened = Tabs(browser)
    yield opened
    opened.close_all()


def run_py(page: BlankPage, code: str, timeout: float = LOAD):
    panel = page.add_block("python", code)
    state = panel.run(timeout)
    if state != "success":  # shown with a failing test's output
        print(f"{code[:40]!r} -> {state}: notice={panel.notice!r} streams={panel.streams()!r}")
    return panel, state


# A victim conversation keeps a secret and uses input(); the attacker looks for it everywhere a
# shared interpreter would leak it, and replaces what the victim uses.
_ATTACK = """
import gc, sys, builtins
found = []
for obj in gc.get_objects():
    try:
        if isinstance(obj, dict) and 'sk-victim-123' in obj.values():
            found.append('gc dict')
        elif isinstance(obj, str) and obj == 'sk-victim-123':
            found.append('gc str')
    except Exception:
        pass
found += [name for name, mod in list(sys.modules.items())
          if 'sk-victim-123' in repr(getattr(mod, '__dict__', {}).get('api_key', ''))]
found += [name for name in dir(builtins) if 'victim' in name]
stolen = []
builtins.input = lambda prompt='': stolen.append(prompt) or 'forged'
builtins.print = lambda *a, **k: stolen.append(a)
sys.modules['__main__'].__dict__['api_key'] = 'attacker'
sys.stdout.write(repr(found))
"""


@pytest.mark.parametrize("other_host", ["127.0.0.1", "localhost"], ids=["other-conversation", "other-site"])
def test_nothing_is_shared_between_conversations_or_sites(tabs, pages, other_host):
    victim = tabs.open("victim", pages.conversation("victim"))
    panel, state = run_py(victim, "api_key = 'sk-victim-123'\nimport builtins\noriginal_input = builtins.input")
    assert state == "success", panel.stream("error")

    attacker = tabs.open("attacker", pages.conversation("attacker", host=other_host))
    probe, state = run_py(attacker, _ATTACK)
    assert state == "success", probe.stream("error")
    assert probe.stream("stdout") == "[]"  # nothing of the victim's was found
    check, state = run_py(attacker, "api_key")
    assert check.stream("return") == "'attacker'"

    # The victim's world is as it left it: its variable, its input(), its print.
    victim = tabs.to("victim")
    panel, state = run_py(victim, "import builtins\nprint(api_key, builtins.input is original_input)")
    assert state == "success" and panel.stream("stdout") == "sk-victim-123 True\n"
    asking = victim.add_block("python", "answer = input('Password? ')\nprint('got', len(answer))")
    asking.click("run")
    asking.wait_state("awaiting-input", LOAD)
    asking.find('input[data-role="input"]').send_keys("hunter2", Keys.ENTER)
    assert asking.wait_final(10) == "success" and asking.stream("stdout").endswith("got 7\n")

    attacker = tabs.to("attacker")
    loot, state = run_py(attacker, "import sys\nsys.stdout.write(repr(stolen))")
    assert loot.stream("stdout") == "[]"


def test_a_long_run_in_one_conversation_does_not_delay_another(tabs, pages):
    busy = tabs.open("busy", pages.conversation("busy"))
    warm, state = run_py(busy, "print('warm')")
    assert state == "success"
    long_run = busy.add_block("python", "import time\nt = time.time()\nwhile time.time() - t < 8:\n    pass\nprint('long done')")
    long_run.click("run")
    long_run.wait_state("running", LOAD)

    quick = tabs.open("quick", pages.conversation("quick"))
    started = time.monotonic()
    panel, state = run_py(quick, "print('quick')")
    took = time.monotonic() - started
    assert state == "success" and panel.stream("stdout") == "quick\n"
    assert took < 6, f"the run waited {took:.1f} s behind another conversation's"
    long_run = tabs.to("busy").panels()[-1]
    assert long_run.state == "running"  # still going: the quick run did not wait for it
    assert long_run.wait_final(20) == "success"


def test_runs_of_one_conversation_keep_their_order(tabs, pages):
    page = tabs.open("order", pages.conversation("order"))
    first = page.add_block("python", "import time\ntime.sleep(1)\nsteps = ['first']")
    second = page.add_block("python", "steps.append('second')\nprint(steps)")
    first.click("run")
    second.click("run")
    assert first.wait_final(LOAD) == "success", (first.notice, first.streams())
    assert second.wait_final(10) == "success", (second.notice, second.streams())
    assert second.stream("stdout") == "['first', 'second']\n"


def test_past_the_budget_the_least_recently_used_kernel_is_freed(tabs, pages, browser):
    set_settings(browser, {"timeoutMs": {"python": 20000}, "preloadRuntimes": True, "maxKernels": 2})
    try:
        first = tabs.open("a", pages.conversation("budget-a"))
        kept, state = run_py(first, "x = 'a'")
        assert state == "success"
        run_py(tabs.open("b", pages.conversation("budget-b")), "x = 'b'")
        run_py(tabs.open("c", pages.conversation("budget-c")), "x = 'c'")
        keys = live_kernels(browser)
        assert pages.conversation("budget-a") not in keys
        assert {pages.conversation("budget-b"), pages.conversation("budget-c")} <= set(keys)

        first = tabs.to("a")
        WebDriverWait(browser, 10).until(lambda d: "freed to make room" in kept.notice)
        assert "at most 2" in kept.notice
        again, state = run_py(first, "x")
        assert state == "error" and "NameError" in again.stream("error")
    finally:
        set_settings(browser, {"timeoutMs": {"python": 20000}, "preloadRuntimes": True})


def test_an_idle_kernel_is_freed_after_the_idle_setting(tabs, pages, browser):
    set_settings(browser, {"timeoutMs": {"python": 20000}, "kernelIdleMinutes": 0.05})  # 3 s
    try:
        page = tabs.open("idle", pages.conversation("idle"))
        panel, state = run_py(page, "y = 1")
        assert state == "success"
        WebDriverWait(browser, 15).until(lambda d: "after a while without runs" in panel.notice)
        assert pages.conversation("idle") not in live_kernels(browser)
        tabs.to("idle")
        again, state = run_py(page, "y")
        assert state == "error" and "NameError" in again.stream("error")
    finally:
        set_settings(browser, {"timeoutMs": {"python": 20000}, "preloadRuntimes": True})


def test_closing_or_leaving_a_conversation_frees_its_kernel(tabs, pages, browser):
    closing = tabs.open("closing", pages.conversation("closing"))
    run_py(closing, "z = 1")
    leaving = tabs.open("leaving", pages.conversation("leaving"))
    run_py(leaving, "z = 2")
    assert {pages.conversation("closing"), pages.conversation("leaving")} <= set(live_kernels(browser))

    tabs.close("closing")
    tabs.to("leaving")
    browser.get(pages.url("pages/blank.html"))  # the tab moves on to another page
    time.sleep(6.5)  # past the grace period that keeps a kernel across a reload
    keys = live_kernels(browser)
    assert pages.conversation("closing") not in keys and pages.conversation("leaving") not in keys


def test_a_reload_keeps_the_kernel(tabs, pages, browser):
    page = tabs.open("reload", pages.conversation("reload"))
    run_py(page, "kept = 'across a reload'")
    browser.refresh()
    panel, state = run_py(page, "print(kept)")
    assert state == "success" and panel.stream("stdout") == "across a reload\n"


def test_a_single_page_app_moving_to_another_conversation_gets_another_kernel(tabs, pages, browser):
    page = tabs.open("spa", pages.conversation("spa-one"))
    run_py(page, "where = 'one'")
    browser.execute_script("history.pushState({}, '', '/c/spa-two')")
    panel, state = run_py(page, "where")
    assert state == "error" and "NameError" in panel.stream("error")
    browser.execute_script("history.pushState({}, '', '/c/spa-one')")
    panel, state = run_py(page, "where")
    assert state == "success" and panel.stream("return") == "'one'"


def test_reset_starts_a_fresh_kernel(tabs, pages, browser):
    page = tabs.open("reset", pages.conversation("reset"))
    panel, state = run_py(page, "import sys, json\njson.dumps = lambda *a, **k: 'patched'\nv = 1")
    assert state == "success"
    panel.click("reset")
    WebDriverWait(browser, 10).until(lambda d: "cleared" in panel.notice)
    again, state = run_py(page, "import json\nprint(json.dumps([1]))\nv")
    assert again.stream("stdout") == "[1]\n"  # even a patched module is gone
    assert state == "error" and "NameError" in again.stream("error")


def test_stop_that_kills_a_kernel_affects_only_its_conversation(tabs, pages, browser):
    calm = tabs.open("calm", pages.conversation("calm"))
    calm_panel, state = run_py(calm, "calm_value = 'intact'")
    assert state == "success"
    stuck = tabs.open("stuck", pages.conversation("stuck"))
    run_py(stuck, "stuck_value = 1")
    sleeper = stuck.add_block("python", "import time\ntime.sleep(60)")
    assert sleeper.run_then_stop() == "stopped" and "restarted" in sleeper.notice
    panel, state = run_py(stuck, "stuck_value")
    assert state == "error" and "NameError" in panel.stream("error")

    calm = tabs.to("calm")
    assert "restarted" not in calm_panel.notice
    panel, state = run_py(calm, "print(calm_value)")
    assert state == "success" and panel.stream("stdout") == "intact\n"


def test_other_tabs_of_a_conversation_are_told_when_its_kernel_restarts(tabs, pages, browser):
    first = tabs.open("first", pages.conversation("shared"))
    panel, state = run_py(first, "kept = 'here'")
    assert state == "success"
    second = tabs.open("second", pages.conversation("shared"))
    sleeper = second.add_block("python", "import time\ntime.sleep(60)")
    assert sleeper.run_then_stop() == "stopped"
    tabs.to("first")
    WebDriverWait(browser, 10).until(lambda d: "restarted" in panel.notice)


def test_a_spare_imports_ahead_what_this_sessions_conversations_imported(tabs, pages, browser):
    plotter = tabs.open("plotter", pages.conversation("plotter"))
    panel, state = run_py(plotter, "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")
    assert state == "success" and panel.find('[data-stream="figure"] img')
    # The spare that replaces the one the plotter's conversation took imports matplotlib before
    # any conversation has it, and says when that is done.
    WebDriverWait(browser, LOAD, poll_frequency=0.5).until(
        lambda d: kernel_pool(browser, "python").get("spareImports") == "done")
    fresh = tabs.open("fresh", pages.conversation("fresh"))
    check, state = run_py(fresh, "import sys\nprint('matplotlib.pyplot' in sys.modules, 'plt' in globals())")
    assert state == "success"
    assert check.stream("stdout") == "True False\n"  # the module, and nothing of the plotter's names

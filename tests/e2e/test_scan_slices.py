"""A scan is a pass in time slices, blocks on screen first (issue 14): the content script's
scanner on a long page in the detection harness (an iframe 900 x 700, test_detection.py)."""
from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

from .test_detection import detection_bundle, harness  # noqa: F401 (fixtures)

BLOCKS = 300
SLICE_BLOCKS = 16  # block-scanner.js: ready blocks a slice reports at most

_LONG_PAGE = "<!DOCTYPE html><body>" + "".join(
    f'<article><p>Answer {i}</p><pre id="b{i}"><code class="language-python">print({i})\nprint({i} + 1)</code></pre></article>'
    for i in range(BLOCKS)
) + "</body>"

# Scrolled to the middle of the page; each report notes which blocks were on screen and what the
# scanner said about it. Returns how many reports the first slice (inside this call) made.
_SCAN = """
document.getElementById('b150').scrollIntoView({block: 'start'});
window.reports = []; window.idle = 0;
const visible = (el, margin = 0) => { const r = el.getBoundingClientRect(); return r.bottom > -margin && r.top < innerHeight + margin; };
window.scanner = new Detection.BlockScanner({
  onReady(found) { reports.push(found.map(([root, , onScreen, near]) =>
    [Number(root.id.slice(1)), visible(root), onScreen, visible(root, innerHeight / 2), near])); },
  onGone() {},
  onIdle() { idle++; },
}, {hostname: 'chat.test', document, adapters: [], generic: Detection.GENERIC_ADAPTER});
scanner.scan(true);
return reports.length;
"""


def test_a_long_page_is_scanned_in_slices_blocks_on_screen_first(browser, harness):  # noqa: F811
    run = harness(_LONG_PAGE)
    assert run(_SCAN) == 1, "the first slice reports what it found before the call returns"
    WebDriverWait(browser, 30).until(lambda _: run("return idle") == 1)
    reports = run("return reports")
    blocks = [block for report in reports for block in report]
    order = [i for i, *_ in blocks]
    assert sorted(order) == list(range(BLOCKS)), "every block reported once"
    assert len(reports) >= BLOCKS / SLICE_BLOCKS and all(len(report) <= SLICE_BLOCKS for report in reports)
    shown = [i for i, visible, *_ in blocks if visible]
    assert shown and order[: len(shown)] == shown, "the blocks on screen come first"
    assert all(said for _, visible, said, *_ in blocks if visible), "a block on screen is said to be on screen"
    far = [i for i, _, said, *_ in blocks if said and abs(i - 150) > 40]
    assert not far, "blocks far from the screen are known not to be on it"
    # Near: on screen or within half a screen of it (near-viewport.js fills these without waiting).
    near = [i for i, *_, near, said in blocks if near]
    assert set(near) > set(shown) and all(said for *_, near, said in blocks if near), "a block near the screen is said to be near"
    assert not [i for i, *_, said in blocks if said and abs(i - 150) > 40], "blocks far from the screen are known not to be near"
    # Then outward: the next blocks reported are the ones just below and just above the screen.
    after = order[len(shown): len(shown) + 4]
    assert after == [max(shown) + 1, min(shown) - 1, max(shown) + 2, min(shown) - 2]

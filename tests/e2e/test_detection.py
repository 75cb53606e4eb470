"""Block detection that does not depend on <pre> (issue #13), in Chromium.

The unit tests run the content script's detection modules, bundled on their own, inside an
iframe of a test page: content scripts run in the top frame only, so the extension stays out of
the way and each test starts with fresh module state. The others run the extension on the
fixture pages made for the issue."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from .pages import ChatPage

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "extension" / "content"
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
NEW_FIXTURES = ["react-highlighter-div.html", "lines-per-element.html", "codemirror-readonly.html", "header-filetype.html"]

_ENTRY = f"""
export {{ BlockScanner }} from '{CONTENT}/block-scanner.js';
export {{ readBlock }} from '{CONTENT}/block-reader.js';
export {{ readCodeText }} from '{CONTENT}/code-text.js';
export {{ GENERIC_ADAPTER }} from '{CONTENT}/adapters/index.js';
"""

_LOAD = """
const [bundle, html] = arguments;
document.getElementById('harness')?.remove();
const frame = document.createElement('iframe');
frame.id = 'harness';
frame.style.cssText = 'width: 900px; height: 700px';
document.body.append(frame);
const doc = frame.contentDocument;
doc.open(); doc.write(html); doc.close();
frame.contentWindow.eval(bundle);
frame.contentWindow.warnings = [];
frame.contentWindow.console.warn = (...parts) => frame.contentWindow.warnings.push(parts.map(String).join(' '));
"""


@pytest.fixture(scope="module")
def detection_bundle(tmp_path_factory):
    """The detection modules as one script exposing `Detection` (esbuild, as the real build)."""
    folder = tmp_path_factory.mktemp("detection")
    (folder / "entry.js").write_text(_ENTRY)
    out = folder / "detection.js"
    subprocess.run(
        [str(ESBUILD), str(folder / "entry.js"), "--bundle", "--format=iife", "--global-name=Detection",
         f"--outfile={out}", "--log-level=warning"],
        check=True,
    )
    return out.read_text()


@pytest.fixture
def harness(browser, pages, detection_bundle):
    """harness(html) loads `html` into a fresh iframe with the modules; the returned function
    evaluates JavaScript there (`Detection`, `document` and `warnings` in scope)."""
    browser.get(pages.url("pages/conversation-2.html"))

    def load(html):
        browser.execute_script(_LOAD, detection_bundle, html)
        return lambda js: browser.execute_script(
            "return document.getElementById('harness').contentWindow.eval(arguments[0])", f"(() => {{ {js} }})()"
        )

    return load


# -- a throwing adapter never stops detection ------------------------------------------------------

_ADAPTER_PAGE = """<!DOCTYPE html><body>
<div class="good-block"><pre><code class="language-js">console.log("good")</code></pre></div>
<div class="read-block"><pre><code class="language-js">console.log("read")</code></pre></div>
<section class="found-by-a-thrower"><pre><code class="language-python">print("plain")</code></pre></section>
<div class="codeblock"><div class="hdr"><span>python</span><button>Copy</button></div>
  <div style="display: block"><code style="white-space: pre">x = 1
print(x)</code></div></div>
</body>"""

_ADAPTERS = """
const site = (name, more) => ({name, hosts: ['chat.test'], signature: null, code: 'code', label: null, message: null, streaming: null, ...more});
window.adapters = [
  site('bad-selector', {block: 'pre:not-a-pseudo-class'}),
  site('unclosed', {block: 'div[data-x'}), // valid alone (CSS closes the bracket), never joined to others
  site('throwing-find', {find() { throw new Error('find failed'); }}),
  site('good-site', {block: '.good-block'}),
  site('throwing-read', {block: '.read-block', codeOf() { throw new Error('read failed'); }}),
];
window.scanner = new Detection.BlockScanner({onReady() {}, onGone() {}},
  {hostname: 'chat.test', document, adapters, generic: Detection.GENERIC_ADAPTER});
window.owners = () => Array.from(scanner.findRoots(), ([root, adapter]) => [root.className || root.tagName, adapter.name]);
"""


def test_a_throwing_adapter_is_skipped_with_one_warning_and_the_others_still_run(harness):
    run = harness(_ADAPTER_PAGE)
    run(_ADAPTERS)
    first = run("return owners()")
    assert first == [
        ["good-block", "good-site"],
        ["read-block", "throwing-read"],
        ["PRE", "generic"],  # the thrower's region: the generic adapter still finds its block
        ["codeblock", "generic"],
    ]
    warnings = run("return warnings")
    assert len(warnings) == 2
    assert '"bad-selector"' in warnings[0] and '"throwing-find"' in warnings[1]
    # Reading a block whose adapter throws: the block is read all the same, the adapter is switched
    # off with one warning, and the next scan gives its block to the generic adapter.
    info = run("const root = document.querySelector('.read-block');"
               "const info = Detection.readBlock(root, adapters[4]); Detection.readBlock(root, adapters[4]);"
               "return [info.code, info.language]")
    assert info == ["", None]
    assert run("return owners()") == [
        ["good-block", "good-site"],
        ["read-block", "generic"],  # the wrapper holds nothing but the <pre>: it is the block
        ["PRE", "generic"],
        ["codeblock", "generic"],
    ]
    warnings = run("return warnings")
    assert len(warnings) == 3 and '"throwing-read"' in warnings[2]


# -- what counts as a block ---------------------------------------------------------------------------

_SHAPES_PAGE = """<!DOCTYPE html><head><style>
.cm-content{white-space:pre}.cm-line{display:block}.shiki{white-space:pre}.shiki .line{display:block}.pre{white-space:pre}
</style></head><body><main><div class="answer">
<p>Inline <code>print(1)</code>, and inline across a soft break <code style="white-space: pre-wrap">a = 1
b = 2</code> in a sentence.</p>
<div>Run <code style="white-space: pre">first()
second()</code> now, inside a sentence that is not a paragraph.</div>

<div data-expect="root" id="rsh" class="codeblock"><div class="hdr"><span>python</span><button>Copy</button></div>
  <div style="display: block; overflow-x: auto"><code class="language-python" style="white-space: pre"><span>a = 1
</span><span>print(a)</span></code></div></div>

<div data-expect="root" id="gutter-code" style="display: block"><code style="float: left; white-space: pre"><span class="react-syntax-highlighter-line-number">1
</span><span class="react-syntax-highlighter-line-number">2
</span></code><code style="white-space: pre">x = 1
print(x)</code></div>

<div class="codeblock"><div class="hdr"><span>bash</span></div>
  <div style="display: block"><code style="white-space: pre">npm install</code></div></div>

<div data-expect="root" id="block-code"><div class="hdr">JavaScript <button>Copy</button></div><code style="display: block; white-space: pre-wrap">let a = 1;
console.log(a);</code></div>

<div data-expect="root" id="token-lines" class="pre"><div class="token-line">a = 1</div><div class="token-line">print(a)</div></div>
<div class="not-pre"><div class="token-line">words in</div><div class="token-line">normal white space</div></div>

<div data-expect="root" id="shiki" class="shiki"><code><span class="line">let a = 1;</span><span class="line">console.log(a);</span></code></div>

<div data-expect="root" id="cm-view" class="view"><div class="cm-editor"><div class="cm-scroller"><div class="cm-gutters" aria-hidden="true"><div>1</div><div>2</div></div>
  <div class="cm-content" contenteditable="false"><div class="cm-line">a = 1</div><div class="cm-line">print(a)</div></div></div></div></div>
<div class="composer"><div contenteditable="true"><pre><code>draft = 1</code></pre></div><div class="cm-editor"><div class="cm-scroller"><div class="cm-content" contenteditable="true"><div class="cm-line">draft = 1</div><div class="cm-line">print(draft)</div></div></div></div></div>

<div class="outer"><div data-expect="root" id="pre-in-frame" class="frame"><div class="title">main.py</div><div class="scroll"><pre><code>print(1)</code></pre></div></div>
  <p>Prose after the block keeps the frame from growing into the answer.</p></div>
</div></main></body>"""


def test_blocks_are_recognised_by_what_they_are_not_by_tag(harness):
    run = harness(_SHAPES_PAGE)
    found = run("return Detection.GENERIC_ADAPTER.find(document, () => false).map(b => b.root.id || b.root.outerHTML.slice(0, 60))")
    expected = run("return Array.from(document.querySelectorAll('[data-expect=root]'), el => el.id)")
    assert found == expected


def test_a_block_a_site_adapter_owns_is_not_picked_up_again(harness):
    run = harness(_SHAPES_PAGE)
    run("window.scanner = new Detection.BlockScanner({onReady() {}, onGone() {}}, {hostname: 'chat.test', document,"
        " adapters: [{name: 'site', hosts: ['chat.test'], block: '#rsh > div[style], #cm-view .cm-editor', code: 'code, .cm-content'}],"
        " generic: Detection.GENERIC_ADAPTER});")
    owners = run("return Array.from(scanner.findRoots(), ([root, a]) => [root.id || root.className, a.name])")
    assert ["rsh", "generic"] not in owners and ["cm-view", "generic"] not in owners
    assert owners.count(["", "site"]) == 1 and owners.count(["cm-editor", "site"]) == 1
    assert len(owners) == 7


# -- the header's word on the language -----------------------------------------------------------

_HEADER_PAGE = """<!DOCTYPE html><head><style>.c{white-space:pre}</style></head><body><main>
<p>Blocks whose language, if any, is in the header:</p>
<div id="tabs"><div class="bar"><button>Output</button><span>Python</span></div><div class="c"><code>x = 6 * 7
print(x)</code></div></div>
<p>A language picker lists every language it offers: it is not the block's label.</p>
<div id="picker"><div class="bar"><select><option>JavaScript</option><option selected>Plain</option></select></div>
  <div class="c"><code>x = 6 * 7
print(x)</code></div></div>
<p>An icon with an accessible label:</p>
<div id="icon"><div class="bar"><span role="img" aria-label="TypeScript file"></span><button aria-label="Copy code"></button></div>
  <div class="c"><code>let x = 40
console.log(x + 2)</code></div></div>
<p>A pre without a code element: its own tokens are never read as a label.</p>
<pre id="bare"><span>def</span> show(<span>text</span>):
    print(<span>text</span>)

show("hi")</pre>
</main></body>"""


def test_the_header_states_the_language_the_code_never_does(harness):
    run = harness(_HEADER_PAGE)
    languages = run("const g = Detection.GENERIC_ADAPTER;"
                    "return Object.fromEntries(g.find(document).map(b => [b.root.id, Detection.readBlock(b.root, g).language]))")
    assert languages == {"tabs": "python", "picker": None, "icon": "typescript", "bare": "python"}


# -- code text keeps its lines ----------------------------------------------------------------------

_TEXT_CASES = {
    # react-syntax-highlighter: inline line numbers, newlines at the end of the spans holding them
    "inline line numbers": (
        '<code style="white-space: pre"><span class="linenumber react-syntax-highlighter-line-number">1</span>'
        '<span>a = 1\n</span><span class="linenumber react-syntax-highlighter-line-number">2</span><span>\n</span>'
        '<span class="linenumber react-syntax-highlighter-line-number">3</span><span>print(a)</span></code>',
        "a = 1\n\nprint(a)",
    ),
    # wrapLines + lineProps display:block: each line a block span holding its own newline
    "block spans with their newline": (
        '<code><span style="display: block;"><span>a = 1</span><span>\n</span></span>'
        '<span style="display: block;"><span>\n</span></span><span style="display: block;">print(a)</span></code>',
        "a = 1\n\nprint(a)",
    ),
    "divs with newlines between them": (
        '<code><div>a = 1</div>\n<div>print(a)</div>\n</code>',
        "a = 1\nprint(a)\n",
    ),
    "an empty block line holding a <br>": (
        '<code><div>a = 1</div><div><br></div><div>print(a)</div></code>',
        "a = 1\n\nprint(a)",
    ),
    "block spans without newlines": (
        '<code><span style="display:block">a = 1</span><span style="display:block">print(a)</span></code>',
        "a = 1\nprint(a)",
    ),
    # Shiki in a code element: span.line with newline text nodes between them
    "span.line with newlines between": (
        '<code><span class="line">a = 1</span>\n<span class="line"></span>\n<span class="line">print(a)</span></code>',
        "a = 1\n\nprint(a)",
    ),
    "div.line without newlines, an empty line": (
        '<div><div class="line">a = 1</div><div class="line"></div><div class="line">    print(a)</div></div>',
        "a = 1\n\n    print(a)",
    ),
    "span.line each ending with its newline": (
        '<code><span class="line">a = 1\n</span><span class="line">print(a)\n</span></code>',
        "a = 1\nprint(a)",
    ),
    # prism-react-renderer: an empty line is one inline-block token holding "\n"
    "token lines": (
        '<div><div class="token-line"><span class="token plain">a = 1</span></div>'
        '<div class="token-line"><span class="token plain" style="display: inline-block;">\n</span></div>'
        '<div class="token-line"><span class="token">print</span><span class="token plain">(a)</span></div></div>',
        "a = 1\n\nprint(a)",
    ),
    "CodeMirror lines": (
        '<div class="cm-content"><div class="cm-line">a = 1</div><div class="cm-line"><br></div>'
        '<div class="cm-line">print(a)</div></div>',
        "a = 1\n\nprint(a)",
    ),
}


@pytest.mark.parametrize("case", list(_TEXT_CASES))
def test_code_text_keeps_one_line_per_line(harness, case):
    html, expected = _TEXT_CASES[case]
    run = harness(f"<!DOCTYPE html><body><div id='block'>{html}</div></body>")
    assert run("return Detection.readCodeText(document.getElementById('block').firstElementChild)") == expected


# -- the extension on the new fixture pages -----------------------------------------------------

@pytest.mark.parametrize("name", NEW_FIXTURES)
def test_panels_follow_the_whole_block_and_hold_its_exact_code(browser, pages, name):
    page = ChatPage(browser, pages.url(f"chat-pages/{name}")).open()
    expected = page.expected()
    meta = json.loads(browser.execute_script("return document.getElementById('fixture-meta').textContent"))
    panels = page.wait_panels(len(expected))
    for panel, block in zip(panels, expected):
        placed = browser.execute_script(
            "const [host, root] = arguments; const block = host.previousElementSibling;"
            "return [Boolean(block && block.matches(root)), Boolean(host.parentElement.closest('pre, code, .cm-editor, .line, .token-line'))]",
            panel.host, meta["block_root"],
        )
        assert placed == [True, False], block["block"]
        panel.click("edit")
        assert panel.editor_text() == block["code_to_run"], block["block"]


_STREAM_DIV_BLOCK = """
// A React answer streaming into a react-syntax-highlighter block (PreTag="div"): the code element
// is re-rendered with one more line every 40 ms.
const lines = ['total = 0', 'for n in range(4):', '    total += n', 'print("total", total)'];
const block = document.createElement('div');
block.className = 'codeblock';
block.innerHTML = '<div class="hdr"><span>python</span><button>Copy</button></div><div style="display: block"></div>';
document.getElementById('chat').append(block);
let shown = 0;
const grow = () => {
  shown++;
  block.lastElementChild.innerHTML = '<code style="white-space: pre"></code>';
  block.querySelector('code').textContent = lines.slice(0, shown).join('\\n');
  if (shown < lines.length) setTimeout(grow, 40);
};
grow();
"""


def test_a_streamed_div_block_gets_one_panel_with_its_final_code(browser, pages):
    page = ChatPage(browser, pages.url("pages/conversation-2.html")).open()
    browser.execute_script(_STREAM_DIV_BLOCK)
    (panel,) = page.wait_panels(1, settle=1.0)
    assert panel.language == "python"
    assert browser.execute_script("return arguments[0].previousElementSibling.className", panel.host) == "codeblock"
    panel.click("edit")
    assert panel.editor_text() == 'total = 0\nfor n in range(4):\n    total += n\nprint("total", total)'

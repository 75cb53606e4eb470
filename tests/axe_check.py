"""An accessibility scan with axe-core (the npm package pinned in package-lock.json), injected into
the page under test: the extension's panels, the dashboard, any page a Selenium driver shows.

    from axe_check import assert_no_serious, violations
    assert_no_serious(driver)                                 # the whole page, shadow roots included
    assert_no_serious(driver, {"include": [["main"]]})        # a part of it (axe's context syntax)

Injected with WebDriver's script evaluation, so a page's CSP does not stop it.
"""
from __future__ import annotations

import functools
from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

_RUN = """
const [context, options, done] = arguments;
axe.run(context || document, options).then(
  (results) => done(results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary})),
  }))),
  (error) => done({error: String(error && error.stack || error)}));
"""


@functools.cache
def _source() -> str:
    assert AXE.exists(), "axe-core is missing: run scripts/setup (npm ci)"
    return AXE.read_text(encoding="utf-8")


def violations(driver, context=None) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.x A and AA rules and best practices):
    [{id, impact, help, helpUrl, nodes: [{target, html, summary}]}]. `context`: axe's context
    (a selector list, {"include": [...], "exclude": [...]}), the whole document when None."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_source())
    driver.set_script_timeout(120)
    found = driver.execute_async_script(_RUN, context, {"resultTypes": ["violations"]})
    if isinstance(found, dict) and "error" in found:
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return found


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} nodes)")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)


def assert_no_serious(driver, context=None) -> list[dict]:
    """Fail with axe's own words if any violation is serious or critical; returns the minor ones."""
    found = violations(driver, context)
    serious = [v for v in found if v["impact"] in SERIOUS]
    assert not serious, "axe-core found serious or critical violations:\n" + describe(serious)
    return found

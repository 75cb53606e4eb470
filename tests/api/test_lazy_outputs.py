"""Lists load runs without their outputs (summaries with a preview), so a page of runs carrying
megabytes of figures costs kilobytes; the full output comes with the single run."""
import base64
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from companion_api.extensions import db

from .factories import iso, run, T0

# The output column itself (output_text appears only inside the preview's substr()).
OUTPUT_COLUMN = re.compile(r"executions\.output(?!_)")
FIGURE = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(1_500_000)).decode()


@contextmanager
def statements(app):
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def heavy(user):
    """Three runs of one code, each with 3 figures of 1.5 MB and some text."""
    out = [{"type": "figure", "content": FIGURE, "timestamp": iso(T0)}] * 3
    out.append({"type": "stdout", "content": "é" * 400, "timestamp": iso(T0)})
    return [user.store(code="plot()", minutes=i, output=out) for i in range(3)]


def test_api_lists_carry_summaries_and_never_load_outputs(app, user, heavy):
    artifact = heavy[0]["artifact_uuid"]
    with statements(app) as seen:
        listed = user.get("/api/v1/executions")
        artifacts = user.get("/api/v1/artifacts")
        detail = user.get(f"/api/v1/artifacts/{artifact}")
    assert not [s for s in seen if OUTPUT_COLUMN.search(s)]
    for resp in (listed, artifacts, detail):
        assert resp.status_code == 200 and len(resp.data) < 20_000, len(resp.data)
    items = listed.json["items"]
    assert len(items) == 3 and "output" not in items[0]
    assert items[0]["output_preview"] == "é" * 300
    assert [r["output_preview"] for r in detail.json["runs"]] == ["é" * 300] * 3
    one = user.get(f"/api/v1/executions/{items[0]['execution_id']}")
    assert [o["type"] for o in one.json["output"]] == ["figure"] * 3 + ["stdout"]


def test_dashboard_lists_never_load_outputs(app, user, heavy):
    from dashboard.conftest import Dashboard

    browser = Dashboard(app)
    browser.login(user.body["account"]["email"])
    with statements(app) as seen:
        pages = [browser.get("/"), browser.get("/runs/delete"),
                 browser.get(f"/runs/{heavy[0]['execution_id']}")]
    assert all(p.status_code == 200 for p in pages)
    # Only the run page's own run is loaded whole (once); its other runs are summaries.
    assert len([s for s in seen if OUTPUT_COLUMN.search(s)]) == 1
    assert len(pages[0].data) < 50_000 and len(pages[2].data) > 3 * len(FIGURE)

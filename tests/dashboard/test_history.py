"""History: the table, filters, search, pagination, exports and deletes of a selection."""
import json
import re

import nbformat
import pytest

ROW = re.compile(r'data-testid="run-row" data-execution-id="([^"]+)"')


def row_ids(resp):
    assert resp.status_code == 200, resp.status_code
    return ROW.findall(resp.get_data(as_text=True))


@pytest.fixture
def seeded(owner, users):
    """Six runs over two devices, languages, sites and statuses; oldest first."""
    second = users.login(owner.email, device_name="Phone")
    runs = [
        owner.store(code="print('alpha')", minutes=0),
        owner.store(code="console.log('beta')", language="javascript", minutes=1,
                    page={"url": "https://other.example/x", "site": "other.example"}),
        owner.store(code="raise ValueError('gamma')", status="error", minutes=2, title=None),
        second.store(code="print('delta')", minutes=60 * 24 * 3),
        second.store(code="let x: number = 1", language="typescript", minutes=60 * 24 * 4,
                     status="timeout"),
        owner.store(code="print('epsilon')", minutes=60 * 24 * 5,
                    output=[{"type": "stdout", "content": "needle in output",
                             "timestamp": "2025-03-06T12:00:00Z"}]),
    ]
    return {"runs": [r["execution_id"] for r in runs], "phone": second.device_id,
            "laptop": owner.device_id}


NAME = re.compile(r'data-testid="run-name">([^<]*)</a>(?:<span class="site" data-testid="run-site">([^<]*))?')


def test_history_lists_runs_newest_first_with_their_columns(dash, seeded):
    resp = dash.get("/")
    assert row_ids(resp) == seeded["runs"][::-1]
    html = resp.get_data(as_text=True)
    for text in ("2025-03-01 12:00 UTC", "javascript", "Phone", "Chromium on laptop", "timeout",
                 "42 ms", '<time datetime="2025-03-01T12:00:00+00:00" title="2025-03-01 12:00 UTC"'):
        assert text in html
    assert "6 runs." in html


def test_a_row_is_named_by_its_page_title_then_its_site_then_its_code(dash, owner):
    owner.store(code="print('titled page')", minutes=0)
    owner.store(code="print('site only')", minutes=1, page={"url": None, "site": "chat.example"})
    owner.store(code="\n  print('no page')\n", minutes=2, page=None, title=None)
    owner.store(code="print('block title')", minutes=3, page=None, title="Squares")
    names = NAME.findall(dash.get("/").get_data(as_text=True))
    assert names == [("Squares", ""), ("print(&#39;no page&#39;)", ""), ("chat.example", ""),
                     ("Chat", "chat.example")]

@pytest.mark.parametrize("query, expected", [
    ("language=javascript", [1]),
    ("status=error", [2]),
    ("site=other.example", [1]),
    ("since=2025-03-04&until=2025-03-05", [3, 4]),
    ("until=2025-03-01", [0, 1, 2]),
    ("q=needle", [5]),
    ("q=GAMMA", [2]),
    ("language=python&status=success", [0, 3, 5]),
])
def test_filters_and_search(dash, seeded, query, expected):
    assert row_ids(dash.get(f"/?{query}")) == [seeded["runs"][i] for i in expected][::-1]


def test_device_filter(dash, seeded):
    ids = row_ids(dash.get(f"/?device={seeded['phone']}"))
    assert ids == [seeded["runs"][4], seeded["runs"][3]]


@pytest.mark.parametrize("query", ["language=cobol", "since=yesterday", "device=not-a-uuid",
                                   "q=a%00b", "site=%00", "language=%00",
                                   f"device={'0' * 8}-0000-0000-0000-{'0' * 12}"])
def test_invalid_filters_are_reported_and_ignored(dash, seeded, query):
    resp = dash.get(f"/?{query}")
    assert len(row_ids(resp)) == 6
    assert 'class="field-error"' in resp.get_data(as_text=True)


def test_search_is_literal_text(dash, owner):
    owner.store(code="print('100%')")
    owner.store(code="print('100 percent')")
    assert len(row_ids(dash.get("/?q=100%25"))) == 1


@pytest.fixture
def small_pages(make_app, users):
    """An app showing two runs a page, with a signed-in owner of five runs."""
    from .conftest import Dashboard

    app = make_app(DASHBOARD_PAGE_SIZE=2)
    dash = Dashboard(app)
    owner = users.new()
    dash.login(owner.body["account"]["email"])
    ids = [owner.store(minutes=i, language="python" if i % 2 else "javascript")["execution_id"]
           for i in range(5)]
    return dash, ids[::-1]


def test_pagination_keeps_filters(small_pages):
    dash, newest_first = small_pages
    pages = [row_ids(dash.get(f"/?page={n}")) for n in (1, 2, 3)]
    assert sum(pages, []) == newest_first
    html = dash.get("/?page=2&language=javascript").get_data(as_text=True)
    assert "Page 2 of 2" in html
    assert 'href="/?page=1&amp;language=javascript"' in html
    # Out of range pages clamp instead of failing.
    assert row_ids(dash.get("/?page=99")) == newest_first[4:]
    assert row_ids(dash.get("/?page=-3")) == newest_first[:2]


def test_export_notebook_of_the_filtered_selection(dash, seeded):
    resp = dash.get("/export.ipynb?language=python")
    assert resp.status_code == 200
    assert resp.mimetype == "application/x-ipynb+json"
    assert re.match(r'attachment; filename="chatrun-\d{8}-\d{6}-python\.ipynb"',
                    resp.headers["Content-Disposition"])
    nb = nbformat.reads(resp.get_data(as_text=True), as_version=4)
    nbformat.validate(nb)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == ["print('alpha')", "raise ValueError('gamma')", "print('delta')",
                    "print('epsilon')"]


def test_export_json_of_checked_runs(dash, seeded):
    picked = seeded["runs"][1], seeded["runs"][4]
    resp = dash.get(f"/export.json?id={picked[0]}&id={picked[1]}&id=junk")
    doc = json.loads(resp.get_data(as_text=True))
    assert doc["count"] == 2
    assert [e["execution_id"] for e in doc["executions"]] == list(picked)
    assert doc["executions"][1]["device"]["name"] == "Phone"


def test_delete_checked_runs_after_confirmation(dash, seeded, owner):
    victim = seeded["runs"][2]
    confirm = dash.get(f"/runs/delete?id={victim}")
    html = confirm.get_data(as_text=True)
    assert "Delete 1 run?" in html and "gamma" in html
    assert len(owner.get("/api/v1/executions").json["items"]) == 6  # asking deletes nothing
    resp = dash.post("/runs/delete", {"id": victim})
    assert resp.status_code == 302
    assert victim not in row_ids(dash.get("/"))
    assert owner.get(f"/api/v1/executions/{victim}").status_code == 404
    assert len(owner.get("/api/v1/executions").json["items"]) == 5


def test_delete_the_filtered_selection(dash, seeded, owner):
    assert "Delete 4 runs?" in dash.get("/runs/delete?language=python").get_data(as_text=True)
    resp = dash.post("/runs/delete", {"language": "python"})
    assert resp.headers["Location"] == "/?language=python"
    left = owner.get("/api/v1/executions").json["items"]
    assert sorted(r["language"] for r in left) == ["javascript", "typescript"]


def test_exports_are_capped_and_the_page_says_so(make_app, users):
    from .conftest import Dashboard

    app = make_app(CHATRUN_MAX_EXPORT=2)
    dash, owner = Dashboard(app), users.new()
    dash.login(owner.body["account"]["email"])
    for i in range(3):
        owner.store(minutes=i)
    assert "An export takes the oldest 2</strong>" in dash.get("/export").get_data(as_text=True)
    assert json.loads(dash.get("/export.json").get_data(as_text=True))["count"] == 2

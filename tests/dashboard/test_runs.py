"""A run's page (code, output, page link, device, same-code runs) and its share links."""
import json
import re

import pytest

from api.factories import PNG_1PX
from companion_api.dashboard.render import http_url

TS = "2025-03-01T12:00:00Z"


def out(kind, content):
    return {"type": kind, "content": content, "timestamp": TS}


@pytest.fixture
def rich_run(owner):
    table = {"columns": ["name", "n"], "rows": [["a", 1], ["b", None]], "index": ["r0", "r1"]}
    return owner.store(
        code="import math\nprint(math.pi)",
        output=[out("stdout", "<script>alert(1)</script>"), out("stderr", "warned"),
                out("figure", PNG_1PX), out("table", json.dumps(table)),
                out("return", "42")],
        page={"url": "https://chat.example/c/7", "site": "chat.example", "title": "My chat"})


def test_run_page_shows_highlighted_code_and_output_as_the_panel_does(dash, rich_run):
    resp = dash.get(f"/runs/{rich_run['execution_id']}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<div class="hl"><pre>' in html and '<span class="kn">import</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert '<pre class="out out-stderr">warned</pre>' in html
    assert f'<img src="data:image/png;base64,{PNG_1PX}"' in html
    assert '<th scope="col">name</th>' in html and '<th scope="row">r1</th>' in html
    assert "<td>b</td><td>NULL</td>" in html
    assert ('<a href="https://chat.example/c/7" rel="noopener noreferrer nofollow" '
            'target="_blank">My chat</a>') in html
    assert "Chromium on laptop" in html
    assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_highlight_stylesheet_is_served(dash):
    resp = dash.get("/highlight.css")
    assert resp.mimetype == "text/css" and ".hl .kn" in resp.get_data(as_text=True)


@pytest.mark.parametrize("url, link", [
    ("https://a.example/x", True), ("http://a.example", True), ("javascript:alert(1)", False),
    ("data:text/html,hi", False), ("//a.example", False), ("", False), (None, False),
    ("http://[bad", False)])
def test_only_http_urls_become_links(url, link):
    assert http_url(url) == (url if link else None)


@pytest.mark.parametrize("content, shown", [
    ('{"columns": 1}', "{&#34;columns&#34;: 1}"),
    ('{"columns": [], "rows": ' + "[" * 3000 + "]" * 3000 + "}",
     "{&#34;columns&#34;: [], &#34;rows&#34;: [[[[[[[["),
])
def test_a_malformed_table_is_shown_as_text(owner, dash, app, make_dash, content, shown):
    # Only a row stored before table shapes were checked can hold one: never a 500.
    from companion_api.extensions import db
    from companion_api.models import Execution

    body = owner.store()
    with app.app_context():
        run = db.session.query(Execution).one()
        run.output = [out("table", content)]
        db.session.commit()
    html = dash.get(f"/runs/{body['execution_id']}").get_data(as_text=True)
    assert '<pre class="out out-table">' + shown in html
    shared = make_dash().get(share(dash, body["execution_id"]))
    assert shared.status_code == 200 and shown in shared.get_data(as_text=True)
    assert dash.get("/export.ipynb").status_code == 200
    assert owner.get("/api/v1/exports/notebook").status_code == 200


def test_run_page_lists_the_same_code_on_other_devices(owner, users, dash):
    mine = owner.store(code="print(1)", minutes=0)
    phone = users.login(owner.email, device_name="Phone")
    other = phone.store(code="print(1)", minutes=5)
    owner.store(code="print(2)", minutes=9)
    html = dash.get(f"/runs/{mine['execution_id']}").get_data(as_text=True)
    section = html.split('data-testid="other-runs"')[1]
    assert other["execution_id"] in section and "Phone" in section
    assert "print(2)" not in html


def test_unknown_run_is_an_html_404(dash, owner):
    resp = dash.get("/runs/00000000-0000-4000-8000-000000000000")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html" and "No such run." in resp.get_data(as_text=True)


def share(dash, execution_id):
    resp = dash.post(f"/runs/{execution_id}/share")
    assert resp.status_code == 201
    return re.search(r'data-testid="share-url">(http://127.0.0.1:8765/s/crs_[^<]+)<',
                     resp.get_data(as_text=True)).group(1)


def test_shared_page_shows_code_and_output_only(dash, owner, rich_run, make_dash):
    url = share(dash, rich_run["execution_id"])
    anonymous = make_dash()
    resp = anonymous.get(url)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "print" in html and f"data:image/png;base64,{PNG_1PX}" in html
    for private in (owner.email, "Chromium on laptop", "chat.example", "My chat",
                    rich_run["execution_id"], "Sign out", "History"):
        assert private not in html
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["X-Robots-Tag"] == "noindex"


def test_the_same_link_works_in_the_api(dash, rich_run, client):
    token = share(dash, rich_run["execution_id"]).rsplit("/", 1)[1]
    assert client.get(f"/api/v1/shared/{token}").json["code"] == rich_run["code"]


def test_revoked_link_is_404(dash, owner, rich_run, make_dash):
    url = share(dash, rich_run["execution_id"])
    share_id = owner.get("/api/v1/shares").json["items"][0]["id"]
    assert f"/shares/{share_id}/revoke" in dash.get("/shares").get_data(as_text=True)
    resp = dash.post(f"/shares/{share_id}/revoke",
                     {"next": f"/runs/{rich_run['execution_id']}"})
    assert resp.headers["Location"] == f"/runs/{rich_run['execution_id']}"
    resp = make_dash().get(url)
    assert resp.status_code == 404 and "revoked" in resp.get_data(as_text=True)
    assert owner.get("/api/v1/shares").json["items"][0]["revoked_at"]


def test_unknown_share_token_is_404(make_dash):
    assert make_dash().get("/s/crs_nothing").status_code == 404


def test_dashboard_share_links_use_the_configured_public_url(make_app, users):
    from .conftest import Dashboard

    app = make_app(CHATRUN_PUBLIC_URL="https://chatrun.example.org")
    browser, owner = Dashboard(app), users.new()
    browser.login(owner.body["account"]["email"])
    rec = owner.store()
    resp = browser.post(f"/runs/{rec['execution_id']}/share")  # the request's host: localhost
    assert 'data-testid="share-url">https://chatrun.example.org/s/crs_' in resp.get_data(as_text=True)
    assert "localhost" not in resp.get_data(as_text=True)


def test_an_html_run_is_its_code_with_a_note_on_its_page_and_the_export_page(dash, owner):
    rec = owner.store(code="<h1>Hi</h1>", language="html", output=[])
    html = dash.get(f"/runs/{rec['execution_id']}").get_data(as_text=True)
    assert 'data-testid="preview-note"' in html and "the preview itself is not stored" in html
    assert "<h1>Hi</h1>" not in html and '<span class="nt">h1</span>' in html  # highlighted text
    export = dash.get("/export").get_data(as_text=True)
    assert 'data-testid="preview-note">None: a preview' in export
    python = owner.store()
    assert 'data-testid="preview-note"' not in dash.get(f"/runs/{python['execution_id']}").get_data(as_text=True)

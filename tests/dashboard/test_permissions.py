"""A second user never sees, opens, exports, deletes or shares the first user's runs."""
import json

import pytest


@pytest.fixture
def victim(users, app):
    """Another account with a run, a live share link and a device."""
    from .conftest import Dashboard

    other = users.new(email="victim@example.com")
    run = other.store(code="print('secret of the victim')", title=None)
    share = other.post(f"/api/v1/executions/{run['execution_id']}/shares").json
    return {"user": other, "run": run["execution_id"], "share": share["id"],
            "share_url": share["url"], "device": other.device_id,
            "dash": Dashboard(app)}


def victim_intact(victim):
    v = victim["user"]
    assert v.get(f"/api/v1/executions/{victim['run']}").status_code == 200
    assert v.get("/api/v1/shares").json["items"][0]["revoked_at"] is None
    device = v.get(f"/api/v1/devices/{victim['device']}").json
    assert device["name"] == "Chromium on laptop" and device["revoked_at"] is None
    return True


def test_history_never_lists_them(dash, owner, victim):
    mine = owner.store(code="print('mine')", title=None)
    html = dash.get("/").get_data(as_text=True)
    assert mine["execution_id"] in html and "secret" not in html and "1 run." in html
    assert "0 runs match the filters." in dash.get("/?q=secret").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/runs/{run}", "/runs/{run}/share", "/devices/{device}/revoke"])
def test_their_pages_are_404(dash, owner, victim, path):
    assert dash.get(path.format(**victim)).status_code in (404, 405)


@pytest.mark.parametrize("path, data", [
    ("/runs/{run}/share", {}),
    ("/shares/{share}/revoke", {}),
    ("/devices/{device}/rename", {"name": "pwned"}),
    ("/devices/{device}/revoke", {}),
])
def test_their_things_cannot_be_changed(dash, owner, victim, path, data):
    assert dash.post(path.format(**victim), data).status_code == 404
    assert victim_intact(victim)


@pytest.mark.parametrize("fmt", ["json", "ipynb"])
def test_exports_never_include_them(dash, owner, victim, fmt):
    for query in (f"id={victim['run']}", "q=secret", ""):
        body = dash.get(f"/export.{fmt}?{query}").get_data(as_text=True)
        assert "secret" not in body
        if fmt == "json":
            assert json.loads(body)["count"] == 0


@pytest.mark.parametrize("data", [lambda v: {"id": v["run"]}, lambda v: {"q": "secret"},
                                  lambda v: {}])
def test_deletes_never_touch_them(dash, owner, victim, data):
    page = dash.get("/runs/delete", query_string=data(victim)).get_data(as_text=True)
    assert "Delete 0 runs?" in page or "Nothing to delete" in page
    dash.post("/runs/delete", data(victim))
    assert victim_intact(victim)


def test_their_device_is_not_a_filter_choice(dash, owner, victim):
    owner.store()
    html = dash.get(f"/?device={victim['device']}").get_data(as_text=True)
    assert 'class="field-error"' in html and "secret" not in html


def test_stats_count_only_mine(dash, owner, victim):
    html = dash.get("/stats?since=2025-01-01&until=2025-12-31").get_data(as_text=True)
    assert "0 runs in this range" in html


def test_victims_share_page_still_works_and_they_see_their_run(victim):
    assert victim["dash"].get(victim["share_url"].replace("/api/v1/shared/", "/s/")).status_code == 200
    victim["dash"].login("victim@example.com")
    assert "secret of the victim" in victim["dash"].get(f"/runs/{victim['run']}").get_data(as_text=True)

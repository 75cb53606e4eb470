"""Stats: the page, and the aggregates behind its charts."""
import json
import math
import random
import re

import pytest

from companion_api.services import stats


def nearest_rank(values, pct):
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)), 1) - 1]


@pytest.mark.parametrize("n", [1, 2, 3, 19, 20, 21, 100])
def test_percentiles_per_language_are_nearest_rank(app, users, n):
    u = users.new()
    rng = random.Random(n)
    durations = {"python": [rng.randint(0, 5000) for _ in range(n)],
                 "javascript": [rng.randint(0, 50) for _ in range(n + 3)]}
    items = [{**_run(lang, ms, i)} for lang, values in durations.items()
             for i, ms in enumerate(values)]
    assert u.post("/api/v1/executions/batch", json={"items": items}).json["created"] == len(items)
    with app.app_context():
        rows = {r["language"]: r for r in stats.per_language(1, {})}
    for lang, values in durations.items():
        assert rows[lang]["runs"] == len(values)
        assert rows[lang]["p50"] == nearest_rank(values, 50)
        assert rows[lang]["p95"] == nearest_rank(values, 95)


def _run(language, ms, i):
    from api.factories import run

    return run(code=f"x = {i}", language=language, execution_time_ms=ms, minutes=i)


def test_stats_page_shows_days_languages_and_sites(dash, owner):
    owner.store(minutes=0, execution_time_ms=10)
    owner.store(minutes=1, execution_time_ms=30, status="error")
    owner.store(minutes=60 * 24, language="javascript", execution_time_ms=5,
                page={"url": "https://b.example/", "site": "b.example"})
    owner.store(minutes=60 * 24 * 40)  # outside the range asked for
    resp = dash.get("/stats?since=2025-03-01&until=2025-03-10")
    html = resp.get_data(as_text=True)
    assert "3 runs in this range (UTC days), 67% successful." in html
    data = json.loads(re.search(r'id="stats-data">(.*?)</script>', html, re.S).group(1))
    assert data["per_day"] == [{"date": "2025-03-01", "runs": 2, "successes": 1},
                               {"date": "2025-03-02", "runs": 1, "successes": 1}]
    assert data["per_language"][0] == {"language": "python", "runs": 2, "success_rate": 0.5,
                                       "p50": 10, "p95": 30}
    assert data["top_sites"] == [{"site": "chat.example", "runs": 2, "success_rate": 0.5},
                                 {"site": "b.example", "runs": 1, "success_rate": 1.0}]
    # The charts load from this origin only; without JavaScript the tables carry the numbers.
    assert '<script src="/static/vendor/chart.umd.js" defer></script>' in html
    assert "<td>b.example</td>" in html


def test_stats_default_to_the_last_30_days(dash, owner):
    owner.store()  # 2025: long ago
    html = dash.get("/stats").get_data(as_text=True)
    assert "0 runs in this range" in html and "No runs." in html


def test_stats_with_a_backwards_range_fall_back(dash, owner):
    resp = dash.get("/stats?since=2025-03-10&until=2025-03-01")
    assert resp.status_code == 200
    assert 'value="2025-01-31"' in resp.get_data(as_text=True)


def test_the_charting_library_is_served_from_this_origin(client):
    resp = client.get("/static/vendor/chart.umd.js")
    assert resp.status_code == 200, "run scripts/vendor_static.py (scripts/setup does)"
    assert b"Chart.js v4" in resp.data[:200]
    resp.close()

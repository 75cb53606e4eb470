"""Stats over a date range."""


def test_stats_over_a_range(users):
    user = users.new()
    durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000]
    for i, ms in enumerate(durations):
        user.store(execution_time_ms=ms, minutes=i * 60 * 6,  # 6 hours apart: 3 days
                   status="success" if i % 3 else "error",
                   language="javascript" if i < 2 else "python")
    user.store(timestamp="2024-01-01T00:00:00Z")  # outside the range
    users.new().store()  # another account

    resp = user.get("/api/v1/stats?since=2025-03-01T00:00:00Z&until=2025-03-05T00:00:00Z")
    assert resp.status_code == 200
    s = resp.json
    assert s["runs"] == 10
    assert s["by_status"] == {"success": 6, "error": 4, "timeout": 0, "stopped": 0}
    assert s["success_rate"] == 0.6
    assert s["per_day"] == [{"date": "2025-03-01", "runs": 2, "successes": 1},
                            {"date": "2025-03-02", "runs": 4, "successes": 3},
                            {"date": "2025-03-03", "runs": 4, "successes": 2}]
    assert s["per_language"] == [
        {"language": "python", "runs": 8, "success_rate": 0.625, "p50": 60, "p95": 1000},
        {"language": "javascript", "runs": 2, "success_rate": 0.5, "p50": 10, "p95": 20}]
    assert s["duration_ms"] == {"p50": 50, "p95": 1000}


def test_empty_range_and_bad_range(user):
    s = user.get("/api/v1/stats").json
    assert s["runs"] == 0 and s["success_rate"] is None
    assert s["duration_ms"] == {"p50": None, "p95": None}
    resp = user.get("/api/v1/stats?since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00")
    assert resp.status_code == 422 and "since" in resp.json["error"]["fields"]

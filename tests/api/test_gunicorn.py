"""The service as deployed: gunicorn, several workers, real HTTP."""
import requests

from .factories import run
from .live import register


def test_full_flow_over_http(live_server):
    server = live_server(workers=3)
    base = server.url
    headers = register(base, "live@example.com")
    # Many requests so that every worker serves some: no state may live in a worker.
    records = [run(minutes=i) for i in range(30)]
    for body in records:
        assert requests.post(f"{base}/api/v1/executions", json=body, headers=headers,
                             timeout=10).status_code == 201
    replay = requests.post(f"{base}/api/v1/executions", json=records[0], headers=headers,
                           timeout=10)
    assert replay.status_code == 200
    listed = requests.get(f"{base}/api/v1/executions?limit=200", headers=headers, timeout=10)
    assert len(listed.json()["items"]) == 30
    assert requests.get(f"{base}/api/v1/stats?since=2025-01-01T00:00:00Z", headers=headers,
                        timeout=10).json()["runs"] == 30
    nb = requests.get(f"{base}/api/v1/exports/notebook", headers=headers, timeout=10)
    assert nb.status_code == 200 and nb.json()["nbformat"] == 4
    missing = requests.get(f"{base}/api/v1/nope", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert requests.get(f"{base}/api/openapi.json", timeout=10).json()["info"]["title"]

"""The service as deployed: gunicorn, several workers, real HTTP."""
import json
import socket

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


def raw_request(server, data):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head.decode("latin-1"), json.loads(body)


def test_gunicorns_own_error_answers_are_the_json_envelope(live_server):
    """Requests gunicorn refuses before the app sees them (request line over 8190 bytes, a
    malformed request line, an oversized header) get the API's JSON error, not an HTML page."""
    server = live_server(workers=1)
    long = requests.get(f"{server.url}/api/v1/executions?q={'x' * 8200}", timeout=10)
    assert long.status_code == 414 and long.headers["Content-Type"] == "application/json"
    assert long.headers["X-Content-Type-Options"] == "nosniff"
    assert long.json()["error"]["code"] == "uri_too_long"
    # Just under the deliberate limit the app answers (here: 401, no token).
    assert requests.get(f"{server.url}/api/v1/executions?q={'x' * 8000}",
                        timeout=10).status_code == 401
    head, body = raw_request(server, b"NOT A REQUEST LINE\r\n\r\n")
    assert head.startswith("HTTP/1.1 400") and body["error"]["code"] == "bad_request"
    head, body = raw_request(server, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000
                             + b"\r\n\r\n")
    assert head.startswith("HTTP/1.1 431") and body["error"]["code"] == "header_fields_too_large"


def test_share_tokens_are_redacted_from_the_access_log(live_server, tmp_path):
    log = tmp_path / "access.log"
    server = live_server(workers=1, CHATRUN_ACCESS_LOG=log)
    headers = register(server.url, "log@example.com")
    rec = requests.post(f"{server.url}/api/v1/executions", json=run(), headers=headers,
                        timeout=10).json()
    token = requests.post(f"{server.url}/api/v1/executions/{rec['execution_id']}/shares",
                          headers=headers, timeout=10).json()["token"]
    assert requests.get(f"{server.url}/api/v1/shared/{token}", timeout=10).status_code == 200
    assert requests.get(f"{server.url}/s/{token}?from={token}", timeout=10,
                        headers={"Referer": f"{server.url}/s/{token}"}).status_code == 200
    server.stop()  # flushes the log
    text = log.read_text()
    assert token not in text and token[4:] not in text
    assert text.count("crs_[redacted]") >= 4


def test_forwarded_scheme_is_believed_only_from_configured_proxies(live_server):
    """With CHATRUN_TRUSTED_PROXIES=0 (the default) a client on 127.0.0.1 cannot claim HTTPS:
    the login page still warns that plain http off loopback drops the session cookie."""
    spoof = {"Host": "lan.example:8765", "X-Forwarded-Proto": "https", "Accept": "text/html"}
    server = live_server(workers=1)
    assert 'data-testid="needs-https"' in requests.get(f"{server.url}/login", headers=spoof,
                                                       timeout=10).text
    behind_proxy = live_server(workers=1, CHATRUN_TRUSTED_PROXIES=1)
    assert 'data-testid="needs-https"' not in requests.get(f"{behind_proxy.url}/login",
                                                           headers=spoof, timeout=10).text

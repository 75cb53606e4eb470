"""A tiny PyPI mirror on 127.0.0.1 (PEP 691 simple JSON API) serving one pure-Python wheel that
the test builds, for the trusted-package-index setting."""
from __future__ import annotations

import base64
import hashlib
import http.server
import io
import json
import threading
import zipfile

NAME, VERSION = "chatrun-demo", "1.0"
MODULE = "chatrun_demo"


def build_wheel() -> tuple[str, bytes]:
    filename = f"{MODULE}-{VERSION}-py3-none-any.whl"
    dist = f"{MODULE}-{VERSION}.dist-info"
    files = {
        f"{MODULE}.py": "def hello():\n    return 'hello from the trusted index'\n",
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: chatrun-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = "\n".join(record) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)
    return filename, buffer.getvalue()


class PackageMirror:
    def __init__(self):
        self.filename, self.wheel = build_wheel()
        self.hits: list[str] = []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                mirror.hits.append(self.path)
                if self.path.rstrip("/") == f"/simple/{NAME}":
                    body = json.dumps({
                        "meta": {"api-version": "1.0"},
                        "name": NAME,
                        "files": [{
                            "filename": mirror.filename,
                            "url": f"{mirror.base_url}/files/{mirror.filename}",
                            "hashes": {"sha256": hashlib.sha256(mirror.wheel).hexdigest()},
                        }],
                    }).encode()
                    self._send(200, body, "application/vnd.pypi.simple.v1+json")
                elif self.path == f"/files/{mirror.filename}":
                    self._send(200, mirror.wheel, "application/octet-stream")
                else:
                    self._send(404, b"not found", "text/plain")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.index_url = f"{self.base_url}/simple"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

"""A static file server for test pages on 127.0.0.1, with a hit counter for isolation tests."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


BLANK_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "blank.html"


class _Handler(http.server.SimpleHTTPRequestHandler):
    hits: list[str]

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        if self.path.startswith("/__hit"):
            # Anything user code manages to reach lands here; tests assert it stays empty.
            self.hits.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"reached")
            return
        if self.path.startswith("/c/"):
            # A conversation of a chat site: /c/<id> is the blank chat page under its own address.
            body = BLANK_PAGE.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self):
        self.do_GET()


class PageServer:
    """Serves `root` over HTTP on a free loopback port, in a thread."""

    def __init__(self, root: Path):
        self.hits: list[str] = []
        handler = type("Handler", (_Handler,), {"hits": self.hits})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def conversation(self, name: str, host: str = "127.0.0.1") -> str:
        """The address of conversation `name`; another `host` (localhost) is another site."""
        return f"http://{host}:{self.port}/c/{name}"

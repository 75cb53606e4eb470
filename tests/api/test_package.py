"""Deployable as Python services are: the built wheel, installed (not editable) into a fresh
venv and run from another directory, migrates an empty database and serves with gunicorn."""
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import requests

from .live import ROOT, LiveServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """python of a fresh venv holding only the chatrun wheel (dependencies are this venv's,
    reached through a .pth file: the test is about what the wheel carries)."""
    work = tmp_path_factory.mktemp("package")
    src = work / "src"
    src.mkdir()
    shutil.copytree(ROOT / "companion_api", src / "companion_api",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", work / "dist", src], check=True,
                   timeout=300)
    wheel, = (work / "dist").glob("chatrun-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", work / "venv"], check=True)
    python = work / "venv" / "bin" / "python"
    subprocess.run([*pip, "--python", python, "install", "--no-deps", wheel], check=True,
                   timeout=300)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def test_the_installed_wheel_migrates_and_serves_from_another_directory(installed, empty_database,
                                                                         tmp_path):
    url, _schema = empty_database
    env = {"DATABASE_URL": url, "SECRET_KEY": "package-test", "PATH": "/usr/bin:/bin"}
    where = subprocess.run([installed, "-c", "import companion_api; print(companion_api.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(installed.parents[1])), where.stdout  # not the checkout
    up = subprocess.run([installed, "-m", "flask", "--app", "companion_api", "db", "upgrade"],
                        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert up.returncode == 0, up.stderr
    with LiveServer(url, workers=1, python=installed, cwd=tmp_path) as server:
        assert requests.get(f"{server.url}/healthz", timeout=10).json()["schema"] == "ok"
        login = requests.get(f"{server.url}/login", timeout=10)  # a template from the wheel
        assert login.status_code == 200 and "csrf_token" in login.text
        css = requests.get(f"{server.url}/static/dashboard/dashboard.css", timeout=10)
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")

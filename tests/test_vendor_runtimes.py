"""scripts/vendor_runtimes.py: every runtime is copied from its pinned npm package and checked
against the pinned sha256; changed, missing and extra files, a changed source and another version
are refused. Works on temporary copies; node_modules and extension/vendor are only read."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("vendor_runtimes", ROOT / "scripts" / "vendor_runtimes.py")
vr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vr)


def vendor(tmp_path, *extra, node_modules=vr.NODE_MODULES):
    return vr.main(["--quiet", "--vendor-root", str(tmp_path / "vendor"), "--node-modules", str(node_modules), *extra])


@pytest.fixture()
def filled(tmp_path) -> Path:
    assert vendor(tmp_path) == 0
    return tmp_path / "vendor"


def test_every_runtime_is_pinned_and_copied(filled):
    lock = vr.load_lock()
    for runtime in vr.RUNTIMES:
        entry = lock[runtime.name]
        package = json.loads((vr.NODE_MODULES / runtime.package / "package.json").read_text())
        assert entry["package"] == runtime.package and entry["version"] == package["version"]
        target = filled / runtime.name
        assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == sorted(
            vr.shipped_as(runtime, f) for f in entry["files"])
    # The versions in package.json are exact pins, and the lock agrees with them.
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert {r.package: lock[r.name]["version"] for r in vr.RUNTIMES} == {r.package: wanted[r.package] for r in vr.RUNTIMES}


@pytest.mark.parametrize("damage, expected", [
    (lambda d: d.write_bytes(d.read_bytes() + b"\n;globalThis.leak = 1;\n"), "sha256"),
    (lambda d: d.unlink(), "missing file"),
    (lambda d: (d.parent / "extra.js").write_text("1"), "unexpected file"),
], ids=["changed", "missing", "extra"])
def test_the_check_refuses_a_vendor_directory_that_differs(filled, tmp_path, capsys, damage, expected):
    damage(filled / "sqljs" / "sql-wasm-browser.js")
    assert vendor(tmp_path, "--check-only") == 1
    assert expected in capsys.readouterr().err


def test_a_changed_source_is_never_copied(tmp_path, capsys):
    modules = tmp_path / "node_modules"
    shutil.copytree(vr.NODE_MODULES / "sql.js", modules / "sql.js")
    shutil.copytree(vr.NODE_MODULES / "@electric-sql" / "pglite", modules / "@electric-sql" / "pglite",
                    ignore=shutil.ignore_patterns("*.map", "contrib", "*.tar.gz"))
    wasm = modules / "sql.js" / "dist" / "sql-wasm-browser.wasm"
    wasm.write_bytes(wasm.read_bytes()[:-1] + b"\0")
    assert vendor(tmp_path, node_modules=modules) == 1
    assert "sql-wasm-browser.wasm" in capsys.readouterr().err
    assert not (tmp_path / "vendor" / "sqljs" / "sql-wasm-browser.wasm").exists()
    # Another version than the pinned one is refused too.
    wasm.write_bytes((vr.NODE_MODULES / "sql.js" / "dist" / "sql-wasm-browser.wasm").read_bytes())
    manifest = modules / "sql.js" / "package.json"
    manifest.write_text(manifest.read_text().replace('"version": "1.17.0"', '"version": "1.17.1"'))
    assert vendor(tmp_path, node_modules=modules) == 1
    assert "1.17.1 is installed, 1.17.0 is pinned" in capsys.readouterr().err


def test_pin_records_what_is_installed(tmp_path):
    lock = tmp_path / "lock.json"
    assert vr.main(["--quiet", "--pin", "sqljs", "--check-only", "--lock", str(lock),
                    "--vendor-root", str(vr.VENDOR_ROOT)]) == 1  # pglite is not pinned in the new lock
    assert json.loads(lock.read_text())["sqljs"] == vr.load_lock()["sqljs"]

"""scripts/vendor_pyodide.py: the sha256 check accepts the real set and rejects tampered, missing and
extra files. Works on temporary copies; the real extension/vendor/pyodide is only read."""
from __future__ import annotations

import importlib.util
import shutil
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("vendor_pyodide", ROOT / "scripts" / "vendor_pyodide.py")
vp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vp)


@pytest.fixture(scope="module")
def real_vendor() -> Path:
    assert vp.main(["--quiet"]) == 0, "vendoring the real set failed"
    return vp.VENDOR_DIR


@pytest.fixture()
def copy(real_vendor, tmp_path) -> Path:
    dest = tmp_path / "pyodide"
    shutil.copytree(real_vendor, dest)
    return dest


def run_check_only(vendor_dir: Path, capsys) -> tuple[int, str]:
    rc = vp.main(["--check-only", "--quiet", "--vendor-dir", str(vendor_dir)])
    return rc, capsys.readouterr().err


def test_real_set_passes(real_vendor, capsys):
    sizes = vp.check(real_vendor)
    lock = vp.load_official_lock()
    names = vp.package_closure(lock)
    assert {"numpy", "pandas", "matplotlib", "micropip", "python-dateutil", "pytz", "pillow"} <= set(names)
    assert "scipy" not in names
    assert set(sizes) == set(vp.expected_files(lock, names))
    rc, err = run_check_only(real_vendor, capsys)
    assert rc == 0, err


def test_tampered_package_file_is_rejected(copy, capsys):
    target = copy / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(vp.VendorError, match="numpy-2.0.2-cp312"):
        vp.check(copy)
    rc, err = run_check_only(copy, capsys)
    assert rc != 0 and "numpy-2.0.2-cp312" in err and "sha256" in err


def test_tampered_core_file_is_rejected(copy, capsys):
    with open(copy / "pyodide.asm.js", "a") as f:
        f.write("\n;globalThis.leak = 1;\n")
    rc, err = run_check_only(copy, capsys)
    assert rc != 0 and "pyodide.asm.js" in err


def test_edited_lock_is_rejected(copy, capsys):
    lock = copy / "pyodide-lock.json"
    lock.write_text(lock.read_text().replace('"numpy"', '"numpy "', 1))
    rc, err = run_check_only(copy, capsys)
    assert rc != 0 and "pyodide-lock.json" in err


def test_missing_file_is_rejected(copy, capsys):
    (copy / "pandas-2.2.3-cp312-cp312-pyodide_2024_0_wasm32.whl").unlink()
    rc, err = run_check_only(copy, capsys)
    assert rc != 0 and "missing file" in err and "pandas-2.2.3" in err


def test_extra_file_is_rejected(copy, capsys):
    (copy / "evil.js").write_text("fetch('https://example.com')")
    rc, err = run_check_only(copy, capsys)
    assert rc != 0 and "evil.js" in err


def test_fill_restores_missing_but_never_overwrites_a_bad_file(copy, capsys):
    six = next(copy.glob("six-*.whl"))
    six.unlink()
    assert vp.main(["--quiet", "--vendor-dir", str(copy)]) == 0
    assert six.is_file()
    (copy / "pytz-2024.1-py2.py3-none-any.whl").write_bytes(b"not a wheel")
    assert vp.main(["--quiet", "--vendor-dir", str(copy)]) != 0
    assert "pytz-2024.1" in capsys.readouterr().err


def _archive(src: Path, dest: Path, tamper: str | None = None) -> Path:
    """A release-archive look-alike (pyodide/<file>, official lock) built from checked files."""
    stage = dest.parent / "stage" / "pyodide"
    shutil.copytree(src, stage)
    shutil.copy(ROOT / "node_modules" / "pyodide" / "pyodide-lock.json", stage / "pyodide-lock.json")
    if tamper:
        with open(stage / tamper, "ab") as f:
            f.write(b"x")
    with tarfile.open(dest, "w") as tar:
        tar.add(stage, arcname="pyodide")
    return dest


def test_from_archive_fills_and_checks(real_vendor, tmp_path, capsys):
    archive = _archive(real_vendor, tmp_path / "pyodide-0.27.7.tar")
    out = tmp_path / "out"
    assert vp.main(["--quiet", "--from-archive", str(archive), "--vendor-dir", str(out)]) == 0
    assert vp.check(out)
    bad = _archive(real_vendor, tmp_path / "bad" / "pyodide-0.27.7.tar", tamper="pillow-10.2.0-cp312-cp312-pyodide_2024_0_wasm32.whl")
    out2 = tmp_path / "out2"
    assert vp.main(["--quiet", "--from-archive", str(bad), "--vendor-dir", str(out2)]) != 0
    assert "pillow-10.2.0" in capsys.readouterr().err

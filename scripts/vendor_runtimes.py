#!/usr/bin/env python3
"""Copy the runtimes Chatrun ships (besides Pyodide) from installed npm packages into
extension/vendor/<name>/, and check every file against the sha256 pinned for it.

A runtime is one line of RUNTIMES below: a vendor directory name, an npm package (its exact
version pinned in package.json / package-lock.json) and the files to take from it (glob patterns
inside the package; each lands in extension/vendor/<name>/ under its base name, or, when the line
names a `root` folder of the package, under its path below that folder). The package version and
the sha256 of every file are pinned in scripts/vendor_runtimes.lock.json.

Every invocation checks, for each runtime:
  * the installed package is the pinned version, and its files matching the patterns are exactly
    the pinned files, each with its pinned sha256 (a source that does not match is never copied);
  * extension/vendor/<name>/ holds exactly those files (copied when missing), each with its sha256.
A mismatch, a missing file or an unexpected file makes the script exit non-zero naming the file.

Adding or upgrading a runtime: add or edit its line, `npm install --save-exact <package>@<version>`,
then `scripts/vendor_runtimes.py --pin <name>` records the version and hashes of what is installed
(review the diff of the lock file: it is the trust decision).

Usage: .venv/bin/python scripts/vendor_runtimes.py [--pin NAME] [--check-only] [--force] [--quiet]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR_ROOT = ROOT / "extension" / "vendor"
LOCK_PATH = Path(__file__).with_name("vendor_runtimes.lock.json")


class Runtime(NamedTuple):
    name: str  # extension/vendor/<name>/
    package: str  # npm package in node_modules
    files: tuple[str, ...]  # glob patterns inside the package
    root: str | None = None  # files keep their path below this package folder (else: base names)


RUNTIMES = (
    Runtime("sqljs", "sql.js", ("dist/sql-wasm-browser.js", "dist/sql-wasm-browser.wasm")),
    Runtime("pglite", "@electric-sql/pglite", ("dist/index.js", "dist/chunk-*.js", "dist/pglite.wasm", "dist/pglite.data", "dist/initdb.wasm")),
    # R and base R's packages (what R.wasm embeds, and the file images webR mounts: the graphics
    # devices' libraries and fonts, parallel, R's share/ with the time zones), not help or docs.
    Runtime("webr", "webr", ("dist/R.js", "dist/R.wasm", "dist/webr-worker.js", "dist/webr.js", "dist/libRblas.so",
                             "dist/libRlapack.so", "dist/vfs/etc/fonts/fonts.conf", "dist/vfs/usr/share/fonts/*.ttf",
                             "dist/vfs/var/cache/fontconfig/*", "dist/vfs/usr/lib/R/share.*",
                             "dist/vfs/usr/lib/R/library/parallel.*", "dist/vfs/usr/lib/R/library/translations/DESCRIPTION",
                             "dist/vfs/usr/lib/R/library/grDevices/[aefl]*.*"), root="dist"),
)


class VendorError(Exception):
    """A missing, changed or unexpected file, or a package that is not the pinned one."""


def shipped_as(runtime: Runtime, rel: str) -> str:
    """Where a package file lands inside extension/vendor/<name>/."""
    return Path(rel).relative_to(runtime.root).as_posix() if runtime.root else Path(rel).name


def sha256_of(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def load_lock(path: Path = LOCK_PATH) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def installed(runtime: Runtime, node_modules: Path) -> tuple[str, dict[str, Path]]:
    """The installed package's version and its files matching the patterns: {path in package: file}."""
    package_dir = node_modules / runtime.package
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise VendorError(f"{package_dir} is missing: run `npm ci` (package.json pins {runtime.package})")
    version = json.loads(manifest.read_text())["version"]
    files = {}
    for pattern in runtime.files:
        matches = sorted(p for p in package_dir.glob(pattern) if p.is_file())
        if not matches:
            raise VendorError(f"{runtime.package}: no file matches {pattern}")
        files.update({p.relative_to(package_dir).as_posix(): p for p in matches})
    names = [shipped_as(runtime, f) for f in files]
    if len(set(names)) != len(names):
        raise VendorError(f"{runtime.name}: two files have the same base name in {sorted(files)}")
    return version, files


def pinned(runtime: Runtime, lock: dict) -> dict:
    entry = lock.get(runtime.name)
    if not entry or entry.get("package") != runtime.package:
        raise VendorError(f"{runtime.name}: not pinned in {LOCK_PATH.name} (run with --pin {runtime.name})")
    return entry


def fill(runtime: Runtime, lock: dict, node_modules: Path, vendor_root: Path) -> int:
    """Copy the runtime's missing files; every source file is checked before anything is written."""
    entry = pinned(runtime, lock)
    version, files = installed(runtime, node_modules)
    if version != entry["version"]:
        raise VendorError(f"{runtime.package} {version} is installed, {entry['version']} is pinned: run `npm ci`")
    if set(files) != set(entry["files"]):
        raise VendorError(f"{runtime.package}: the files matching {list(runtime.files)} are {sorted(files)}, "
                          f"the pinned ones {sorted(entry['files'])}")
    for rel, path in files.items():
        if sha256_of(path) != entry["files"][rel]:
            raise VendorError(f"{path}: sha256 {sha256_of(path)} != pinned {entry['files'][rel]}; not copied")
    target = vendor_root / runtime.name
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for rel, path in files.items():
        dest = target / shipped_as(runtime, rel)
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, dest)
        copied += 1
    return copied


def check(runtime: Runtime, lock: dict, vendor_root: Path) -> int:
    """Check extension/vendor/<name>/ against the pins; returns its size in bytes."""
    entry = pinned(runtime, lock)
    target = vendor_root / runtime.name
    expected = {shipped_as(runtime, rel): digest for rel, digest in entry["files"].items()}
    present = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} if target.is_dir() else set()
    problems = [f"unexpected file {target / n} (not part of the pinned set)" for n in sorted(present - set(expected))]
    size = 0
    for name, digest in sorted(expected.items()):
        path = target / name
        if not path.is_file():
            problems.append(f"missing file {path}")
            continue
        got = sha256_of(path)
        if got != digest:
            problems.append(f"{path}: sha256 {got} != pinned {digest}")
        size += path.stat().st_size
    if problems:
        raise VendorError(f"{runtime.name} vendor check FAILED:\n  " + "\n  ".join(problems))
    return size


def pin(runtime: Runtime, lock: dict, node_modules: Path) -> dict:
    """The lock with this runtime's entry taken from what is installed now."""
    version, files = installed(runtime, node_modules)
    entry = {"package": runtime.package, "version": version,
             "files": {rel: sha256_of(path) for rel, path in sorted(files.items())}}
    return {**lock, runtime.name: entry}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pin", metavar="NAME", help="record the installed version and hashes of a runtime")
    ap.add_argument("--check-only", action="store_true", help="only check what is in extension/vendor/")
    ap.add_argument("--force", action="store_true", help="delete the runtimes' vendor directories and fill them again")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--vendor-root", type=Path, default=VENDOR_ROOT, help=argparse.SUPPRESS)
    ap.add_argument("--node-modules", type=Path, default=NODE_MODULES, help=argparse.SUPPRESS)
    ap.add_argument("--lock", type=Path, default=LOCK_PATH, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    say = (lambda *a: None) if args.quiet else (lambda *a: print("[vendor_runtimes]", *a))
    lock = load_lock(args.lock)
    try:
        if args.pin:
            runtime = next((r for r in RUNTIMES if r.name == args.pin), None)
            if runtime is None:
                raise VendorError(f"no runtime named {args.pin} in RUNTIMES")
            lock = pin(runtime, lock, args.node_modules)
            args.lock.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
            say(f"pinned {runtime.package} {lock[runtime.name]['version']} in {args.lock.name}")
        for runtime in RUNTIMES:
            if args.force and (args.vendor_root / runtime.name).exists():
                shutil.rmtree(args.vendor_root / runtime.name)
            if not args.check_only:
                copied = fill(runtime, lock, args.node_modules, args.vendor_root)
                if copied:
                    say(f"copied {copied} file(s) into extension/vendor/{runtime.name}/")
            size = check(runtime, lock, args.vendor_root)
            say(f"{runtime.name}: {runtime.package} {lock[runtime.name]['version']}, "
                f"{len(lock[runtime.name]['files'])} files, {size / 1e6:.1f} MB, all match the pinned sha256")
    except (VendorError, OSError, ValueError) as e:
        print(f"[vendor_runtimes] ERROR: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

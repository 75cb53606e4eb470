#!/usr/bin/env python3
"""Copy the dashboard's browser libraries from node_modules into companion_api/static/vendor/.

Run by scripts/setup after `npm ci` (versions are pinned in package.json / package-lock.json).
The copies are gitignored: the dashboard serves them as static files, never from a CDN.
"""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "companion_api" / "static" / "vendor"
# node_modules path -> name under static/vendor/
FILES = {
    "chart.js/dist/chart.umd.js": "chart.umd.js",
}


def main():
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in FILES.items():
        src = ROOT / "node_modules" / source
        if not src.is_file():
            sys.exit(f"vendor_static: {src} is missing (run npm ci first)")
        dest = VENDOR / name
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)
            print(f"vendor_static: {source} -> {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

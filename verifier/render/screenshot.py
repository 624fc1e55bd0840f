"""Render a page (e.g. overview.html) to PNG with headless Chromium, to look at it.

    python -m verifier.render.screenshot verify-out/overview.html overview.png [WIDTHxHEIGHT]

Chromium runs only on pages this tool wrote (student text in them is escaped), with no
network: background networking off and a fresh profile in a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(page: Path, png: Path, size: str = "1600x1000") -> Path:
    browser = find_browser()
    if browser is None:
        raise RuntimeError("no Chromium found (Debian: apt-get install chromium)")
    width, _, height = size.partition("x")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png.resolve()}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return png


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    png = screenshot(Path(sys.argv[1]), Path(sys.argv[2]), *(sys.argv[3:4] or []))
    print(png)


if __name__ == "__main__":
    main()

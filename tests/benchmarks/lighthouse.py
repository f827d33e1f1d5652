"""Lighthouse (npm, pinned in package.json) on a signed-in page, at its default mobile profile
(a mid-range phone on a slow 4G connection, simulated)."""

import json
import os
import subprocess
from pathlib import Path

from tests.load.harness import ROOT

BINARY = ROOT / "build" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


def version() -> str:
    package = BINARY.parent.parent / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]


def scores(url: str, cookie: str, folder: Path) -> tuple[int, int]:
    """Performance and accessibility scores, 0 to 100."""
    report = folder / "lighthouse.json"
    subprocess.run(
        [str(BINARY), url, "--quiet", "--output=json", f"--output-path={report}",
         "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}",
         "--extra-headers", json.dumps({"Cookie": cookie})],
        check=True, capture_output=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        timeout=300)
    categories = json.loads(report.read_text())["categories"]
    if json.loads(report.read_text())["finalDisplayedUrl"].split("?")[0] != url:
        raise RuntimeError(f"Lighthouse was sent elsewhere than {url}")
    return (round(categories["performance"]["score"] * 100),
            round(categories["accessibility"]["score"] * 100))

"""Screenshots of rendered HTML in a real headless Chromium, kept in test-artifacts/ to be looked at."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html: str, name: str, tmp_path: Path) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", f"--user-data-dir={tmp_path / 'chromium'}", f"--screenshot={shot}",
                    "--window-size=1000,1400", page.as_uri()],
                   capture_output=True, timeout=60, check=False)
    assert shot.is_file() and shot.stat().st_size > 10_000, "Chromium did not write a screenshot"
    return shot

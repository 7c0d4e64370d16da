"""Helpers for the end-to-end browser tests (tests/test_browser.py).

Starts ``streamlit run dashboard.py`` on a free port with ``PRESS_STORE`` set,
launches Debian's Chromium through Playwright (never a downloaded browser),
and waits for Streamlit to finish a run before a test asserts anything.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PORTS = range(8600, 8700)
SHOWING = re.compile(r"Showing (\d+) of (\d+) articles?")
SCREENSHOT_MAX_BYTES = 300_000


# Chromium -----------------------------------------------------------------------

def require_chromium() -> None:
    """Skip when Debian's Chromium is missing, but fail under CI (CI=true) so CI cannot pass without it."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


# The app server -----------------------------------------------------------------

def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        # Streamlit also listens on IPv6 (::); make sure that side is free too.
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe6:
                probe6.bind(("::", port))
        except OSError:
            continue
        return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class App:
    """A running ``streamlit run dashboard.py`` in its own process group."""

    def __init__(self, store: Path, log_path: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = dict(os.environ, PRESS_STORE=str(store), PYTHONUNBUFFERED="1")
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             # no file watcher: an edit elsewhere in the checkout must not pop a "File change" prompt mid-test
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"streamlit not healthy after {timeout:.0f}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


# Waiting for Streamlit ----------------------------------------------------------

_BUSY_JS = """() => !!document.querySelector('[data-testid="stStatusWidget"]')
    || !!document.querySelector('[data-stale="true"]')"""


def settle(page, quiet_ms: int = 700, timeout: float = 60.0) -> None:
    """Wait for the app, a heading, and for Streamlit to stay idle (no status widget, nothing stale) for ``quiet_ms``."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        if page.evaluate(_BUSY_JS):
            quiet_since = None
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout * 1000)
        else:
            quiet_since = quiet_since or time.monotonic()
            if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
        page.wait_for_timeout(100)
    raise AssertionError(f"Streamlit still running after {timeout:.0f}s")


def wait_drawn(page, timeout: float = 30.0) -> None:
    """Wait until lazily loaded elements (charts, tables, page links) replaced their grey skeletons."""
    page.wait_for_function("""() => !document.querySelector('[data-testid="stSkeleton"]')""", timeout=timeout * 1000)


def showing(page) -> tuple[int, int]:
    """The page header's "Showing N of M articles" as (N, M)."""
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]', has_text=SHOWING).first
    match = SHOWING.search(caption.inner_text())
    assert match, "no 'Showing N of M articles' caption"
    return int(match.group(1)), int(match.group(2))


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


# Screenshots --------------------------------------------------------------------

def save_screenshot(page, path: Path, width: int = 1000) -> int:
    """A viewport screenshot, downscaled and palette-compressed with Pillow; returns its size in bytes."""
    from PIL import Image

    png = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path.stat().st_size

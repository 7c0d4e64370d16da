"""Many people at once: concurrent browser sessions on one dashboard (loopback only).

Each session is a page of one headless Chromium (Playwright's async API), with its own Streamlit
session. For ``seconds`` it goes round the pages through the sidebar and flips the "Include
undated articles" filter, waiting after each action until Streamlit is idle again. Reported:

- errors: exception boxes shown, pages that failed to load or settle (goal: none);
- page runs: the time from an action to an idle page, median and 95th percentile;
- memory: the server's RSS with one session, then with all of them, and the growth per extra
  session (what a session costs when the corpus tables are shared, not copied per session).

Usage: ``python -m bench.load [--sessions 20] [--seconds 120] [--store DIR]`` (default: the seed
corpus, built once). The numbers are appended to ``bench/HISTORY.md`` with ``--append-results``.
A 4-session version runs in the test suite (``tests/test_load.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import HISTORY

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]') && !!document.querySelector('[data-testid="stMain"] h1')
    && !document.querySelector('[data-testid="stSkeleton"]')"""
"""Streamlit idle: no run in progress, nothing stale, a heading, and every element drawn (a widget's
code loads lazily: until it does, the browser shows a grey placeholder)."""
MAX_SESSIONS = 40
MAX_SECONDS = 600


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store: Path, port: int, log_path: Path) -> subprocess.Popen:
    """``streamlit run dashboard.py`` on loopback, in its own process group (see :func:`stop_server`)."""
    env = dict(os.environ, PRESS_STORE=str(store), PYTHONUNBUFFERED="1")
    log = open(log_path, "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


async def _settle(page, timeout_ms: int) -> None:
    await page.wait_for_timeout(150)  # the rerun's first message
    await page.wait_for_function(IDLE_JS, timeout=timeout_ms)


async def _session(browser, url: str, deadline: float, record: dict, ready: asyncio.Event, loaded: list) -> None:
    context = await browser.new_context(viewport={"width": 1300, "height": 1600})
    page = await context.new_page()
    page.on("pageerror", lambda error: record["errors"].append(f"page error: {str(error)[:160]}"))
    try:
        await page.goto(url, wait_until="domcontentloaded")
        await _settle(page, 120_000)
        loaded.append(1)
        await ready.wait()  # every session loaded: now measure together
        step = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            if step % 2 == 0:
                links = page.locator('[data-testid="stSidebarNav"] a')
                await links.nth((step // 2) % await links.count()).click()
            else:
                await page.locator('[data-testid="stSidebar"]').get_by_text("Include undated articles").click()
            try:
                await _settle(page, 60_000)
            except Exception as error:  # noqa: BLE001 - a timeout is a result here
                record["errors"].append(f"did not settle: {type(error).__name__}")
                continue
            record["runs"].append(time.monotonic() - started)
            shown = await page.locator('[data-testid="stException"]').count()
            if shown:
                record["errors"].append(f"{shown} exception box(es) after step {step}")
            step += 1
    except Exception as error:  # noqa: BLE001 - reported, not raised: the other sessions go on
        record["errors"].append(f"session failed: {type(error).__name__}: {str(error).splitlines()[0][:160]}")
        if os.environ.get("LOAD_DEBUG_DIR"):
            with contextlib.suppress(Exception):
                await page.screenshot(path=f"{os.environ['LOAD_DEBUG_DIR']}/failed-{id(page)}.png", full_page=True)
    finally:
        await context.close()


async def _load(url: str, server_pid: int, sessions: int, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    record: dict = {"errors": [], "runs": []}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tasks: list[asyncio.Task] = []
        try:
            ready, loaded = asyncio.Event(), []
            forever = time.monotonic() + 10**6  # the sessions run until cancelled at the end
            tasks.append(asyncio.create_task(_session(browser, url, forever, record, ready, loaded)))
            while not loaded and not tasks[0].done():
                await asyncio.sleep(0.2)
            record["rss_one_mb"] = rss_mb(server_pid)
            tasks += [asyncio.create_task(_session(browser, url, forever, record, ready, loaded)) for _ in range(sessions - 1)]
            load_by = time.monotonic() + 240
            while len(loaded) < sessions and time.monotonic() < load_by and not all(t.done() for t in tasks):
                await asyncio.sleep(0.2)
            record["sessions_loaded"] = len(loaded)
            record["rss_all_mb"] = rss_mb(server_pid)
            ready.set()
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await asyncio.sleep(0.5)
                record["rss_peak_mb"] = max(record.get("rss_peak_mb", 0), rss_mb(server_pid))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await browser.close()
    return record


def run_load(url: str, server_pid: int, sessions: int, seconds: float) -> dict:
    """Drive ``sessions`` browser sessions against a running dashboard for ``seconds``; the figures."""
    sessions = max(1, min(int(sessions), MAX_SESSIONS))
    seconds = max(5.0, min(float(seconds), MAX_SECONDS))
    record = asyncio.run(_load(url, server_pid, sessions, seconds))
    runs = sorted(record["runs"])
    figures = {
        "sessions": sessions, "seconds": seconds, "sessions_loaded": record["sessions_loaded"],
        "actions": len(runs), "errors": record["errors"],
        "median_run_s": statistics.median(runs) if runs else None,
        "p95_run_s": runs[min(len(runs) - 1, int(0.95 * len(runs)))] if runs else None,
        "rss_one_mb": record["rss_one_mb"], "rss_all_mb": record["rss_all_mb"], "rss_peak_mb": record.get("rss_peak_mb"),
    }
    figures["rss_per_extra_session_mb"] = (figures["rss_all_mb"] - figures["rss_one_mb"]) / max(1, sessions - 1)
    return figures


def _seed_store(work: Path) -> Path:
    from core.ingest import ingest
    from core.store import Store

    store = work / "seed-store"
    if not (store / "manifest.json").exists():
        ingest([str(ROOT / "seeds")], Store(store))
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--store", type=Path, help="a store folder (default: the seed corpus)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/press-bench"))
    parser.add_argument("--append-results", action="store_true")
    arguments = parser.parse_args(argv)
    arguments.work.mkdir(parents=True, exist_ok=True)
    store = arguments.store or _seed_store(arguments.work)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(store, port, arguments.work / "load-streamlit.log")
    try:
        wait_healthy(url, server)
        figures = run_load(url, server.pid, arguments.sessions, arguments.seconds)
    finally:
        stop_server(server)
    lines = [
        f"| sessions | {figures['sessions']} ({figures['sessions_loaded']} loaded), {figures['seconds']:.0f} s |",
        f"| actions (page switches and filter changes) | {figures['actions']} |",
        f"| errors | {len(figures['errors'])}" + (f": {'; '.join(figures['errors'][:5])}" if figures["errors"] else "") + " |",
        f"| page run, median / 95th percentile | {figures['median_run_s']:.2f} s / {figures['p95_run_s']:.2f} s |"
        if figures["actions"] else "| page run | no action completed |",
        f"| server RSS, 1 session / all / peak | {figures['rss_one_mb']:.0f} / {figures['rss_all_mb']:.0f} / "
        f"{figures['rss_peak_mb'] or 0:.0f} MB |",
        f"| RSS growth per extra session | {figures['rss_per_extra_session_mb']:.1f} MB |",
    ]
    print("| measure | value |\n|---|---|\n" + "\n".join(lines))
    if arguments.append_results:
        from bench.run import machine_description

        with open(HISTORY, "a", encoding="utf-8") as handle:
            handle.write(f"\n## `python -m bench.load --sessions {arguments.sessions} --seconds {arguments.seconds:.0f}`, "
                         f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n\n{machine_description()}\n\n"
                         f"Store: {store}\n\n| measure | value |\n|---|---|\n" + "\n".join(lines) + "\n")
    return 0 if not figures["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""The README's set-up commands are the ones CI runs, and the lock files hold the whole set."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup, re.DOTALL)


def test_readme_gives_two_setup_commands_that_ci_runs_as_written():
    install_and_run, install_and_test = _readme_commands()
    assert install_and_run.startswith("python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()
    assert "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt" in ci
    assert "--upgrade pip" not in ci  # a new user has the pip python3 ships


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_lock_files_pin_every_direct_requirement_at_its_version():
    runtime, dev = _pins(ROOT / "requirements.txt"), _pins(ROOT / "requirements-dev.txt")
    for source, lock in (("requirements.in", runtime), ("requirements-dev.in", dev)):
        for name, version in _pins(ROOT / source).items():
            assert lock.get(name) == version, f"{name} in {source}"
    # transitive dependencies are pinned too: what an old pip skips (jusText's lxml[html_clean] extra)
    assert "lxml-html-clean" in runtime
    assert runtime.items() <= dev.items()

"""What Streamlit Community Cloud does, in an environment holding only requirements.txt.

Run by .ci/run with that environment's Python: the app starts with no
configuration (so it builds the seed store itself, as on a first deployment)
and every page renders without an exception. Exits non-zero otherwise.
Not collected by pytest (it needs its own environment).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home  # no user-level Streamlit config, as on a fresh deployment
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
        failures = []
        pages = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app_pages").glob("*.py"))
        for page in pages:
            app.switch_page(page).run(timeout=120)
            if app.exception:
                failures.append(f"{page}: {[e.message for e in app.exception]}")
            elif not app.markdown and not app.title and not app.header:
                failures.append(f"{page}: rendered nothing")
            else:
                print(f"ok: {page}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Worker processes: the server they are forked from, and what keeps them from outliving their parent.

The NLP workers (:class:`core.nlp.Analyser`) and the cluster's local workers
(:mod:`core.cluster`) start here. Starting a process by "forkserver" or
"spawn" runs the parent's main script again, which Streamlit's must not:
:func:`without_main_script` hides it while they start.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

PRELOAD_MODULE = "core.nlp_preload"
"""What the workers' server imports before it forks them: the pipeline, loaded once (Linux)."""
_MAIN_SWAP = threading.RLock()


def die_with(parent: int) -> None:
    """End this process as soon as process ``parent`` ends, however it ended.

    A worker's parent is the forkserver, not the ingest that uses it, and the
    pool's pipes stay open in the worker itself, so a killed ingest (SIGKILL
    runs no cleanup) would leave its workers waiting forever, and with them
    the forkserver (which lives while any worker does), about 1.5 GB in all.
    A thread waits on the parent's pidfd (Linux), or checks every second
    where there is none, and exits the process when the parent is gone.
    """
    try:
        handle = os.pidfd_open(parent)
    except (AttributeError, OSError):
        handle = None

    def watch() -> None:
        if handle is not None:
            import select

            select.select([handle], [], [])  # readable once the process has ended
        else:
            import time

            while _alive(parent):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_worker_server() -> bool:
    """Start the process that worker processes are forked from, if this system has one.

    On Linux the server loads the pipeline once (``core.nlp_preload``), while
    this process goes on (reads the first files), and each worker is forked
    with it. Elsewhere on POSIX it preloads nothing: macOS's system libraries
    are not safe to use in a child forked after they started. Starting does not
    wait, and a running server is kept (with what it loaded), so a caller may
    start it early, before its own slow imports. False where workers are
    spawned afresh (Windows).
    """
    if os.name != "posix":
        return False
    import multiprocessing
    import sys
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(
        [PRELOAD_MODULE] if sys.platform.startswith("linux") else [])
    # The server imports the preload from its own sys.path (Python 3.11 does not pass this
    # process's on): put the folder holding ``core`` on the PYTHONPATH it inherits.
    saved = os.environ.get("PYTHONPATH")
    project = str(Path(__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join([project, saved] if saved else [project])
    try:
        with without_main_script():
            forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return True


@contextlib.contextmanager
def without_main_script():
    """Hide the ``__main__`` module while worker processes start.

    A process started by "forkserver" or "spawn" first runs its parent's main
    script again, as ``__mp_main__``. The workers need only this module, and
    the main script may be one that must not run twice: Streamlit runs
    ``dashboard.py`` as ``__main__`` (so does ``AppTest``, and leaves it there).
    """
    import sys
    import types

    with _MAIN_SWAP:  # one swap at a time, so the real module is always the one put back
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main

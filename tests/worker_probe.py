"""Run inside NLP worker processes by test_nlp: where did this worker's pipeline come from?"""

from __future__ import annotations


def where_the_pipeline_was_loaded() -> tuple[int, int, int]:
    """This worker's pid, its parent's, and the pid of the process that loaded its pipeline."""
    import os

    from core.nlp import _worker_state

    return os.getpid(), os.getppid(), _worker_state["loaded_in"]

"""Benchmarks (issue 6, issue 17): measurements, not tests.

``RESULTS.md`` holds the current figures, one table per measure, written by hand from the runs;
every run's own output is appended to ``HISTORY.md``, the running log.
"""

from pathlib import Path

HISTORY = Path(__file__).parent / "HISTORY.md"
"""The running log that every benchmark run with its append option adds to."""

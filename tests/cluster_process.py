"""A dask scheduler or worker for test_cluster that ends with the test run, however that ends.

``python tests/cluster_process.py PARENT_PID distributed.cli.dask_scheduler ARGS...`` runs the
command-line module as ``python -m`` would, after :func:`core.processes.die_with` made it exit when process
PARENT_PID does (a killed pytest runs no clean-up).
"""

from __future__ import annotations

import runpy
import sys

if __name__ == "__main__":
    from core.processes import die_with

    parent, module, *arguments = sys.argv[1:]
    die_with(int(parent))
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)

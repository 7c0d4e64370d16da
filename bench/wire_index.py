"""Time and memory of the candidate index for wire copies: datasketch's against ``core.wire``'s.

Every contender gets the same random MinHash signatures (no copies among them, so
the figures are the index's own cost, what every corpus pays) and runs in a
fresh process, whose peak RSS is reported:

- ``sorted bands``: ``core.wire.candidate_pairs`` (what ``wire_groups`` uses);
- ``datasketch MinHashLSH``: the same 64 bands of 2 values, inserted then queried;
- ``datasketch MinHashLSHEnsemble``: the containment index, threshold 0.30 (slow:
  skipped above 10,000 unless ``--ensemble``).

Usage: ``python -m bench.wire_index [--sizes 10000 100000] [--ensemble]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
from core.wire import LSH_BANDS, NUM_PERM, SCHEME, SEED, candidate_pairs
kind, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
matrix = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64).astype(np.uint32)
sizes = rng.integers(100, 2000, n)
started = time.perf_counter()
if kind == "sorted bands":
    found = len(candidate_pairs(matrix)[0])
else:
    from datasketch import LeanMinHash, MinHashLSH, MinHashLSHEnsemble
    hashes = [LeanMinHash(seed=SEED, hashvalues=row.astype(np.uint64), scheme=SCHEME) for row in matrix]
    if kind == "datasketch MinHashLSH":
        index = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
        with index.insertion_session() as session:
            for i, h in enumerate(hashes):
                session.insert(i, h, check_duplication=False)
        found = sum(len(index.query(h)) - 1 for h in hashes) // 2
    else:
        index = MinHashLSHEnsemble(threshold=0.30, num_perm=NUM_PERM, num_part=16)
        index.index((i, h, int(s)) for i, (h, s) in enumerate(zip(hashes, sizes)))
        found = sum(len(set(index.query(h, int(s))) - {i}) for i, (h, s) in enumerate(zip(hashes, sizes)))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "candidates": found}))
"""


def run(kind: str, n: int) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, kind, str(n)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wire_index")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--ensemble", action="store_true", help="also run MinHashLSHEnsemble above 10,000")
    arguments = parser.parse_args(argv)
    print("| index | articles | seconds | peak RSS of the process | candidate pairs |")
    print("|---|---|---|---|---|")
    for n in arguments.sizes:
        for kind in ("sorted bands", "datasketch MinHashLSH", "datasketch MinHashLSHEnsemble"):
            if kind.endswith("Ensemble") and n > 10_000 and not arguments.ensemble:
                continue
            figures = run(kind, n)
            print(f"| {kind} | {n:,} | {figures['seconds']:.1f} | {figures['peak_mb']:.0f} MB | {figures['candidates']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The throughput benchmark's reference runs, each timed as a fresh process by ``bench.run``.

``python -m bench.plain_nlp MODE TEXTS.json [PART]``, where MODE is

- ``plain``: ``nlp.pipe`` over the texts with the ingest's pipeline and batch
  size, in this process (with PART 0 or 1, over every other text from that one);
- ``plain2``: the same with spaCy's own ``n_process=2``;
- ``halves``: two ``plain`` processes side by side, one per PART: two
  independent processes that share nothing, the most this machine gives two
  workers;
- ``analyser``: ``core.nlp.Analyser(1)``, NLP and our extraction in a worker
  process, nothing stored.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main(mode: str, source: str, part: str | None = None) -> int:
    if mode == "halves":
        children = [subprocess.Popen([sys.executable, "-m", "bench.plain_nlp", "plain", source, str(half)]) for half in (0, 1)]
        return max(child.wait() for child in children)
    from core.nlp import BATCH_SIZE, Analyser, load_pipeline

    with open(source, encoding="utf-8") as handle:
        texts = json.load(handle)
    if part is not None:
        texts = texts[int(part)::2]
    if mode == "analyser":
        with Analyser(1) as analyser:
            for _ in analyser.analyse([(str(i), text) for i, text in enumerate(texts)]):
                pass
        return 0
    nlp = load_pipeline()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=2 if mode == "plain2" else 1):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

"""Where the ingest's time goes beyond plain ``nlp.pipe``: a pyinstrument profile plus a stage split.

``python -m bench.profile_ingest [N] [--html OUT.html]`` generates (or reuses) an N-article corpus
(default 200), then times, in this process with the model already loaded:

- ``prepare``: reading and ``prepare_article`` (cleaning, dates, language) of every file;
- ``nlp.pipe``: the pipeline alone over the cleaned texts;
- ``analyse_doc``: our per-article extraction over the same Docs (sentences, mentions, lemmas, sanctions);
- ``minhash``: ``signature`` (MinHash and shingle count) of every text;
- ``ingest 1w``: the whole ``core.ingest.ingest`` into a fresh store, under pyinstrument.

Prints the split and pyinstrument's text report (functions above 1 % of the time).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import generate as gen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_ingest")
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "press-bench")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    arguments = parser.parse_args(argv)

    from pyinstrument import Profiler

    from core.ingest import ingest, iter_documents, prepare_article
    from core.nlp import BATCH_SIZE, SanctionsMatcher, analyse_doc, load_pipeline
    from core.records import ANALYSED, RawDocument
    from core.store import Store
    from core.wire import signature

    path = arguments.work / f"c{arguments.n}-txt"
    gen.write_corpus(arguments.n, path, "txt")
    nlp = load_pipeline()
    matcher = SanctionsMatcher(nlp)
    split: dict[str, float] = {}

    start = time.perf_counter()
    _, documents = iter_documents([str(path)])
    articles = [prepare_article(item, "1970-01-01T00:00:00+00:00") for _, item in documents if isinstance(item, RawDocument)]
    split["read + prepare_article"] = time.perf_counter() - start
    texts = [a.text for a in articles if a.status == ANALYSED]

    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
    split["nlp.pipe (kept Docs)"] = time.perf_counter() - start
    start = time.perf_counter()
    for i, doc in enumerate(docs):
        analyse_doc(str(i), doc, matcher)
    split["analyse_doc (extraction)"] = time.perf_counter() - start
    del docs
    start = time.perf_counter()
    for text in texts:
        signature(text)
    split["signature"] = time.perf_counter() - start

    store_dir = Path(tempfile.mkdtemp(prefix="profile-store-", dir=arguments.work))
    profiler = Profiler(interval=0.005)
    try:
        start = time.perf_counter()
        profiler.start()
        ingest([str(path)], Store(store_dir / "s"), workers=1)
        profiler.stop()
        split["whole ingest, 1 worker (model cached)"] = time.perf_counter() - start
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)

    print(f"{len(texts)} texts, {sum(len(t.split()) for t in texts):,} words")
    for name, seconds in split.items():
        print(f"  {name:40s} {seconds:7.2f} s")
    print(profiler.output_text(unicode=False, color=False, show_all=False, timeline=False, flat=True)[:6000])
    print(profiler.output_text(unicode=False, color=False, show_all=False)[:12000])
    if arguments.html:
        arguments.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())

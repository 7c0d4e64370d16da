"""The command line: progress, summary, exit codes and the export's shape."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SEEDS


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_export_has_the_documented_keys(seed_store):
    result = _run("export", "--store", str(seed_store.path))
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert set(exported) == {"articles", "rejected", "entities", "sanctions", "sanctions_related", "quotes", "watchlist", "topics"}
    article = exported["articles"][0]
    assert {"id", "source", "title", "lang", "date", "date_precision", "date_source", "status", "words", "duplicate_of", "text"} <= set(article)
    assert {"name", "label", "mentions", "articles", "forms"} <= set(exported["entities"][0])
    assert set(exported["sanctions"][0]) == {"article", "sentence", "start", "end", "categories", "terms", "actors"}
    assert set(exported["sanctions_related"][0]) == set(exported["sanctions"][0])
    assert set(exported["quotes"][0]) == {"article", "quote", "start", "end", "kind", "speaker"}
    assert {"topic", "terms", "weights"} <= set(exported["topics"][0])
    dated = sorted((a["source"][6:9], a["date"]) for a in exported["articles"])
    assert dated == [("000", "2023-09"), ("001", "2023-09"), ("002", None), ("003", None), ("004", "2023-09")]


def test_cli_ingest_reports_rejections_and_exits_zero(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (corpus / "ok.txt").write_bytes((SEEDS / "004_15beeeafbb7eb3ba.txt").read_bytes())
    store = tmp_path / "store"
    result = _run("ingest", str(corpus), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert "added: 1 (1 analysed, 0 kept without analysis)" in result.stdout
    assert "rejected: 2" in result.stdout
    assert "corpus/image.txt: binary content: this is a PNG image, not text" in result.stdout
    assert "corpus/vide.txt: empty: the file holds no text" in result.stdout
    assert "file/s" in result.stderr or "file" in result.stderr  # the progress bar
    exported = json.loads(_run("export", "--store", str(store)).stdout)
    assert sorted(r["source"] for r in exported["rejected"]) == ["corpus/image.txt", "corpus/vide.txt"]


def test_cli_unusable_arguments_exit_2_with_one_line(tmp_path):
    (tmp_path / "a-file").write_text("x")
    for args in (["ingest", str(SEEDS), "--store", str(tmp_path / "a-file")],
                 ["ingest", str(tmp_path / "missing"), "--store", str(tmp_path / "s")],
                 ["ingest", "--store", str(tmp_path / "s")],
                 ["export", "--store", str(tmp_path / "nothing")],
                 ["ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--workers", "0"]):
        result = _run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "no such file or folder" in _run("ingest", str(tmp_path / "missing"), "--store", str(tmp_path / "s")).stderr
    assert "is a file, not a folder" in _run("ingest", str(SEEDS), "--store", str(tmp_path / "a-file")).stderr


def test_cli_second_ingest_on_a_busy_store_exits_3_with_a_message(seed_store_copy):
    with seed_store_copy.writer():
        result = _run("ingest", str(SEEDS), "--store", str(seed_store_copy.path), "--quiet")
    assert result.returncode == 3
    assert result.stderr.strip().endswith("is being written by another process; try again when it finishes")
    assert len(seed_store_copy.read("articles", columns=["id"])) == 5


def test_cli_rebuild_applies_the_rules_to_a_store_that_gains_nothing(seed_store_copy):
    """Re-ingesting the same files adds nothing and leaves the results as they are; with --rebuild
    the corpus-level results are made again from the current rule files."""
    import pandas as pd

    from conftest import SEEDS

    with seed_store_copy.writer() as writer:  # results made by older rules, say: a single entity
        writer.set_derived("entities", pd.DataFrame({"name": ["Ancienne règle"], "label": ["PER"], "mentions": [1],
                                                     "articles": [1], "forms": ["{}"], "note": [None]}))
    result = _run("ingest", str(SEEDS), "--store", str(seed_store_copy.path), "--quiet")
    assert result.returncode == 0 and "already present: 5" in result.stdout
    assert list(seed_store_copy.read_derived("entities")["name"]) == ["Ancienne règle"]
    result = _run("ingest", str(SEEDS), "--store", str(seed_store_copy.path), "--quiet", "--rebuild")
    assert result.returncode == 0, result.stderr
    names = set(seed_store_copy.read_derived("entities")["name"])
    assert "Ancienne règle" not in names and "Vladimir Poutine" in names

"""Bad and hostile files through the dashboard's uploader and through the command line:
the same one-line outcome per file, no traceback, the shared store untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_hostile import BAD_FILES

from core.analysis import load_articles

UPLOADABLE = {name: spec for name, spec in BAD_FILES.items() if not name.endswith(".docx")}


@pytest.fixture(scope="module")
def upload_outcomes(seed_store):
    import os

    previous = os.environ.get("PRESS_STORE")
    os.environ["PRESS_STORE"] = str(seed_store.path)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        files = [(name, data, "text/plain") for name, (data, _, _) in UPLOADABLE.items()]
        at.get("file_uploader")[0].set_value(files).run()
        at.button(key="overview.add").click().run()
        assert not at.exception, [e.message for e in at.exception]
        table = next(d.value for d in at.dataframe if "outcome" in d.value.columns and "detail" in d.value.columns)
        return {row.file: (row.outcome, row.detail) for row in table.itertuples(index=False)}
    finally:
        if previous is None:
            os.environ.pop("PRESS_STORE", None)
        else:
            os.environ["PRESS_STORE"] = previous


@pytest.mark.parametrize("name", sorted(UPLOADABLE))
def test_pages_upload_outcome_of_each_bad_file(upload_outcomes, name):
    _, outcome, detail = UPLOADABLE[name]
    assert upload_outcomes[name] == (outcome, detail)


def test_pages_uploads_leave_the_shared_store_alone(upload_outcomes, seed_store):
    assert len(load_articles(seed_store)) == 5


@pytest.fixture(scope="module")
def cli_summary(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-hostile") / "corpus"
    folder.mkdir()
    for name, (data, _, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    store = folder.parent / "store"
    result = subprocess.run([sys.executable, "-m", "core", "ingest", str(folder), "--store", str(store), "--quiet"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", sorted(name for name, spec in BAD_FILES.items() if spec[1] == "rejected"))
def test_cli_summary_names_each_rejected_file_with_its_reason(cli_summary, name):
    assert f"  corpus/{name}: {BAD_FILES[name][2]}" in cli_summary.splitlines()


def test_pages_an_upload_that_adds_nothing_keeps_the_shared_corpus_and_empties_the_uploader(seed_store, monkeypatch):
    monkeypatch.setenv("PRESS_STORE", str(seed_store.path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.get("file_uploader")[0].set_value([("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/plain")]).run()
    at.button(key="overview.add").click().run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "outcome" in d.value.columns and "detail" in d.value.columns)
    assert table["outcome"].tolist() == ["rejected"]
    assert at.session_state["store.private"] is False  # nothing added: no private copy, and no notice of one
    assert not any("private copy" in c.value for c in at.sidebar.caption)
    assert not at.get("file_uploader")[0].value  # the next Add does not send the file again
    text = "Le ministre a parlé mardi des sanctions contre Pyongyang, selon l'agence.\n\n" + "Une phrase de plus. " * 30
    at.get("file_uploader")[0].set_value([("note.txt", text.encode(), "text/plain")]).run()
    at.button(key="overview.add").click().run()
    assert at.session_state["store.private"] is True
    assert any("private copy" in c.value for c in at.sidebar.caption)

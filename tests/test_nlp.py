"""The per-article NLP step on real French text."""

from __future__ import annotations

import pytest

from core.nlp import SanctionsMatcher, analyse_doc


@pytest.fixture(scope="module")
def analyse(nlp):
    matcher = SanctionsMatcher(nlp)

    def run(text):
        result = analyse_doc("a", nlp(text), matcher)
        return result, [text[s.start:s.end] for s in result.sentences]

    return run


def test_nlp_person_names_are_not_cut(analyse):
    result, _ = analyse("Le dirigeant nord-coréen Kim Jong Un a promis son soutien. Son père Kim Jong Il avait visité l'usine.")
    assert [(m.text, m.label) for m in result.mentions] == [("Kim Jong Un", "PER"), ("Kim Jong Il", "PER")]
    assert [m.sent for m in result.mentions] == [0, 1]


def test_nlp_a_line_break_ends_a_sentence_and_quotes_stay_with_their_sentence(analyse):
    text = "'Violation directe'\n\nVladimir Poutine et Kim Jong Un devraient se revoir. « Ce sera une visite à part entière », a déclaré Dmitri Peskov."
    _, sentences = analyse(text)
    assert sentences == [
        "'Violation directe'",
        "Vladimir Poutine et Kim Jong Un devraient se revoir.",
        "« Ce sera une visite à part entière », a déclaré Dmitri Peskov.",
    ]


def test_nlp_seed_sentences_are_never_empty_or_bare_punctuation(seed_store, seed_export):
    texts = {a["id"]: a["text"] for a in seed_export["articles"]}
    sentences = seed_store.read("sentences")
    shown = [texts[a][s:e] for a, s, e in zip(sentences["article"], sentences["start"], sentences["end"])]
    assert all(any(ch.isalnum() for ch in sentence) for sentence in shown)
    assert all(sentence == sentence.strip() for sentence in shown)


def test_nlp_lemmas_and_sanctions_terms(analyse):
    result, _ = analyse("Ces transferts d’armes violeraient plusieurs sanctions du Conseil de sécurité de l’ONU.")
    assert result.lemmas.split() == ["transfert", "arme", "violer", "sanction", "conseil", "sécurité", "onu"]
    assert sorted((t.term, t.category) for t in result.sanctions_terms) == [
        ("Conseil de sécurité", "un_resolutions"), ("sanctions", "sanctions"),
        ("transferts d’armes", "arms"), ("violeraient", "violations"),
    ]


def test_nlp_workers_do_not_run_the_main_script_again(tmp_path, monkeypatch):
    """Streamlit (and AppTest) run dashboard.py as ``__main__``; worker processes must not
    run it again when they start, or they fail before analysing anything."""
    import sys
    import types

    from core.nlp import Analyser

    marker = tmp_path / "ran"
    script = tmp_path / "app_script.py"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('x')\nraise SystemExit('main script ran')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    items = [("a", "Vladimir Poutine a reçu Kim Jong Un à Vostotchny."), ("b", "Le Conseil de sécurité de l'ONU a voté des sanctions.")]
    with Analyser(2) as analyser:
        results = list(analyser.analyse(items))
    assert [r.article for r in results] == ["a", "b"]
    assert any(m.label == "PER" for m in results[0].mentions)
    assert not marker.exists()
    assert sys.modules["__main__"] is main


def _where_the_pipeline_was_loaded() -> tuple[int, int, int]:
    import os

    from core.nlp import _worker_state

    return os.getpid(), os.getppid(), _worker_state["loaded_in"]


def test_nlp_workers_are_forked_with_the_pipeline_loaded_once():
    """The forkserver loads the pipeline once; no worker loads its own copy."""
    import time

    from core.nlp import Analyser

    with Analyser(2) as analyser:
        seen = {}
        deadline = time.monotonic() + 120
        while len(seen) < 2 and time.monotonic() < deadline:  # ask until both workers have answered
            for future in [analyser._pool.submit(_where_the_pipeline_was_loaded) for _ in range(4)]:
                pid, parent, loaded_in = future.result()
                seen[pid] = (parent, loaded_in)
    assert len(seen) == 2
    (parent, loaded_in), (other_parent, other_loaded_in) = seen.values()
    assert loaded_in == parent == other_parent == other_loaded_in
    assert loaded_in not in seen


def test_nlp_analysis_from_the_given_text_is_the_analysis_from_the_doc(nlp):
    """The worker passes the text it gave spaCy instead of rebuilding it from the Doc (the same string)."""
    from conftest import SEEDS

    matcher = SanctionsMatcher(nlp)
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        assert doc.text == text
        assert analyse_doc("a", doc, matcher, text) == analyse_doc("a", doc, matcher)

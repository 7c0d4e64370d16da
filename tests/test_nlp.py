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
    # the verb "violeraient" is a sanctions term, not a topic's word
    assert result.lemmas.split() == ["transfert", "arme", "sanction", "conseil", "sécurité", "onu"]
    assert sorted((t.term, t.category) for t in result.sanctions_terms) == [
        ("Conseil de sécurité", "un_resolutions"), ("sanctions", "sanctions"),
        ("transferts d’armes", "arms"), ("violeraient", "violations"),
    ]


def test_nlp_topic_words_are_nouns_names_and_adjectives_without_news_filler(analyse):
    result, _ = analyse("Vendredi, le grand dirigeant nord-coréen veut voir la chose depuis une heure à Pyongyang.")
    assert result.lemmas.split() == ["dirigeant", "nord-coréen", "pyongyang"]


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


_PROBE = """
import json, sys, time
sys.path[:0] = [{root!r}, {tests!r}]  # as pytest or Streamlit add paths at run time
from core.nlp import Analyser
from worker_probe import where_the_pipeline_was_loaded

with Analyser(2) as analyser:
    seen = {{}}
    deadline = time.monotonic() + 120
    while len(seen) < 2 and time.monotonic() < deadline:  # ask until both workers have answered
        for future in [analyser._pool.submit(where_the_pipeline_was_loaded) for _ in range(4)]:
            pid, parent, loaded_in = future.result()
            seen[pid] = [parent, loaded_in]
print(json.dumps(seen))
"""


def test_nlp_workers_are_forked_with_the_pipeline_loaded_once(tmp_path):
    """The workers' server loads the pipeline once and no worker loads its own copy, even
    when the program runs from another folder and found ``core`` on a path it added itself."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(ROOT), tests=str(ROOT / "tests"))],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen) == 2
    (parent, loaded_in), (other_parent, other_loaded_in) = seen.values()
    assert loaded_in == parent == other_parent == other_loaded_in
    assert str(loaded_in) not in seen


def test_nlp_an_edited_lexicon_is_used_by_the_next_analysis(nlp, tmp_path, monkeypatch):
    """The lexicon is editable: a process that keeps its pipeline between ingests (the app) builds
    its matcher again when the file changed, and the pipeline version names the new lexicon."""
    import json

    import core.nlp as nlp_module
    from core.nlp import Analyser, pipeline_version

    lexicon = tmp_path / "sanctions_lexicon.json"
    spec = json.loads(nlp_module.LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(nlp_module, "LEXICON_PATH", lexicon)
    monkeypatch.setattr(nlp_module, "_worker_state", {})
    items = [("a", "La marine a imposé un blocus au port de Nampo.")]

    def terms():
        with Analyser(0) as analyser:
            return [(t.term, t.category) for r in analyser.analyse(items) for t in r.sanctions_terms]

    before, version_before = terms(), pipeline_version()
    spec["categories"]["sanctions"]["terms"].append({"phrase": "blocus"})
    lexicon.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    assert before == []
    assert terms() == [("blocus", "sanctions")]
    assert pipeline_version() != version_before


def test_nlp_analysis_from_the_given_text_is_the_analysis_from_the_doc(nlp):
    """The worker passes the text it gave spaCy instead of rebuilding it from the Doc (the same string)."""
    from conftest import SEEDS

    matcher = SanctionsMatcher(nlp)
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        assert doc.text == text
        assert analyse_doc("a", doc, matcher, text) == analyse_doc("a", doc, matcher)


def test_nlp_glued_sentences_and_headings_are_sentences_of_their_own(analyse):
    text = ("Le texte a été rejeté par une voix contre (Russie).La Russie voulait un vote en 2015.Soulignant la tension, "
            "le diplomate est parti en avril.Les experts restent.\nMotif du refusLe dernier rapport est paru.\n"
            "- Une ligne de liste\nM.LAVROV est arrivé à Bamako.")
    _, sentences = analyse(text)
    assert sentences == [
        "Le texte a été rejeté par une voix contre (Russie).",
        "La Russie voulait un vote en 2015.",
        "Soulignant la tension, le diplomate est parti en avril.",
        "Les experts restent.",
        "Motif du refus",
        "Le dernier rapport est paru.",
        "- Une ligne de liste",
        "M.LAVROV est arrivé à Bamako.",
    ]

def test_nlp_title_glued_to_a_name_is_split_off(nlp):
    assert [t.text for t in nlp("M.LAVROV est arrivé.")][:2] == ["M.", "LAVROV"]


def test_nlp_abbreviations_and_addresses_are_not_split(analyse):
    _, sentences = analyse("Les experts de l'U.N. ont écrit sur fr.example.org/Page.Html hier.")
    assert sentences == ["Les experts de l'U.N. ont écrit sur fr.example.org/Page.Html hier."]


@pytest.fixture(scope="module")
def analyse_english(nlp):
    matcher = SanctionsMatcher(nlp)

    def run(text):
        result = analyse_doc("a", nlp(text), matcher, text, "en")
        return result, [(text[m.start:m.end], m.label) for m in result.mentions]

    return run


def test_nlp_english_names_are_cut_out_of_the_words_around_them(analyse_english):
    result, mentions = analyse_english(
        "Russian President Vladimir Putin has labeled Yevgeny Prigozhin a traitor. The Associated Press said "
        "Putin's spokesman Dmitry Peskov spoke on Monday.")
    people = [text for text, label in mentions if label == "PER"]
    assert "Vladimir Putin" in people and "Yevgeny Prigozhin" in people
    assert all(" has " not in text and not text.endswith("'s") for text, _ in mentions)
    assert "Associated Press" in [text for text, _ in mentions]
    assert "Putin" in [text for text, _ in mentions]  # "Putin's", without its possessive
    # English lemmas are lower-cased words without English stop words
    assert result.lemmas.split()[:4] == ["russian", "president", "vladimir", "putin"]
    assert "has" not in result.lemmas.split()


def test_nlp_english_sanctions_terms(analyse_english):
    result, _ = analyse_english("Experts: Libya rivals violate UN arms embargo. The panel of experts monitoring "
                                "sanctions against Libya said Russia sanctioned nobody.")
    assert sorted((t.term, t.category) for t in result.sanctions_terms) == [
        ("arms embargo", "arms"), ("monitoring", "monitoring"), ("panel of experts", "monitoring"),
        ("sanctioned", "sanctions"), ("sanctions", "sanctions"), ("violate", "violations"),
    ]


def test_nlp_spans_keep_capitalised_articles_and_non_breaking_spaces(nlp):
    from core.nlp import entity_spans

    text = "Hier, Marine Le Pen a vu Sergueï\xa0Lavrov à La Haye, puis Ursula von der Leyen et le groupe ArcelorMittal."
    spans = [text[a:b] for a, b, _ in entity_spans(nlp(text), text, "fr")]
    assert {"Marine Le Pen", "Sergueï\xa0Lavrov", "La Haye", "Ursula von der Leyen"} <= set(spans)
    assert "ArcelorMittal" in [t.text for t in nlp(text)]  # a brand name is no glued heading


def test_nlp_a_common_word_that_opens_a_sentence_or_heading_is_no_entity_when_the_article_writes_it_lower(nlp):
    from core.nlp import entity_spans

    def spans(text):
        return [text[a:b] for a, b, _ in entity_spans(nlp(text), text, "fr")]

    assert spans("« Camarades »\n\nLe dirigeant a salué ses camarades à Moscou.") == ["Moscou"]
    assert spans("Drones. Les drones russes ont frappé Kharkiv hier.") == ["Kharkiv"]
    # the same words kept where the article never writes them in lower case, and names kept at a sentence's start
    assert spans("« Camarades »\n\nLe dirigeant a salué Moscou.") == ["Camarades", "Moscou"]
    assert spans("Drones. Les engins russes ont frappé Kharkiv hier.") == ["Drones", "Kharkiv"]
    assert spans("Kharkiv a été frappée. Les habitants de Kharkiv dorment.") == ["Kharkiv", "Kharkiv"]
    # a name that is also a word, written inside a sentence too, and an acronym, stay
    assert spans("Total a annoncé un accord. Au total, le groupe Total gagne.") == ["Total", "Total"]


def test_nlp_a_spreadsheet_formula_or_a_url_is_no_entity(nlp):
    from core.nlp import entity_spans

    text = 'Voir =HYPERLINK("http://x.example";"clic") et @SUM(A1), puis Moscou et le groupe Wagner (PMC).'
    assert [text[a:b] for a, b, _ in entity_spans(nlp(text), text, "fr")] == ["Moscou", "Wagner", "PMC"]


def test_nlp_english_sentences_by_rule_not_cut_after_names_or_abbreviations(nlp):
    text = ('The U.S. Treasury targets firms. Spokeswoman Maria Zakharova dismissed the sanctions on Aug. 15 in '
            'St. Petersburg. Mr. Putin said: "No." He left. Vladimir Putin visited Pyongyang this week with J. Smith '
            'Jr. at 5 p.m. Friday. Is it over? Yes! Report No. 5 is out.')
    result = analyse_doc("a", nlp(text), SanctionsMatcher(nlp), text, "en")
    assert [text[s.start:s.end] for s in result.sentences] == [
        "The U.S. Treasury targets firms.",
        "Spokeswoman Maria Zakharova dismissed the sanctions on Aug. 15 in St. Petersburg.",
        'Mr. Putin said: "No."', "He left.",
        "Vladimir Putin visited Pyongyang this week with J. Smith Jr. at 5 p.m. Friday.",
        "Is it over?", "Yes!", "Report No. 5 is out.",
    ]


def test_a_person_name_cut_before_its_last_word_is_extended(nlp):
    """The model sometimes ends a three-word name early ("Albert Yaloke" + "Mokpem"): a capitalised word
    right after a name of two words, before a word in lower case, is the rest of it; a day is not."""
    from core.nlp import extend_person_names

    def extended(text, name):
        doc = nlp.make_doc(text)
        start = text.index(name)
        doc.ents = [doc.char_span(start, start + len(name), label="PER")]
        return [e.text for e in extend_person_names(doc).ents]

    assert extended("Le porte-parole Jean Mbaye Tchérémbo a aussi reconnu les faits.", "Jean Mbaye") == ["Jean Mbaye Tchérémbo"]
    assert extended("Spokesman Peter Okoro Okorafor also said so.", "Peter Okoro") == ["Peter Okoro Okorafor"]
    assert extended("Talks with Peter Okoro Tuesday were short.", "Peter Okoro") == ["Peter Okoro"]
    assert extended("Il a rencontré Jean Mbaye Dakar.", "Jean Mbaye") == ["Jean Mbaye"]  # the end of a sentence
    assert extended("Il a vu Jean Mbaye Président de la transition.", "Jean Mbaye") == ["Jean Mbaye"]  # a known word
    assert extended("Peter Okoro Warns of new sanctions", "Peter Okoro") == ["Peter Okoro"]  # a title-case headline

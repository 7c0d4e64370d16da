"""Sanctions mentions: lemmas make inflections count, context rules keep traps out."""

from __future__ import annotations

import pytest
from conftest import seed_id

from core.nlp import SanctionsMatcher, read_words


@pytest.fixture(scope="module")
def matcher(nlp):
    return SanctionsMatcher(nlp)


def _categories(nlp, matcher, sentence):
    return sorted({category for _, _, _, category in matcher.match(read_words(nlp(sentence)))})


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Ces livraisons violeraient les sanctions de l'ONU.", ["sanctions", "violations"]),
    ("Pyongyang viole la résolution 2270.", ["un_resolutions", "violations"]),
    ("Washington dénonce une violation de l'embargo sur les armes.", ["arms", "violations"]),
    ("Moscou a contourné le régime de sanctions.", ["sanctions", "violations"]),
    ("Le groupe d'experts de l'ONU surveille l'application des sanctions.", ["monitoring", "sanctions"]),
    ("North Korea violated UN Security Council resolutions.", ["un_resolutions", "violations"]),
])
def test_sanctions_inflections_match(nlp, matcher, sentence, expected):
    assert _categories(nlp, matcher, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Les deux pays cherchent une résolution pacifique du conflit.",
    "Le Conseil de sécurité nationale s'est réuni à Séoul.",
    "Le Conseil de sécurité russe a examiné la situation.",
    "The National Security Council met on Monday.",
])
def test_sanctions_traps_do_not_match(nlp, matcher, sentence):
    assert _categories(nlp, matcher, sentence) == []


def test_sanctions_seed_004_violation_sentence_is_a_hit(seed_store, seed_export):
    article = seed_id(seed_export, "004")
    hits = [h for h in seed_export["sanctions"] if h["article"] == article and "violation directe de plusieurs résolutions" in h["sentence"]]
    assert len(hits) == 1
    hit = hits[0]
    assert {"violations", "un_resolutions"} <= set(hit["categories"])
    assert hit["sentence"].startswith("'Ils ont souligné que toute exportation d'armes (...) serait une violation directe")
    text = next(a["text"] for a in seed_export["articles"] if a["id"] == article)
    assert text[hit["start"]:hit["end"]] == hit["sentence"]
    assert "violation" in hit["terms"] and "résolutions" in hit["terms"]


@pytest.mark.parametrize(("sentence", "expected"), [
    # a verb of the sanctions family, in any inflection ("sanction*")
    ("Bruxelles sanctionne le groupe pour ses actions.", ["sanctions"]),
    ("Les dirigeants sanctionnés ne peuvent plus voyager.", ["sanctions"]),
    ("Washington sanctioned three companies on Tuesday.", ["sanctions"]),
    # "NU" and "UN" are acronyms: the French article "un" is not the UN
    ("L'ambassadeur auprès des NU a remercié le Conseil d'avoir voté la résolution.", ["un_resolutions"]),
    ("The UN adopted a resolution on Libya.", ["un_resolutions"]),
])
def test_sanctions_verbs_and_acronyms(nlp, matcher, sentence, expected):
    assert _categories(nlp, matcher, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Un accord prévoit une résolution sur le stationnement des troupes dans un pays voisin.",
    "La foule est devenue violente et les affrontements ont été violents.",
    "Les deux camps cherchent une résolution politique de la crise.",
])
def test_sanctions_more_traps_do_not_match(nlp, matcher, sentence):
    assert _categories(nlp, matcher, sentence) == []


def _hits(nlp, matcher, text):
    from core.nlp import analyse_doc, sanctions_wording

    result = analyse_doc("a", nlp(text), matcher, text)
    by_sentence = {}
    for term in result.sanctions_terms:
        by_sentence.setdefault(term.sent, []).append(term)
    return {sent: sanctions_wording([t.entry for t in terms], [t.category for t in terms])
            for sent, terms in by_sentence.items()}


def test_sanctions_a_resolution_named_again_keeps_its_context(nlp, matcher):
    text = ("Moscou a opposé son veto à une résolution du Conseil de sécurité. La résolution prévoyait un an de plus. "
            "Le vote a eu lieu mercredi. Sa résolution en ce sens a été rejetée. Rien ne change. Rien du tout. "
            "Rien vraiment. Une résolution du différend reste possible.")
    assert _hits(nlp, matcher, text) == {0: True, 1: True, 3: True}


def test_sanctions_violations_and_arms_alone_are_related_not_sanctions_sentences(nlp, matcher):
    text = ("Les soldats ont violé le droit humanitaire international. Le pays a livré des armes à son voisin. "
            "Ces livraisons violent l'embargo de l'ONU.")
    assert _hits(nlp, matcher, text) == {0: False, 1: False, 2: True}


def test_sanctions_export_keeps_related_sentences_apart(seed_export):
    assert seed_export["sanctions"] and seed_export["sanctions_related"]
    related = {h["sentence"][:40] for h in seed_export["sanctions_related"]}
    assert "Washington a accusé la Corée du Nord de " in related
    assert all(set(h["categories"]) <= {"violations", "arms", "monitoring"} for h in seed_export["sanctions_related"])

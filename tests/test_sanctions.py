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

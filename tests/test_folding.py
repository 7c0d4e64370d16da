"""The one way words are compared: case, accents and apostrophes folded."""

from core.folding import fold, fold_in_place, fold_words


def test_folding_case_accents_apostrophes_and_ligatures():
    assert fold("L’ONU et la Corée du Nord") == "l'onu et la coree du nord"
    assert fold("‘Straße’ ﬁnale") == "'strasse' finale"
    assert fold_words("  Corée\n du\xa0 Nord ") == "coree du nord"


def test_folding_in_place_keeps_every_offset():
    text = "Straße à Séoul, l’été ́"
    folded = fold_in_place(text)
    assert len(folded) == len(text)
    assert folded == "straße a seoul, l'ete ́"
    assert folded.index("seoul") == text.index("Séoul")

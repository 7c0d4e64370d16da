"""Who said what: direct and indirect quotes and their speakers, on short French and English texts."""

from __future__ import annotations

import pytest

from core.nlp import SanctionsMatcher, analyse_doc


@pytest.fixture(scope="module")
def quotes_of(nlp):
    matcher = SanctionsMatcher(nlp)

    def run(text, lang="fr"):
        result = analyse_doc("a", nlp(text), matcher, text, lang)
        return [(q.kind, text[q.start:q.end], q.speaker_text or None) for q in result.quotes]

    return run


def test_quotes_french_direct_quotes_and_their_speakers(quotes_of):
    text = ("Le Kremlin a réagi jeudi.\n\n« Nous ne livrerons aucune arme à qui que ce soit », a déclaré Dmitri Peskov "
            "devant la presse. « Ce sont des rumeurs sans fondement », a-t-il ajouté.\n\n"
            "Le ministre Sergueï Lavrov a été plus direct : « Nos partenaires savent ce que nous pensons ».")
    assert quotes_of(text) == [
        ("direct", "Nous ne livrerons aucune arme à qui que ce soit", "Dmitri Peskov"),
        ("direct", "Ce sont des rumeurs sans fondement", "Dmitri Peskov"),  # "a-t-il ajouté": the speaker before
        ("direct", "Nos partenaires savent ce que nous pensons", "Sergueï Lavrov"),
    ]


def test_quotes_a_continuation_and_a_headline_take_the_speaker_of_the_body(quotes_of):
    text = ("« Une coopération sans limites entre nos pays »\n\n"
            "L'agence KCNA a rapporté que les deux pays visaient une « coopération sans limites entre nos pays ». "
            "Il a ensuite reçu les délégations.\n\n"
            "« Nous irons jusqu'au bout de ce partenariat. » La délégation est repartie le soir même.")
    found = quotes_of(text)
    assert ("direct", "Une coopération sans limites entre nos pays", "KCNA") in found  # the headline, as the body
    assert ("direct", "coopération sans limites entre nos pays", "KCNA") in found
    assert ("direct", "Nous irons jusqu'au bout de ce partenariat.", "KCNA") in found  # continues the last quote


def test_quotes_french_indirect_speech_needs_a_named_speaker(quotes_of):
    text = ("Le porte-parole Dmitri Peskov a affirmé que la Russie respectait ses engagements internationaux. "
            "Selon Jeune Afrique, le dirigeant a été blessé dans une explosion. "
            "Les livraisons ont repris la semaine dernière, a précisé le ministère de la Défense. "
            "Des sources diplomatiques ont déclaré que la réunion avait été reportée.")
    assert quotes_of(text) == [
        ("indirect", "la Russie respectait ses engagements internationaux.", "Dmitri Peskov"),
        ("indirect", "le dirigeant a été blessé dans une explosion.", "Jeune Afrique"),
        ("indirect", "Les livraisons ont repris la semaine dernière", "ministère de la Défense"),
    ]


def test_quotes_english_direct_and_indirect(quotes_of):
    text = ('"We will not supply weapons to anyone," Dmitry Peskov said on Thursday. '
            'Sergei Lavrov told reporters: "Our partners know what we think." '
            "According to the Kremlin, the talks will resume in May. "
            "Antony Blinken said that Washington would respond.")
    assert quotes_of(text, "en") == [
        ("direct", "We will not supply weapons to anyone,", "Dmitry Peskov"),
        ("direct", "Our partners know what we think.", "Sergei Lavrov"),
        ("indirect", "the talks will resume in May.", "Kremlin"),
        ("indirect", "Washington would respond.", "Antony Blinken"),
    ]


@pytest.mark.parametrize("text", [
    "Le groupe est désormais appelé « Africa Corps » par ses membres.",  # a name in quotes
    "Le titre du rapport, « Sur la route de Bamako », a surpris les diplomates.",  # a title, no speaker
    "Il parle d'une 'guerre injuste et sans fin' contre son pays.",  # single quotes are not quotation marks
])
def test_quotes_words_in_quotation_marks_that_nobody_says(quotes_of, text):
    assert [q for q in quotes_of(text) if q[0] == "direct"] == []


def test_quotes_are_stored_exported_and_resolved_to_canonical_entities(seed_export):
    quotes = seed_export["quotes"]
    assert quotes and {q["kind"] for q in quotes} <= {"direct", "indirect"}
    texts = {a["id"]: a["text"] for a in seed_export["articles"]}
    for quote in quotes:
        assert texts[quote["article"]][quote["start"]:quote["end"]] == quote["quote"]
    names = {e["name"] for e in seed_export["entities"]}
    peskov = [q for q in quotes if q["speaker"] == "Dmitri Peskov"]
    assert peskov and "Dmitri Peskov" in names

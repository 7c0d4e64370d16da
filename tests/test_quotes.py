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


def test_quotes_of_unnamed_sources_are_kept_without_a_speaker(quotes_of):
    text = ("Le contingent a quitté la base de Gao vendredi.\n\n"
            "« La mission est terminée pour nous », a confié une source diplomatique au Niger. "
            "Des responsables locaux ont déclaré que la route restait fermée.\n\n"
            "Ils sont accusés d'avoir « pillé les entrepôts de la ville pendant des semaines ».")
    found = quotes_of(text)
    assert ("direct", "La mission est terminée pour nous", None) in found  # not "Niger"
    assert ("direct", "pillé les entrepôts de la ville pendant des semaines", None) in found  # a passive, no agent
    assert not [q for q in found if q[0] == "indirect"]  # reported speech of unnamed people is no quote


def test_quotes_a_document_speaks_for_its_body_and_a_group_for_itself(quotes_of):
    text = ("Des experts de l'ONU accusent les deux armées de « violations répétées de l'embargo sur les armes ». "
            "Le dernier rapport du comité d'experts relève que les livraisons ont continué.\n\n"
            "« Aucune inspection n'a été autorisée depuis deux ans ». Les experts ajoutent que les ports restent "
            "fermés, selon le rapport.")
    found = quotes_of(text)
    assert ("direct", "violations répétées de l'embargo sur les armes", "experts de l'ONU") in found
    assert ("indirect", "les livraisons ont continué.", "comité d'experts") in found
    # a quote with no clause of its own, attributed by "selon le rapport" in the next sentence
    assert ("direct", "Aucune inspection n'a été autorisée depuis deux ans", "comité d'experts") in found


def test_quotes_english_pronouns_documents_and_coordinated_verbs(quotes_of):
    text = ('"The embargo remains totally ineffective," U.N. experts said in a new report. '
            '"Several ships were never inspected," the report said.\n\n'
            "Sergei Lavrov met the envoy on Monday. "
            '"We discussed the whole region," he said.\n\n'
            'Calling the mutiny a "betrayal of our soldiers at the front", Vladimir Putin addressed the nation.\n\n'
            'Evgeny Dorin accused the minister of lying, and vowed to punish "those who sent our men to die."')
    found = quotes_of(text, "en")
    assert ("direct", "The embargo remains totally ineffective,", "U.N. experts") in found
    assert ("direct", "Several ships were never inspected,", "U.N. experts") in found  # the report: its authors
    assert ("direct", "We discussed the whole region,", "Sergei Lavrov") in found
    assert ("direct", "betrayal of our soldiers at the front", "Vladimir Putin") in found
    assert ("direct", "those who sent our men to die.", "Evgeny Dorin") in found  # not "the minister"


def test_quotes_a_pronoun_is_the_person_named_just_before_and_a_cut_excerpt_keeps_its_quote(quotes_of):
    text = ("« Nous ne resterons pas », a déclaré le ministre malien Abdoulaye Diop.\n\n"
            "Le porte-parole du Kremlin, Dmitri Peskov, a confirmé la rencontre. "
            "« La situation dans la région a été discutée », a-t-il indiqué.\n\n"
            "Dans une vidéo diffusée par une chaîne liée à Sergueï Choïgou, il fait savoir que « les renforts "
            "arrivent dans la nuit ».\n\n"
            "UN PRÉSIDENT « OTAGE DE SES PROPRES ALLIÉS »\n\n"
            "Le chef de l'État a répondu : « un président otage de ses propres alliés ne décide de rien ». "
            "Il a ensuite affirmé que « la coopération militaire continuera avec")
    found = quotes_of(text)
    assert ("direct", "La situation dans la région a été discutée", "Dmitri Peskov") in found  # not Diop
    assert ("direct", "les renforts arrivent dans la nuit", "Dmitri Peskov") in found  # not the one after "liée à"
    assert ("direct", "OTAGE DE SES PROPRES ALLIÉS", "Dmitri Peskov") in found  # a headline excerpting the body
    assert ("direct", "la coopération militaire continuera avec", "Dmitri Peskov") in found  # the excerpt ends inside


def test_quotes_an_inferred_speaker_says_how_it_was_inferred(quotes_of, nlp):
    from core.views import attribution_label

    text = "« Nous partirons demain », a déclaré Dmitri Peskov. « Rien ne changera », a-t-il ajouté."
    result = analyse_doc("a", nlp(text), SanctionsMatcher(nlp), text, "fr")
    labels = [attribution_label(q.cue) for q in result.quotes]
    assert labels == ["named in the sentence", "inferred: a pronoun or a title, taken as the person named before"]

"""Dates: the header, metadata fields and datelines; never today's date."""

from __future__ import annotations

import datetime as dt

import pytest

from core.dates import date_from_text, date_overlaps, find_dates, parse_metadata_date, split_header, stamp_in_text


@pytest.mark.parametrize(("header", "expected"), [
    (" date 2023-09 SÉOUL, Corée", ("2023-09", "month", "header")),
    ("date 2023 Le texte", ("2023", "year", "header")),
    ("date 2024-06-19 Le texte", ("2024-06-19", "day", "header")),
    ("date 1899-01 Le texte", ("1899-01", "month", "header")),
])
def test_dates_header_keeps_its_precision(header, expected):
    split = split_header(header)
    assert (split.date.value, split.date.precision, split.date.source) == expected
    assert split.body.startswith("SÉOUL") or split.body == "Le texte"


@pytest.mark.parametrize(("header", "note"), [
    ("date 2023-13 Le texte", "header date 2023-13 ignored: there is no month 13"),
    ("date 2091-05 Le texte", "header date 2091-05 ignored: it is in the future"),
    ("date 2023-02-30 Le texte", "header date 2023-02-30 ignored: no such day"),
])
def test_dates_impossible_header_is_removed_and_leaves_the_article_undated(header, note):
    split = split_header(header)
    assert split.body == "Le texte"
    assert split.date.value is None and split.date.note == note


def test_dates_the_word_date_in_prose_is_not_a_header():
    split = split_header("Date limite pour les sanctions")
    assert split.body == "Date limite pour les sanctions" and not split.had_header


@pytest.mark.parametrize(("text", "expected"), [
    ("Le 29/03/2024, la Russie a opposé son veto.", "2024-03-29"),
    ("mercredi 19 juin 2024 Pyongyang accueille Poutine.", "2024-06-19"),
    ("June 19, 2024 — Kim welcomed Putin.", "2024-06-19"),
    ("PYONGYANG, 19 juin 2024 (AFP) - Le dirigeant", "2024-06-19"),
    ("Un texte.\n\nPublié le 3 mars 2024 à 10h", "2024-03-03"),
])
def test_dates_dateline_in_text(text, expected):
    found = date_from_text(text)
    assert (found.value, found.precision, found.source) == (expected, "day", "text")


@pytest.mark.parametrize("text", [
    "Cette photo prise le 10 septembre 2023 montre Kim Jong Un.",
    "Kim a quitté Pyongyang mercredi pour la Russie.",
    "La Russie avait voté en 2017 les résolutions.",
])
def test_dates_date_inside_prose_or_relative_words_leave_it_undated(text):
    assert date_from_text(text).value is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-06-19T10:00:00Z", ("2024-06-19", "day")),
    ("19/06/2024", ("2024-06-19", "day")),
    ("19 juin 2024", ("2024-06-19", "day")),
    ("2024-06", ("2024-06", "month")),
    ("not a date", (None, None)),
])
def test_dates_metadata(value, expected):
    found = parse_metadata_date(value)
    assert (found.value, found.precision) == expected


def test_dates_month_is_a_period_overlapping_any_range_that_touches_it():
    assert date_overlaps("2023-09", dt.date(2023, 9, 30), dt.date(2023, 12, 31))
    assert date_overlaps("2023-09", dt.date(2023, 1, 1), dt.date(2023, 9, 1))
    assert not date_overlaps("2023-09", dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert date_overlaps("2023", dt.date(2023, 12, 31), dt.date(2024, 1, 5))
    assert not date_overlaps(None, dt.date(2000, 1, 1), dt.date(2030, 1, 1))


PROSE_FR = ("Le gouvernement a annoncé de nouvelles mesures contre plusieurs sociétés accusées de contourner "
            "les règles en vigueur depuis des années.")
PROSE_EN = ("The government announced new measures against several companies accused of getting around the "
            "rules that have been in force for years.")


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # the stamp on a later line, after a headline, a kicker or a byline, often with a time
    ("Un titre sans point final\nPar Jeanne Martin\nLe 14/02/2023 09:41\n\n" + PROSE_FR, "fr", "2023-02-14"),
    ("Un titre\n\nPublié le 24/08/2023 à 10h05\n\n" + PROSE_FR, "fr", "2023-08-24"),
    ("Un titre\n12/11/2022 17:05:00\n" + PROSE_FR, "fr", "2022-11-12"),
    ("Un titre\nMis à jour : 5 juin 2025\n" + PROSE_FR, "fr", "2025-06-05"),
    ("Un titre\nmai 07, 2024\n" + PROSE_FR, "fr", "2024-05-07"),
    ("Un titre\n19 juin 2024 à 10h30\n" + PROSE_FR, "fr", "2024-06-19"),
    ("Un titre\n\n" + PROSE_FR + "\n\nPublié le 3 mars 2024", "fr", "2024-03-03"),
    # English forms, and US month-first numbers in English text
    ("A headline with no stop\nOctober 3, 2023\n" + PROSE_EN, "en", "2023-10-03"),
    ("A headline\nBy Jane Doe | June 19, 2024\n" + PROSE_EN, "en", "2024-06-19"),
    ("A headline\nUpdated 10:05 AM EDT, Wed June 19, 2024\n" + PROSE_EN, "en", "2024-06-19"),
    ("A headline\n7/14/2023 5:00 PM\n" + PROSE_EN, "en", "2023-07-14"),
    ("A headline\n11 Oct 2023 02:59AM\n" + PROSE_EN, "en", "2023-10-11"),
    ("Un titre\n7/12/2023 17:00\n" + PROSE_FR, "fr", "2023-12-07"),
    ("Un titre\n2024/06/19\n" + PROSE_FR, "fr", "2024-06-19"),
])
def test_dates_stamp_after_the_headline(text, lang, expected):
    found = date_from_text(text, lang)
    assert (found.value, found.precision, found.source) == (expected, "day", "text")
    assert "stamp" in found.note or "date line" in found.note or "with a time" in found.note


def test_dates_update_stamp_yields_to_the_publication_stamp():
    text = "Un titre\nMis à jour le 5 juin 2025\nPublié le 2 juin 2025\n" + PROSE_FR
    assert date_from_text(text, "fr").value == "2025-06-02"


@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("Un titre\n\nLes ministres se sont réunis ce lundi 13 décembre 2021 à Bruxelles pour adopter une liste "
     "de sanctions contre des dirigeants.", "2021-12-13", "day"),
    # a lead event with its weekday but without "ce" dates the month: the piece may be from a later day
    ("Un titre\n\nLes ministres ont adopté lundi 13 décembre 2021 une liste de sanctions contre des dirigeants "
     "de plusieurs sociétés.", "2021-12", "month"),
    # "hier" is the day before the piece: the 31st of May makes a June article
    ("Le président a critiqué, dans un entretien publié hier lundi 31 mai 2021, la présence de mercenaires "
     "étrangers dans le pays.", "2021-06", "month"),
    ("PARIS, 19 juin 2024 (AFP) - Les ministres ont adopté une liste de sanctions contre des dirigeants.", "2024-06-19", "day"),
])
def test_dates_lead_event_tied_to_the_time_of_writing(text, expected, precision):
    found = date_from_text(text, "fr")
    assert (found.value, found.precision, found.source) == (expected, precision, "text")


def test_dates_year_inferred_from_the_weekday_near_the_latest_date_the_text_writes_out():
    text = ("Les députés ont voté ce mardi 12 mars une loi très attendue, promise lors de la campagne de 2022 et "
            "réclamée depuis.\n\nLe texte, déposé en juin 2023, entrera en vigueur en avril, selon le gouvernement.")
    found = date_from_text(text, "fr")
    assert (found.value, found.precision, found.source) == ("2024-03-12", "day", "inferred")
    assert "year 2024 inferred" in found.note and "Tuesday" in found.note and "2023" in found.note


@pytest.mark.parametrize(("text", "why"), [
    # no year named anywhere: a weekday alone cannot tell the year
    ("Les ministres se sont réunis ce lundi 13 décembre à Bruxelles pour adopter une liste de sanctions.", "names no year"),
    # 12 March is a Friday, a Saturday and a Sunday in 2021-2023: no year next to 2022 fits
    ("Les députés ont voté ce mardi 12 mars une loi attendue depuis la réforme de mars 2022, disent-ils.",
     "fits its weekday"),
    # a bare year is more often history than the time of writing ("depuis 2019")
    ("Les députés ont voté ce lundi 9 décembre le maintien des sanctions imposées depuis 2019 au pays.",
     "names no year"),
    # a dateline without a year
    ("MOSCOU, 14 mars (Reuters) - Le Kremlin a démenti toute livraison d'armes à ses voisins cette semaine.", "no year"),
    # the weekday does not fit the date (14 December 2021 was a Tuesday)
    ("Les ministres se sont réunis ce lundi 14 décembre 2021 à Bruxelles pour adopter une liste de sanctions.", "weekday"),
])
def test_dates_uncertain_years_are_never_guessed(text, why):
    found = date_from_text(text, "fr")
    assert found.value is None and why in found.note


@pytest.mark.parametrize(("text", "lang"), [
    # a lede about history dates an event, not the article
    ("Le 19 juillet 2000, Vladimir Poutine devenait président pour la première fois, au terme d'une "
     "campagne éclair.", "fr"),
    ("Le dimanche 9 mai 1945, la capitulation était signée. En 2020, le pays a célébré l'anniversaire "
     "avec un défilé.", "fr"),
    # a photo caption, an embedded tweet, a related-articles list
    ("A headline\nFILE - In this Friday, Sept. 21, 2012 file photo, fighters gather in the city square of "
     "the capital.\n" + PROSE_EN, "en"),
    ("A headline\n" + PROSE_EN + "\nWe stand with our partners. — Jane Doe (@janedoe) August 9, 2023\n", "en"),
    ("Un titre\n" + PROSE_FR + "\nDerniers articles\n- Un autre sujet sans rapport - jeudi le 21 août 2025\n"
     "- Encore un autre - mercredi le 5 mars 2025", "fr"),
    # a date inside a web address
    ("Un titre\nhttps://example.org/2023/08/31/un-article.html\n" + PROSE_FR, "fr"),
    # English "may" and "mar" are words, not months, in lower case
    ("Officials may 12 times a year review the list, and it could mar 2023 negotiations for everyone involved.", "en"),
])
def test_dates_event_dates_do_not_date_the_article(text, lang):
    assert date_from_text(text, lang).value is None


def test_dates_header_yields_to_a_publication_stamp_only():
    body = "Un titre\nPublié le 31.08.2023 à 10h05\n" + PROSE_FR
    assert stamp_in_text(body, "fr").value == "2023-08-31"
    lede = "Les ministres ont adopté lundi 13 décembre 2021 une liste de sanctions contre des dirigeants de sociétés."
    assert stamp_in_text(lede, "fr").value is None


def test_dates_header_needs_a_year_so_prose_keeps_its_words():
    split = split_header("Date 12 novembre 2023 : les ministres se réunissent")
    assert split.body == "Date 12 novembre 2023 : les ministres se réunissent" and not split.had_header


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("Wed, 19 Jun 2024 10:00:00 GMT", None, ("2024-06-19", "day")),
    ("19/06/2024 10:30", "fr", ("2024-06-19", "day")),
    ("2024/06/19", None, ("2024-06-19", "day")),
    ("06/19/2024", "en", ("2024-06-19", "day")),
    ("June 19, 2024", "en", ("2024-06-19", "day")),
    ("mardi 19 juin 2024", "fr", (None, None)),  # 19 June 2024 was a Wednesday
])
def test_dates_metadata_forms(value, lang, expected):
    found = parse_metadata_date(value, lang)
    assert (found.value, found.precision) == expected


def test_dates_find_dates_reads_numbers_by_language_and_keeps_offsets():
    text = "Réunion le 05/04/2022 à 10h00, puis le 2022-04-06."
    first, second = find_dates(text, "fr")
    assert (first.year, first.month, first.day, first.has_time, first.numeric) == (2022, 4, 5, True, True)
    assert text[second.start:second.end].endswith("2022-04-06")
    (english,) = find_dates("Meeting on 04/05/2022.", "en")
    assert (english.month, english.day) == (4, 5)


def test_dates_stamps_of_a_related_articles_list_at_the_end_date_nothing():
    text = ("Un titre\n\n" + "\n\n".join([PROSE_FR] * 4) + "\n\nÀ lire également\nUn autre sujet\nPublié le 12/03/2021\n"
            "Encore un autre\nPublié le 02/01/2020")
    assert date_from_text(text, "fr").value is None


@pytest.mark.parametrize(("text", "expected"), [
    # a timeline: several dates alone on their lines are headings, not a stamp
    ("Guerre en Ukraine : les dates clés\n\n" + PROSE_FR + "\n\n24 février 2022\nL'invasion commence.\n\n"
     "2 mars 2022\nLe vote à l'ONU.", None),
    # a headline that begins with a place and a date is no dateline; a dateline has its dash
    ("Ukraine : 24 février 2022, le jour où tout a basculé pour le pays et pour ses voisins européens.", None),
    ("Paris, le 14 mars 2024 – Les ministres ont adopté une liste de sanctions contre des dirigeants.", "2024-03-14"),
])
def test_dates_timelines_and_headlines_are_not_stamps_or_datelines(text, expected):
    assert date_from_text(text, "fr").value == expected


def test_dates_a_date_line_never_replaces_a_header_but_a_stamp_does():
    timeline = "Un titre\n\n24 février 2022\n\n" + PROSE_FR
    assert stamp_in_text(timeline, "fr").value is None
    assert stamp_in_text("Un titre\nPublié le 3 mars 2024\n\n" + PROSE_FR, "fr").value == "2024-03-03"


def test_dates_long_runs_of_spaces_and_addresses_stay_fast():
    import time

    text = "Publié le 3 mars 2024" + " " * 20_000 + "x" + "/2023/01/02" * 2_000
    started = time.perf_counter()
    date_from_text(text, "fr")
    assert time.perf_counter() - started < 5  # quadratic matching took minutes

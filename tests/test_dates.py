"""Dates: the header, metadata fields and datelines; never today's date."""

from __future__ import annotations

import datetime as dt

import pytest

from core.dates import date_from_text, date_overlaps, parse_metadata_date, split_header


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

"""Boilerplate removal: conservative, and every removal reported."""

from __future__ import annotations

from core.cleaning import clean_body, count_words


def test_cleaning_removes_boilerplate_lines_and_keeps_prose():
    text = (
        "Le Kremlin a démenti.\n\nLire aussi : Poutine à Pyongyang\n\n"
        "Votre navigateur ne prend pas en charge la lecture de vidéos.\n\n"
        "La Corée du Nord nie.\n\nLeave a Reply\n\nquatre + 3 = "
    )
    cleaned = clean_body(text)
    assert cleaned.text == "Le Kremlin a démenti.\n\nLa Corée du Nord nie."
    assert [rule for _, rule in cleaned.removed] == ["read-also link", "video notice", "comment form", "captcha"]


def test_cleaning_never_drops_a_long_sentence_that_starts_like_boilerplate():
    sentence = (
        "Lire aussi entre les lignes des communiqués du Kremlin est devenu un exercice quotidien "
        "pour les diplomates occidentaux en poste à Moscou depuis le début de la guerre en Ukraine."
    )
    assert clean_body(sentence).text == sentence


def test_cleaning_repeated_line_differing_only_by_apostrophe_is_kept_once():
    text = "Kim salue l'armée.\nKim salue l’armée.\n\nSuite."
    cleaned = clean_body(text)
    assert cleaned.text == "Kim salue l'armée.\n\nSuite."
    assert cleaned.removed == (("Kim salue l’armée.", "repeated line"),)


def test_cleaning_word_count():
    assert count_words("Kim Jong-un a dit : « aujourd’hui, 2 accords ».") == 7

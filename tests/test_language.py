"""Language detection: too few letters to judge is "und", never a guess."""

from __future__ import annotations

import unicodedata

import pytest

from conftest import SEEDS
from core.language import MIN_LETTERS, UNDETERMINED, detect_language, language_name


@pytest.mark.parametrize("text", [
    "",
    "12/06/2024 — 15:30 ; 2 000 000 $ (+4,5 %)",
    "a" * (MIN_LETTERS - 1) + " 0123456789" * 50,
    "Kim " * 4 + "123 " * 300,  # 12 letters among 1,500 characters
])
def test_too_few_letters_is_undetermined(text):
    assert detect_language(text) == UNDETERMINED


def test_letters_are_counted_in_every_script_and_only_within_the_first_2000_characters():
    korean = "북한과 러시아의 정상회담은 무기 거래에 대한 우려를 불러일으켰다"
    assert sum(1 for ch in korean if unicodedata.category(ch).startswith("L")) >= MIN_LETTERS
    assert detect_language(korean) == "ko"
    assert detect_language("5" * 2000 + " la Russie et la Corée du Nord ont signé un accord") == UNDETERMINED


def test_french_from_the_seeds_is_french():
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    assert len(texts) == 5
    assert {detect_language(text) for text in texts} == {"fr"}
    assert language_name("fr") == "French" and language_name(None) == "undetermined"

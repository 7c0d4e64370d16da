"""Corpus-level resolution of spaCy's mentions into canonical entities.

Steps, each a rule an analyst can read and override:

1. **Clean** each mention: quotes and edge words dropped ("la Chine" → Chine,
   "Poutine s’" → Poutine), titles stripped ("M. Poutine" → Poutine), junk
   dropped (weekdays, pronouns, long MISC spans that are quotes), and a
   hyphen-joined pair of known people ("Poutine-Kim") split into both.
2. **Group** by a spelling key that folds case, accents, hyphens and the usual
   French/English transliteration differences ("Kim Jong-un" = "Kim Jong Un",
   "Choïgou" = "Choïgu", "Poutine" = "Putin").
3. **Fix** known label errors with the gazetteer and apply aliases
   (``core/data/entity_rules.json``).
4. **Merge** near spellings of the same label that differ in one long word
   ("Mantourov" / "Mantrurov"), compared within blocks so it scales.
5. **Expand** a short person name to the full name it abbreviates: in the
   same article first, then in the corpus when one full name dominates
   ("Kim" → "Kim Jong Un", while "Kim Jong Il" stays his own person).
6. Apply the analyst's **edits**: splits, merges, renames (kept in the store).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel

RULES_PATH = Path(__file__).parent / "data" / "entity_rules.json"
LABEL_PRIORITY = {"PER": 0, "LOC": 1, "ORG": 2, "MISC": 3}
FUZZY_MIN_CHARS = 6
FUZZY_MIN_RATIO = 0.85

_QUOTES = "\"'«»“”‘’`()[]{}.,;:!?–—-/ "
_ELISION = re.compile(r"^(?:l|d|qu|s|n|c|j|m|t)['’]", re.IGNORECASE)
_TRAILING_ELISION = re.compile(r"\s+(?:l|d|qu|s|n|c|j|m|t)['’]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class EntityRules:
    """The data of ``entity_rules.json``, folded for matching."""

    honorifics: tuple[str, ...]
    titles: tuple[str, ...]
    edge_words: frozenset[str]
    drop_forms: frozenset[str]
    max_misc_tokens: int
    gazetteer: dict[str, dict]
    aliases: dict[str, str]


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and accent-free form with apostrophes unified and spaces collapsed."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@lru_cache(maxsize=200_000)
def spelling_key(name: str) -> str:
    """Key under which spelling and transliteration variants of a name coincide."""
    tokens = re.split(r"[\s\-']+", fold(name))
    keyed = []
    for token in tokens:
        if not token:
            continue
        token = token.replace("ou", "u").replace("y", "i").replace("ck", "k")
        token = re.sub(r"(.)\1+", r"\1", token)
        if len(token) > 4 and token.endswith("e"):
            token = token[:-1]
        keyed.append(token)
    return " ".join(keyed)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> EntityRules:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    def longest_first(words):
        return tuple(sorted((fold(w) for w in words), key=len, reverse=True))

    honorifics = longest_first(spec.get("honorifics", []))
    titles = longest_first(spec.get("titles", []))
    gazetteer = {spelling_key(entry["form"]): entry for entry in spec.get("gazetteer", [])}
    aliases = {spelling_key(k): v for k, v in spec.get("aliases", {}).items()}
    return EntityRules(
        honorifics=honorifics,
        titles=titles,
        edge_words=frozenset(fold(w) for w in spec.get("edge_words", [])),
        drop_forms=frozenset(fold(w) for w in spec.get("drop_forms", [])),
        max_misc_tokens=int(spec.get("max_misc_tokens", 5)),
        gazetteer=gazetteer,
        aliases=aliases,
    )


def clean_name(text: str, label: str, rules: EntityRules) -> str | None:
    """The name a mention stands for, or None when it is not a name at all."""
    name = _TRAILING_ELISION.sub("", " ".join(text.split())).strip(_QUOTES)
    name = name.replace("' ", " ").replace("’ ", " ")
    prefixes = rules.honorifics + (rules.titles if label == "PER" else ())
    changed = True
    while changed and name:
        changed = False
        folded = fold(name)
        for title in prefixes:
            if folded.startswith(title + " ") and len(folded) > len(title) + 1:
                name = name[len(title):].strip(_QUOTES)
                changed = True
                break
        words = name.split()
        if len(words) > 1 and fold(words[0]) in rules.edge_words:
            name, changed = " ".join(words[1:]), True
        elif len(words) > 1 and fold(words[-1]) in rules.edge_words:
            name, changed = " ".join(words[:-1]), True
        elif _ELISION.match(name) and len(name) > 3:
            name, changed = _ELISION.sub("", name), True
        name = name.strip(_QUOTES)
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return None
    folded = fold(name)
    if folded in rules.drop_forms:
        return None
    words = name.split()
    if label == "MISC" and len(words) > rules.max_misc_tokens:
        return None
    if not any(word[:1].isupper() for word in words):
        return None
    return name


_PAIR = re.compile(r"^([A-ZÀ-Ý][\w’']+)-([A-ZÀ-Ý][\w’']+)$")


def resolve_entities(
    mentions: pd.DataFrame,
    rules: EntityRules | None = None,
    edits: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve raw mentions into canonical entities.

    ``mentions`` has columns article, sent, start, end, text, label. Returns
    ``(mention_entities, entities)``: each kept mention with its ``entity``
    name and ``form`` (its cleaned surface), and one row per entity with
    ``name``, ``label``, ``mentions``, ``articles`` (count), ``forms`` (JSON
    surface → count) and ``note``. The input is not modified.
    """
    rules = rules or load_rules()
    edits = edits or {}
    entity_edits = edits.get("entities", {}) if "entities" in edits else edits
    splits = {fold(form) for form in entity_edits.get("splits", [])}

    frame = _clean_mentions(mentions, rules)
    if frame.empty:
        return _empty_mention_entities(), _empty_entities()
    frame["key"] = _map_distinct(frame["form"], spelling_key)
    frame["locked"] = _map_distinct(frame["form"], lambda f: fold(f) in splits).astype(bool)

    # Step 2-3: clusters by spelling key (a split form keys on itself).
    frame.loc[frame["locked"], "key"] = "split:" + _map_distinct(frame.loc[frame["locked"], "form"], fold)
    alias_target = {k: spelling_key(v) for k, v in rules.aliases.items()}
    gazetteer_target = {k: spelling_key(entry["name"]) for k, entry in rules.gazetteer.items()}
    unlocked = ~frame["locked"]
    frame.loc[unlocked, "key"] = _map_distinct(frame.loc[unlocked, "key"], lambda k: gazetteer_target.get(k, alias_target.get(k, k)))

    labels = _cluster_labels(frame, rules)
    key_map = _fuzzy_merges(frame.loc[unlocked, "key"].unique().tolist(), labels, frame)
    frame.loc[unlocked, "key"] = _map_distinct(frame.loc[unlocked, "key"], lambda k: key_map.get(k, k))
    labels = _cluster_labels(frame, rules)

    # Step 5: short person names.
    frame = _expand_short_names(frame, labels)
    labels = _cluster_labels(frame, rules)

    names = _canonical_names(frame, rules)
    frame["entity"] = _map_distinct(frame["key"], names.__getitem__)
    frame["label"] = _map_distinct(frame["key"], labels.__getitem__)

    # Step 6: the analyst's merges and renames, by entity name.
    renames = dict(entity_edits.get("renames", {}))
    original_of = {new: old for old, new in renames.items()}
    merges = {original_of.get(s, s): original_of.get(t, t) for s, t in entity_edits.get("merges", {}).items()}
    for _ in range(len(merges) + 1):  # follow chains a→b→c
        mapped = _map_distinct(frame["entity"], lambda e: merges.get(e, e))
        if mapped.equals(frame["entity"]):
            break
        frame["entity"] = mapped
    if merges:
        label_of = frame.groupby("entity")["label"].agg(lambda s: s.value_counts().index[0])
        frame["label"] = frame["entity"].map(label_of)
    frame["entity"] = _map_distinct(frame["entity"], lambda e: renames.get(e, e))

    mention_entities = frame[["article", "sent", "start", "end", "text", "form", "entity", "label"]].reset_index(drop=True)
    notes = {spelling_key(entry["name"]): entry.get("note") for entry in rules.gazetteer.values() if entry.get("note")}
    note_by_entity = {names[k]: notes[k] for k in notes if k in names}
    entities = (
        mention_entities.groupby("entity", sort=False)
        .agg(label=("label", "first"), mentions=("text", "size"), articles=("article", "nunique"))
        .reset_index()
        .rename(columns={"entity": "name"})
    )
    entities["forms"] = entities["name"].map(_surface_counts(mention_entities))
    entities["note"] = entities["name"].map(lambda n: note_by_entity.get(renames.get(n, n)) or note_by_entity.get(n))
    entities = entities.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)
    return mention_entities, entities


def _empty_mention_entities() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in [
        ("article", "object"), ("sent", "int32"), ("start", "int32"), ("end", "int32"),
        ("text", "object"), ("form", "object"), ("entity", "object"), ("label", "object")]})


def _surface_counts(mention_entities: pd.DataFrame) -> dict[str, str]:
    """Each entity's surface forms with their counts, as JSON, most frequent first
    (ties in order of first appearance)."""
    counts = mention_entities.groupby(["entity", "text"], sort=False, dropna=False).size().reset_index(name="count")
    counts = counts.sort_values("count", ascending=False, kind="stable")
    forms: dict[str, dict[str, int]] = defaultdict(dict)
    for entity, text, count in zip(counts["entity"], counts["text"], counts["count"].tolist()):
        forms[entity][text] = count
    return {entity: json.dumps(surfaces, ensure_ascii=False) for entity, surfaces in forms.items()}


def _empty_entities() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in [
        ("name", "object"), ("label", "object"), ("mentions", "int64"), ("articles", "int64"),
        ("forms", "object"), ("note", "object")]})


def _map_distinct(values: pd.Series, function) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value
    (a corpus has a few thousand names among hundreds of thousands of mentions)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)  # a missing value is mapped too, as map() does
    results = [function(value) for value in distinct]
    if all(isinstance(result, str) for result in results):
        # names: take from a small string array, not infer the type of millions of objects
        return pd.Series(pd.array(results, dtype="str").take(codes), index=values.index)
    mapped = np.empty(len(results), dtype=object)
    mapped[:] = results
    return pd.Series(mapped[codes], index=values.index)


def _clean_mentions(mentions: pd.DataFrame, rules: EntityRules) -> pd.DataFrame:
    """Clean every mention; split hyphen-joined pairs of known people.

    Returns the kept mentions in their order with their cleaned ``form``; a
    split pair becomes two mentions where it stood. Each distinct surface form
    and label is cleaned once.
    """
    columns = ["article", "sent", "start", "end", "text", "label", "form"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    codes, distinct = _pair_codes(mentions["text"], mentions["label"])
    forms = [clean_name(text, label, rules) for text, label in distinct]
    pairs = [_PAIR.match(form) if form is not None and label == "PER" else None for form, (_, label) in zip(forms, distinct)]
    person_words = {
        spelling_key(word)
        for form, pair, (_, label) in zip(forms, pairs, distinct)
        if form is not None and label == "PER" and pair is None
        for word in form.split()
    }
    # what each distinct (text, label) becomes: kept as it is, dropped, or split in two
    split = [pair is not None and all(spelling_key(part) in person_words for part in pair.groups()) for pair in pairs]
    kept = np.array([form is not None and pair is None for form, pair in zip(forms, pairs)], dtype=bool)[codes]
    form_of = np.empty(len(forms), dtype=object)
    form_of[:] = forms
    frame = mentions.loc[kept, ["article", "sent", "start", "end", "text", "label"]].assign(form=form_of[codes[kept]])
    splitting = np.array(split, dtype=bool)[codes]
    if not splitting.any():
        return frame.reset_index(drop=True)
    parts = []
    for position, code in zip(np.flatnonzero(splitting).tolist(), codes[splitting].tolist()):
        article, sent, start, text = mentions["article"].iat[position], mentions["sent"].iat[position], mentions["start"].iat[position], mentions["text"].iat[position]
        form, (first, second) = forms[code], pairs[code].groups()
        start = int(start) + max(text.find(form), 0)
        second_start = start + len(first) + 1
        parts.append((position, 0, article, sent, start, start + len(first), first, "PER", first))
        parts.append((position, 1, article, sent, second_start, second_start + len(second), second, "PER", second))
    split_rows = pd.DataFrame(parts, columns=["position", "part", *columns]).astype({c: frame[c].dtype for c in ("sent", "start", "end")})
    frame = pd.concat([frame, split_rows[columns]], ignore_index=True)
    # kept rows first, then the split parts: put each part where its mention stood
    where = np.concatenate([np.flatnonzero(kept) * 2, split_rows["position"].to_numpy() * 2 + split_rows["part"].to_numpy()])
    return frame.iloc[np.argsort(where, kind="stable")].reset_index(drop=True)


def _pair_codes(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """A code per row for each distinct (first, second) pair, and the pairs in order of first appearance."""
    first_codes, first_values = pd.factorize(first, use_na_sentinel=False)
    second_codes, second_values = pd.factorize(second, use_na_sentinel=False)
    width = max(len(second_values), 1)
    codes, pairs = pd.factorize(first_codes.astype(np.int64) * width + second_codes)
    first_list, second_list = list(first_values), list(second_values)
    return codes, [(first_list[pair // width], second_list[pair % width]) for pair in pairs.tolist()]


def _cluster_labels(frame: pd.DataFrame, rules: EntityRules) -> dict[str, str]:
    """Label of each cluster: the gazetteer's, else the most frequent (PER first on ties)."""
    gazetteer_labels = {spelling_key(entry["name"]): entry["label"] for entry in rules.gazetteer.values()}
    best: dict[str, tuple] = {}
    # labels in their order of first appearance in each cluster: the first wins a full tie
    for (key, label), count in frame.groupby(["key", "label"], sort=False, dropna=False).size().items():
        rank = (-count, LABEL_PRIORITY.get(label, 9))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, label)
    return {key: gazetteer_labels.get(key, best[key][1]) for key in sorted(best)}


def _fuzzy_merges(keys: list[str], labels: dict[str, str], frame: pd.DataFrame) -> dict[str, str]:
    """Map keys that differ from a more frequent key of the same label in one long word."""
    counts = frame["key"].value_counts()
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for key in keys:
        tokens = key.split()
        for position, token in enumerate(tokens):
            if len(token) >= FUZZY_MIN_CHARS:
                rest = tuple(tokens[:position] + ["*"] + tokens[position + 1:])
                blocks[(labels.get(key), rest, token[:2])].append(key)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while key in parent:
            key = parent[key]
        return key

    for members in blocks.values():
        if len(members) < 2 or len(members) > 200:
            continue
        members = sorted(set(members), key=lambda k: (-counts.get(k, 0), k))
        for index, key in enumerate(members):
            for other in members[:index]:
                if Indel.normalized_similarity(key, other) >= FUZZY_MIN_RATIO and find(key) != find(other):
                    parent[find(key)] = find(other)
                    break
    return {key: find(key) for key in keys if find(key) != key}


def _expand_short_names(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Point short person keys at the full name they abbreviate."""
    people = [k for k, label in labels.items() if label == "PER" and not k.startswith("split:")]
    by_length = defaultdict(list)
    for key in people:
        by_length[len(key.split())].append(key)
    longer_of: dict[str, list[str]] = {}
    for key in people:
        tokens = key.split()
        candidates = []
        for length, keys in by_length.items():
            if length <= len(tokens):
                continue
            for other in keys:
                other_tokens = other.split()
                if other_tokens[:len(tokens)] == tokens or other_tokens[-len(tokens):] == tokens:
                    candidates.append(other)
        if candidates:
            longest = max(len(c.split()) for c in candidates)
            longer_of[key] = [c for c in candidates if len(c.split()) == longest] if len(tokens) > 1 else candidates
    if not longer_of:
        return frame
    counts = frame["key"].value_counts()
    corpus_choice = {}
    for key, candidates in longer_of.items():
        # only full names that are not themselves abbreviations of something longer
        full = [c for c in candidates if c not in longer_of] or candidates
        ranked = sorted(full, key=lambda c: -counts.get(c, 0))
        if len(ranked) == 1 or counts.get(ranked[0], 0) >= 2 * counts.get(ranked[1], 0):
            corpus_choice[key] = ranked[0]
        longer_of[key] = full
    # mentions of each full name per article: only the full names matter here
    full_names = {c for candidates in longer_of.values() for c in candidates}
    of_full_names = frame[frame["key"].isin(full_names)]
    per_article = of_full_names.groupby(["article", "key"]).size().to_dict()

    def choose(article: str, key: str) -> str:
        candidates = longer_of.get(key)
        if not candidates:
            return key
        local = sorted(((per_article.get((article, c), 0), c) for c in candidates), reverse=True)
        if local[0][0] > 0 and (len(local) == 1 or local[0][0] > local[1][0]):
            return local[0][1]
        return corpus_choice.get(key, key)

    frame = frame.copy()
    mask = frame["key"].isin(longer_of.keys()) & ~frame["locked"]
    chosen: dict[tuple[str, str], str] = {}
    frame.loc[mask, "key"] = [
        chosen[(a, k)] if (a, k) in chosen else chosen.setdefault((a, k), choose(a, k))
        for a, k in zip(frame.loc[mask, "article"].tolist(), frame.loc[mask, "key"].tolist())
    ]
    return frame


def _canonical_names(frame: pd.DataFrame, rules: EntityRules) -> dict[str, str]:
    """Display name of each cluster: the gazetteer's or alias's, else its most frequent longest form."""
    fixed = {spelling_key(entry["name"]): entry["name"] for entry in rules.gazetteer.values()}
    fixed.update({spelling_key(name): name for name in rules.aliases.values()})
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (key, form), count in frame.groupby(["key", "form"], sort=False, dropna=False).size().items():
        counts[key][form] = count
    names = {}
    for key in sorted(counts):
        if key in fixed:
            names[key] = fixed[key]
            continue
        most_words = max(len(f.split()) for f in counts[key])
        full = {f: c for f, c in counts[key].items() if len(f.split()) == most_words}
        names[key] = min(full, key=lambda f: (-full[f], f.isupper(), "-" in f, f))
    # two clusters may share a display name (e.g. a split form): keep them apart
    seen: dict[str, str] = {}
    for key, name in sorted(names.items()):
        if name in seen and seen[name] != key:
            names[key] = f"{name} ({key.removeprefix('split:')})"
        seen.setdefault(name, key)
    return names

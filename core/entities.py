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

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA, Indel

from core.folding import fold_words

RULES_PATH = Path(__file__).parent / "data" / "entity_rules.json"
CODE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
"""Of this module as imported: stored cluster keys made by other code are made again (``core.analysis``)."""
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
    title_words: frozenset[str] = frozenset()
    """The one-word titles, folded, that announce a name inside a longer span."""
    compass_words: frozenset[str] = frozenset()
    """Spelling keys of the points of the compass: "le Nord" of an article about "Corée du Nord"."""
    digest: str = ""
    """Of the file these rules were read from: what :func:`key_mentions` made with them depends on it."""


_TRANSLITERATIONS = (
    # French, English and German renderings of the same sounds, most specific first
    ("sch", "ch"), ("sh", "ch"), ("zh", "j"), ("kh", "h"), ("dj", "j"), ("ph", "f"), ("w", "v"),
    ("ou", "u"), ("y", "i"), ("ck", "k"),
)


@lru_cache(maxsize=200_000)
def spelling_key(name: str) -> str:
    """Key under which spelling and transliteration variants of a name coincide.

    Case, accents, hyphens and apostrophes are folded, then the usual differences
    between French, English and German transliterations: sh/ch/sch, zh/j, kh/h,
    dj/j, w/v, ou/u, y/i, "gu" before e or i ("Guerassimov" = "Gerasimov"), a
    leading "ie"/"ye" ("Ievkourov" = "Yevkurov" = "Evkurov"), doubled letters
    (ss/s, -ii/-iy/-y) and, on the last word, the French "-ine" of Russian names
    ("Poutine" = "Putin", "Prigojine" = "Prigozhin"). A final "e" is otherwise
    kept: François and Françoise, Denis and Denise stay apart.
    """
    tokens = [t.strip(".") for t in _KEY_SEPARATORS.split(fold_words(name))]
    keyed = [_token_key(t) for t in tokens if t]
    if keyed and len(keyed[-1]) > 4 and keyed[-1].endswith("ine"):
        keyed[-1] = keyed[-1][:-1]
    return " ".join(keyed)


_KEY_SEPARATORS = re.compile(r"[\s\-'’]+")
_GU = re.compile(r"gu(?=[ei])")
_LEADING_IE = re.compile(r"^ie(?=.)")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def _token_key(token: str) -> str:
    """One folded word of :func:`spelling_key`, its last word's "-ine" aside."""
    for written, sound in _TRANSLITERATIONS:
        token = token.replace(written, sound)
    return _DOUBLED.sub(r"\1", _LEADING_IE.sub("e", _GU.sub("g", token)))


FEMININE_ENDINGS = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("aia", "ii"), ("aia", "i"), ("ska", "ski"), ("a", ""),
                    ("e", ""), ("a", "o"), ("a", "e"))
"""Feminine names and their masculine forms: Slavic surnames (Peskova, Peskov), French first names
(Françoise, François; Denise, Denis), Italian and Spanish ones (Francesca, Francesco; Marina,
Marino): two people, never one."""


def feminine_pair(first: str, second: str) -> bool:
    """True when two name keys differ only by a feminine ending ("peskova" / "peskov")."""
    stem = min(len(first), len(second)) - 3  # the endings are three letters at most: the rest is shared
    if abs(len(first) - len(second)) > 3 or stem > 0 and first[:stem] != second[:stem]:
        return False
    for a, b in ((first, second), (second, first)):
        for feminine, masculine in FEMININE_ENDINGS:
            if a.endswith(feminine) and a[: len(a) - len(feminine)] + masculine == b:
                return True
    return False


COUNTRY_NAME_LANGUAGES = ("fr", "en")
"""The languages whose names of countries and territories (from the Unicode CLDR, through Babel) are one place:
those of the articles analysed. Other languages' names are words of French or English too often ("Indien",
"Ascension", the Spanish "Congo" for Congo-Brazzaville) to be taken as places."""


@lru_cache(maxsize=1)
def country_keys() -> dict[str, str]:
    """Spelling key of each name of a country or territory in :data:`COUNTRY_NAME_LANGUAGES`
    → the key of its French name. A name that two territories share is left out. The
    parts of a name such as "Myanmar (Burma)" count too, unless another territory is
    called so in full ("RAE de Hong Kong (China)" is no name of China's)."""
    from babel import Locale

    french = Locale("fr").territories
    whole: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, set[str]] = defaultdict(set)
    for language in COUNTRY_NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) != 2 or not code.isalpha() or code in _NOT_PLACES or code not in french:
                continue
            whole[spelling_key(name)].add(code)
            inside = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
            for part in inside.groups() if inside else ():
                parts[spelling_key(part)].add(code)
    for key, found in parts.items():
        if key not in whole:
            whole[key] = found
    return {key: spelling_key(french[next(iter(found))]) for key, found in whole.items() if key and len(found) == 1}


_NOT_PLACES = frozenset({"ZZ", "UN", "EZ", "QO"})  # unknown region, the United Nations, the eurozone, outlying Oceania


def load_rules(path: Path = RULES_PATH) -> EntityRules:
    """The rules of ``path``, read again when the file changed (it is editable while the app runs)."""
    path = Path(path)
    stat = path.stat()
    return _load_rules(path, (stat.st_ino, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _load_rules(path: Path, stamp: tuple) -> EntityRules:
    raw = path.read_bytes()
    spec = json.loads(raw.decode("utf-8"))
    def longest_first(words):
        return tuple(sorted((fold_words(w) for w in words), key=len, reverse=True))

    honorifics = longest_first(spec.get("honorifics", []))
    titles = longest_first(spec.get("titles", []))
    gazetteer = {spelling_key(entry["form"]): entry for entry in spec.get("gazetteer", [])}
    aliases = {spelling_key(k): v for k, v in spec.get("aliases", {}).items()}
    return EntityRules(
        honorifics=honorifics,
        titles=titles,
        edge_words=frozenset(fold_words(w) for w in spec.get("edge_words", [])),
        drop_forms=frozenset(fold_words(w) for w in spec.get("drop_forms", [])),
        max_misc_tokens=int(spec.get("max_misc_tokens", 5)),
        gazetteer=gazetteer,
        aliases=aliases,
        title_words=frozenset(t for t in titles if " " not in t),
        compass_words=frozenset(spelling_key(w) for w in spec.get("compass_words", [])),
        digest=hashlib.sha256(raw).hexdigest()[:16],
    )


def clean_name(text: str, label: str, rules: EntityRules) -> str | None:
    """The name a mention stands for, or None when it is not a name at all."""
    name = _TRAILING_ELISION.sub("", " ".join(text.split())).strip(_QUOTES)
    name = name.replace("' ", " ").replace("’ ", " ")
    order = _prefix_order(rules.honorifics, rules.titles if label == "PER" else ())
    changed = True
    while changed and name:
        changed = False
        title = _leading_title(fold_words(name), name, order)
        if title is not None:
            name = name[len(title):].strip(_QUOTES)
            changed = True
        words = name.split()
        if len(words) > 1 and fold_words(words[0]) in rules.edge_words and not _capitalised_article(words[0]):
            name, changed = " ".join(words[1:]), True
        elif len(words) > 1 and fold_words(words[-1]) in rules.edge_words:
            name, changed = " ".join(words[:-1]), True
        elif _ELISION.match(name) and len(name) > 3 and not name[0].isupper():
            name, changed = _ELISION.sub("", name), True
        name = name.strip(_QUOTES)
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return None
    folded = fold_words(name)
    if folded in rules.drop_forms:
        return None
    words = name.split()
    if label == "MISC" and len(words) > rules.max_misc_tokens:
        return None
    if not any(word[:1].isupper() for word in words):
        return None
    return name


@lru_cache(maxsize=16)
def _prefix_order(honorifics: tuple[str, ...], titles: tuple[str, ...]) -> dict[str, int]:
    """Each honorific and title → its rank (honorifics first, each longest first): the first that
    leads a name is the one taken off."""
    order: dict[str, int] = {}
    for rank, title in enumerate(honorifics + titles):
        order.setdefault(title, rank)
    return order


def _leading_title(folded: str, name: str, order: dict[str, int]) -> str | None:
    """The first-ranked title of ``order`` that leads ``folded`` (the folded ``name``): followed by
    a space ("M. Lavrov"), or ending with a full stop glued to a capital ("M.LAVROV"), with more
    of the name after it. Looked up at each space and full stop, not compared title by title."""
    best = None
    for position, char in enumerate(folded):
        if char == " ":
            title = folded[:position]
        elif char == "." and name[position + 1:position + 2].isupper():
            title = folded[:position + 1]
        else:
            continue
        rank = order.get(title)
        if rank is not None and len(folded) > len(title) + 1 and (best is None or rank < order[best]):
            best = title
    return best


ARTICLES = frozenset({"le", "la", "les", "l'", "de", "du", "des", "d'", "n'", "el", "al", "the"})


def _capitalised_article(word: str) -> bool:
    """"Le" of "Le Pen", "De" of "De Gaulle": kept by :func:`clean_name`; whether it belongs to
    the name is decided over the corpus (:func:`without_leading_article`)."""
    return word[:1].isupper() and fold_words(word) in ARTICLES


def without_leading_article(form: str) -> str | None:
    """The name after a capitalised leading article or elision ("La Russie" -> "Russie",
    "N'Djamena" -> "Djamena"), or None when the form has none."""
    words = form.split()
    if len(words) > 1 and _capitalised_article(words[0]):
        return " ".join(words[1:])
    match = _ELISION.match(form)
    if match and form[0].isupper() and len(form) > match.end() + 1:
        return form[match.end():]
    return None


_PAIR = re.compile(r"^([A-ZÀ-Ý][\w’']+)-([A-ZÀ-Ý][\w’']+)$")


def resolve_entities(
    mentions: pd.DataFrame | None,
    rules: EntityRules | None = None,
    edits: dict | None = None,
    applied: set[str] | None = None,
    keyed: pd.DataFrame | None = None,
    previous: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve raw mentions into canonical entities.

    ``mentions`` has columns article, sent, start, end, text, label (None when ``keyed`` is given). Returns
    ``(mention_entities, entities)``: each kept mention with its ``entity``
    name, ``form`` (its cleaned surface) and ``own`` (False when an analyst's
    merge brought it from another entity), and one row per entity with
    ``name``, ``label``, ``mentions``, ``articles`` (count), ``forms`` (JSON
    surface → count), ``note`` and ``keys`` (JSON list of the spelling keys of
    its forms: what an analyst's edit holds on to). The input is not modified.
    ``applied``, when given, receives the ids of the logged edits that applied.
    ``keyed``, when given, is :func:`key_mentions` of the same mentions, rules and split forms,
    made earlier: only the analyst's merges, renames and types are applied to it. ``previous``, when
    given with ``keyed``, is the ``(mention_entities, entities)`` of the last resolution of those keyed
    mentions: the rows of the entities whose mentions kept their name and label are taken from it,
    not counted again (an analyst's edit touches a few entities of thousands).
    """
    rules = rules or load_rules()
    edits = edits or {}
    frame = keyed if keyed is not None else key_mentions(mentions, rules, split_forms(edits))
    if frame.empty:
        return _empty_mention_entities(), _empty_entities()
    return _named_entities(frame, rules, _entity_edits(edits), applied, previous if keyed is not None else None)


def _entity_edits(edits: dict) -> dict:
    """The entity part of the analyst's edits (given whole, or that part alone)."""
    return edits.get("entities", {}) if "entities" in edits else edits


def split_forms(edits: dict) -> frozenset[str]:
    """The folded forms the analyst split off their entity (each keys on itself)."""
    entity_edits = _entity_edits(edits)
    splits = {fold_words(form) for form in entity_edits.get("splits", [])}
    splits |= {fold_words(entry["form"]) for entry in entity_edits.get("log", []) if entry.get("kind") == "split"}
    return frozenset(splits)


KEYED_COLUMNS = ["article", "sent", "start", "end", "text", "label", "form", "key", "base", "locked", "name", "cluster_label"]


def key_mentions(mentions: pd.DataFrame, rules: EntityRules | None = None, splits: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The corpus's part of :func:`resolve_entities`: each kept mention with the key of its cluster
    (spelling, aliases, countries, fuzzy spellings, compass words and short names resolved), its
    own key (``base``), whether a split holds it (``locked``), and its cluster's display ``name`` and
    ``cluster_label``. It depends on the mentions, the rules and the split forms only, not on the
    analyst's merges, renames and types, so an edit of those starts from it (:data:`KEYED_COLUMNS`)."""
    rules = rules or load_rules()
    frame = _clean_mentions(mentions, rules)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in KEYED_COLUMNS})
    frame["key"] = _map_distinct(frame["form"], spelling_key)
    frame["base"] = frame["key"]  # each mention's own key, before any clustering: edits refer to these
    frame["locked"] = _map_distinct(frame["form"], lambda f: fold_words(f) in splits).astype(bool)

    # Step 2-3: clusters by spelling key (a split form keys on itself).
    frame.loc[frame["locked"], "key"] = "split:" + _map_distinct(frame.loc[frame["locked"], "form"], fold_words)
    alias_target = {k: spelling_key(v) for k, v in rules.aliases.items()}
    gazetteer_target = {k: spelling_key(entry["name"]) for k, entry in rules.gazetteer.items()}
    unlocked = ~frame["locked"]
    frame.loc[unlocked, "key"] = _map_distinct(frame.loc[unlocked, "key"], lambda k: gazetteer_target.get(k, alias_target.get(k, k)))
    # a country's names in other languages ("North Korea", "Nordkorea"): one place, never a person ("Chad", "Jordan")
    countries = {k: alias_target.get(v, v) for k, v in country_keys().items() if k not in gazetteer_target and k not in alias_target}
    placed = unlocked & (frame["label"] != "PER")
    frame.loc[placed, "key"] = _map_distinct(frame.loc[placed, "key"], lambda k: countries.get(k, k))

    labels = _cluster_labels(frame, rules)
    key_map = _fuzzy_merges(frame.loc[unlocked, "key"].unique().tolist(), labels, frame)
    frame.loc[unlocked, "key"] = _map_distinct(frame.loc[unlocked, "key"], lambda k: key_map.get(k, k))
    labels = _cluster_labels(frame, rules)

    frame = _expand_compass_places(frame, labels, rules.compass_words)
    labels = _cluster_labels(frame, rules)

    # Step 5: short person names.
    fixed = set(gazetteer_target.values()) | set(alias_target.values()) | set(gazetteer_target) | set(alias_target)
    fixed |= set(countries.values())  # a country's place ("Israel" read as a place) is no surname of "Steve Israel"
    frame = _expand_short_names(frame, labels, fixed)
    names, labels = _canonical_names(frame, rules), _cluster_labels(frame, rules)
    frame["name"] = _map_distinct(frame["key"], names.__getitem__)
    frame["cluster_label"] = _map_distinct(frame["key"], labels.__getitem__)
    return frame[KEYED_COLUMNS]


def _named_entities(frame: pd.DataFrame, rules: EntityRules, entity_edits: dict, applied: set[str] | None,
                    previous: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rest of :func:`resolve_entities`: display names, the analyst's edits, the entity table."""
    log = entity_edits.get("log", [])
    frame = frame.assign(entity=frame["name"], label=frame["cluster_label"])

    # Step 6: the analyst's merges and renames, by entity name.
    renames = dict(entity_edits.get("renames", {}))
    original_of = {new: old for old, new in renames.items()}
    merges = {original_of.get(s, s): original_of.get(t, t) for s, t in entity_edits.get("merges", {}).items()}
    for _ in range(len(merges) + 1 if merges else 0):  # follow chains a→b→c
        mapped = _map_distinct(frame["entity"], lambda e: merges.get(e, e))
        if mapped.equals(frame["entity"]):
            break
        frame["entity"] = mapped
    if merges:
        frame["label"] = _map_distinct(frame["entity"], _main_labels(frame).__getitem__)
    if renames:
        frame["entity"] = _map_distinct(frame["entity"], lambda e: renames.get(e, e))
    if log:
        frame = _apply_edit_log(frame, log, applied if applied is not None else set())

    # ``own``: the mention is its entity's own, not merged into it from another (what an edit records)
    frame["own"] = frame["own"].astype(bool) if "own" in frame.columns else True
    mention_entities = frame[["article", "sent", "start", "end", "text", "form", "entity", "label", "own"]].reset_index(drop=True)
    notes = {spelling_key(entry["name"]): entry.get("note") for entry in rules.gazetteer.values() if entry.get("note")}
    noted = frame[frame["key"].isin(notes).to_numpy()].drop_duplicates("key")
    note_by_entity = {name: notes[key] for key, name in zip(noted["key"].tolist(), noted["name"].tolist())}

    def note(name: str) -> str | None:
        return note_by_entity.get(renames.get(name, name)) or note_by_entity.get(name)

    touched = changed_entities(previous[0], mention_entities) if previous is not None else None
    if touched is None:
        entities = _entity_rows(frame.reset_index(drop=True), mention_entities, note)
    else:
        within = mention_entities["entity"].isin(touched).to_numpy()
        kept = previous[1][~previous[1]["name"].isin(touched)]
        fresh = _entity_rows(frame.reset_index(drop=True)[within], mention_entities[within], note)
        entities = pd.concat([kept, fresh], ignore_index=True)
    entities = entities.astype({c: "str" for c in ("name", "label", "forms", "note", "keys", "refs")})  # either way alike
    entities = entities.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)
    return mention_entities, entities


def changed_mentions(before: pd.DataFrame, after: pd.DataFrame) -> np.ndarray | None:
    """Which mentions have another entity, label or ownership (merged into their entity or not) in
    ``after`` than in ``before``, two resolutions of the same mentions row for row; None when the
    rows are not the same mentions, or ``before`` does not say which mentions were merged."""
    if len(before) != len(after) or "own" not in before.columns or not _same(before["start"], after["start"]).all() \
            or not _same(before["article"], after["article"]).all():
        return None
    return ~(_same(before["entity"], after["entity"]) & _same(before["label"], after["label"])
             & _same(before["own"], after["own"]))


def changed_entities(before: pd.DataFrame, after: pd.DataFrame) -> set[str] | None:
    """The entities, as named before or after, of the :func:`changed_mentions`."""
    changed = changed_mentions(before, after)
    if changed is None:
        return None
    return set(before["entity"][changed].tolist()) | set(after["entity"][changed].tolist())


def _same(first: pd.Series, second: pd.Series) -> np.ndarray:
    """Row by row, whether two columns hold the same value (compared in their own arrays, not as objects)."""
    return np.asarray(first.array == second.array, dtype=bool)


def _entity_rows(frame: pd.DataFrame, mention_entities: pd.DataFrame, note) -> pd.DataFrame:
    """One row per entity of ``mention_entities`` (``frame``: the same rows with their ``base`` keys
    and, after merges, whether each mention is the entity's ``own``), in no particular order."""
    pairs = frame[["entity", "base"]].drop_duplicates().sort_values(["entity", "base"])
    keys_of = {entity: json.dumps(keys, ensure_ascii=False) for entity, keys in _runs(pairs["entity"], pairs["base"])}
    # an edit of an entity holds on to its own mentions (not those merged into it), so that undoing
    # a merge leaves a later rename with the entity that bore the name
    owned = frame[frame["own"].astype(bool)] if "own" in frame.columns else frame
    owned = owned[owned.groupby("entity", sort=False).cumcount() < MENTION_REFS]
    owned = owned.iloc[np.argsort(pd.factorize(owned["entity"])[0], kind="stable")]  # by entity, in text order
    refs_of = {entity: json.dumps(refs) for entity, refs in _runs(
        owned["entity"], owned["article"].astype(str) + ":" + owned["start"].astype(str))}
    entities = (
        mention_entities.groupby("entity", sort=False)
        .agg(label=("label", "first"), mentions=("text", "size"), articles=("article", "nunique"))
        .reset_index()
        .rename(columns={"entity": "name"})
    )
    entities["forms"] = entities["name"].map(_surface_counts(mention_entities))
    entities["note"] = entities["name"].map(note)
    entities["keys"] = entities["name"].map(keys_of.get)
    entities["refs"] = entities["name"].map(refs_of.get)
    return entities


def _main_labels(frame: pd.DataFrame) -> dict[str, str]:
    """Each entity's most frequent label among its mentions (the first seen on a tie)."""
    counts = frame.groupby(["entity", "label"], sort=False, dropna=False).size().reset_index(name="count")
    counts = counts.sort_values("count", ascending=False, kind="stable").drop_duplicates("entity")
    return dict(zip(counts["entity"].tolist(), counts["label"].tolist()))


def _runs(groups: pd.Series, values: pd.Series) -> Iterator[tuple[object, list]]:
    """``(group, [values])`` for each run of equal ``groups`` (sorted or grouped beforehand)."""
    groups, values = groups.tolist(), values.tolist()
    start = 0
    for end in range(1, len(groups) + 1):
        if end == len(groups) or groups[end] != groups[start]:
            yield groups[start], values[start:end]
            start = end


MENTION_REFS = 100
"""How many of an entity's mentions ("article:start") an edit records to know it again."""


def entity_holding(named: dict, holdings, entity_of_ref: dict[str, str], current=lambda entity: entity) -> str | None:
    """The entity an edit means (``named``: the ``keys`` the entity had when the edit was made and
    ``refs``, its own mentions, not those merged into it): the one that now holds most of those
    mentions (the first recorded on a tie); when none of them is left (their
    articles replaced), the one whose mentions share the most of its spelling keys (ties: the most
    mentioned); None when nothing is left of it. ``holdings()`` gives each entity's spelling keys
    and mention count, asked for only in that second case."""
    votes: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for position, ref in enumerate(named.get("refs", ())):
        if ref in entity_of_ref:
            entity = current(entity_of_ref[ref])  # ``current``: where earlier merges moved it
            votes[entity] += 1
            first.setdefault(entity, position)
    if votes:
        return max(votes, key=lambda e: (votes[e], -first[e]))
    wanted = set(named.get("keys", ()))
    keys_of, mentions = holdings()
    best = None
    for entity, held in keys_of.items():
        shared = len(wanted & held)
        if shared and (best is None or (shared, mentions.get(entity, 0), entity) > best[0]):
            best = ((shared, mentions.get(entity, 0), entity), entity)
    return best[1] if best else None


class _Holdings:
    """Each entity's spelling keys and mention count, as the merges of an edit log so far leave them.
    Counted from the mentions only when first asked for: an edit finds its entities by their
    recorded mentions, and the keys serve only when all of those are gone."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._merges: list[tuple[str, str]] = []
        self._counted: tuple[dict[str, set[str]], dict[str, int]] | None = None

    def __call__(self) -> tuple[dict[str, set[str]], dict[str, int]]:
        if self._counted is None:
            pairs = self._frame[["entity", "base"]].drop_duplicates().sort_values("entity", kind="stable")
            self._counted = ({entity: set(keys) for entity, keys in _runs(pairs["entity"], pairs["base"])},
                             self._frame["entity"].value_counts().to_dict())
            for source, target in self._merges:
                self._fold(source, target)
        return self._counted

    def merge(self, source: str, target: str) -> None:
        if self._counted is None:
            self._merges.append((source, target))
        else:
            self._fold(source, target)

    def _fold(self, source: str, target: str) -> None:
        keys_of, mentions = self._counted
        keys_of[target] = keys_of[target] | keys_of.pop(source)
        mentions[target] = mentions.get(target, 0) + mentions.pop(source, 0)


def _apply_edit_log(frame: pd.DataFrame, log: list[dict], applied: set[str]) -> pd.DataFrame:
    """Apply the analyst's logged merges, renames and type changes, in order.

    Each edit names its entities by the mentions (and spelling keys) they held when it was made,
    not by their display names: a merge still folds the same people after a new article changes a
    canonical name, and renaming another entity to a name that was merged away re-targets nothing.
    Merges move the recorded mentions with them, so a later edit of the merged entity finds it.
    Each entity has one label here (its cluster's, or its main one after the older merges), so
    only the mentions of the entities an edit names are changed.
    """
    holdings = _Holdings(frame)
    wanted = {ref for entry in log for side in ("source", "target", "entity") for ref in entry.get(side, {}).get("refs", ())}
    entity_of_ref: dict[str, str] = {}
    if wanted:
        articles = {ref.rsplit(":", 1)[0] for ref in wanted}
        near = frame[frame["article"].isin(articles)]
        refs = near["article"].astype(str) + ":" + near["start"].astype(str)
        entity_of_ref = {r: e for r, e in zip(refs.tolist(), near["entity"].tolist()) if r in wanted}
    into: dict[str, str] = {}
    names: dict[str, str] = {}
    labels: dict[str, str] = {}

    def current(entity: str) -> str:
        while entity in into:
            entity = into[entity]
        return entity

    for entry in log:
        kind = entry.get("kind")
        if kind == "merge":
            source = entity_holding(entry["source"], holdings, entity_of_ref, current)
            target = entity_holding(entry["target"], holdings, entity_of_ref, current)
            if source is None or target is None or current(source) == current(target):
                continue
            source, target = current(source), current(target)
            into[source] = target
            holdings.merge(source, target)
            names.pop(source, None)
            labels.pop(source, None)
            applied.add(entry["id"])
        elif kind in ("rename", "label"):
            entity = entity_holding(entry["entity"], holdings, entity_of_ref, current)
            if entity is None:
                continue
            (names if kind == "rename" else labels)[current(entity)] = entry["name" if kind == "rename" else "label"]
            applied.add(entry["id"])
        elif kind == "split":
            applied.add(entry["id"])
    if into:
        moved = frame["entity"].isin(set(into)).to_numpy()
        frame["own"] = ~moved  # mentions of an entity merged into another
        frame["entity"] = _replaced(frame["entity"], moved, current)
        targets = {current(entity) for entity in into.values()}
        merged = frame["entity"].isin(targets).to_numpy()
        frame["label"] = _replaced(frame["label"], merged, _main_labels(frame[merged]).__getitem__, frame["entity"])
    if labels:
        frame["label"] = _replaced(frame["label"], frame["entity"].isin(set(labels)).to_numpy(), labels.__getitem__, frame["entity"])
    if names:
        taken = set(frame["entity"].unique()) - set(names)
        shown = {}
        for entity, name in names.items():
            shown[entity] = name if name not in taken else f"{name} ({entity})"  # a name another entity took since
            taken.add(shown[entity])
        frame["entity"] = _replaced(frame["entity"], frame["entity"].isin(set(shown)).to_numpy(), shown.__getitem__)
    return frame


def _replaced(column: pd.Series, rows: np.ndarray, function, by: pd.Series | None = None) -> pd.Series:
    """``column`` with its ``rows`` set to ``function`` of their value in ``by`` (``column`` itself
    by default), computed once per distinct value: an edit changes a few entities' mentions."""
    if not rows.any():
        return column
    out = column.copy()
    out[rows] = _map_distinct((by if by is not None else column)[rows], function).to_numpy(dtype=object)
    return out


def _empty_mention_entities() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in [
        ("article", "object"), ("sent", "int32"), ("start", "int32"), ("end", "int32"),
        ("text", "object"), ("form", "object"), ("entity", "object"), ("label", "object"), ("own", "bool")]})


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
        ("forms", "object"), ("note", "object"), ("keys", "object"), ("refs", "object")]})


def _map_distinct(values: pd.Series, function) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value
    (a corpus has a few thousand names among hundreds of thousands of mentions)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)  # a missing value is mapped too, as map() does
    results = [function(value) for value in (distinct.tolist() if hasattr(distinct, "tolist") else distinct)]
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
    # "Libyan General Khalifa Haftar", "Russian Defense Minister Sergei Shoigu": a title inside a span
    # of another label is followed by a person's name
    titled = [_after_title(text, rules) if isinstance(text, str) and label != "PER" else None for text, label in distinct]
    written = distinct
    if any(titled):
        distinct = [(name, "PER") if name else pair for name, pair in zip(titled, distinct)]
        relabelled = np.array([name is not None for name in titled], dtype=bool)[codes]
        mentions = mentions.assign(label=np.where(relabelled, "PER", mentions["label"].astype(object)))
    forms = [clean_name(text, label, rules) for text, label in distinct]
    # "La Russie" at the start of a sentence is "Russie", seen elsewhere on its own; "Le Pen",
    # "Le Caire" and "N'Djamena" keep their article, as no name is seen without it
    alone = {spelling_key(f) for f in forms if f is not None and without_leading_article(f) is None}
    forms = [
        rest if f is not None and (rest := without_leading_article(f)) is not None and spelling_key(rest) in alone else f
        for f in forms
    ]
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
    frame = _trimmed_to_form(frame, codes[kept], written, forms, rules)
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


def _after_title(text: str, rules: EntityRules) -> str | None:
    """The words after the last function title of a mention, when they are capitalised (a name)."""
    words = list(re.finditer(r"\S+", text))
    for position in range(len(words) - 2, -1, -1):
        if fold_words(words[position].group()) in rules.title_words:
            rest = words[position + 1:]
            if all(w.group()[:1].isupper() for w in rest):
                return text[rest[0].start():rest[-1].end()]
            return None
    return None


WRITTEN_HONORIFICS = frozenset({"m.", "m", "mme", "mme.", "mlle", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."})
"""Honorifics that stay in a mention's text (the press's "M. Poutine"); titles and "SE" do not."""


def _trimmed_to_form(frame: pd.DataFrame, codes: np.ndarray, distinct: list[tuple], forms: list, rules: EntityRules) -> pd.DataFrame:
    """Each mention's text and offsets narrowed to the name it stands for: a title, "SE" or a word
    the recogniser ran in is not part of it ("SE Issa Konfourou" is "Issa Konfourou"); an honorific
    of the "M." family stays ("M. Poutine"), as the press writes it."""
    cut = []  # per distinct (text, label): characters dropped at the start and kept in all
    for (text, _), form in zip(distinct, forms):
        at = text.find(form) if isinstance(text, str) and form else -1
        if at <= 0 and (at < 0 or len(form) == len(text)):
            cut.append(None)
            continue
        if fold_words(text[:at].strip()) in WRITTEN_HONORIFICS:
            at = 0
        cut.append((at, text.find(form) + len(form) - at))
    if all(c is None for c in cut):
        return frame
    starts = frame["start"].to_numpy().copy()
    ends = frame["end"].to_numpy().copy()
    texts = frame["text"].astype(object).to_numpy().copy()
    for row, code in enumerate(codes.tolist()):
        if cut[code] is not None:
            offset, length = cut[code]
            texts[row] = texts[row][offset:offset + length]
            starts[row] += offset
            ends[row] = starts[row] + length
    return frame.assign(start=starts.astype(frame["start"].dtype), end=ends.astype(frame["end"].dtype), text=texts)


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
    # labels in their order of first appearance in each cluster: the first wins a full tie
    counts = frame.groupby(["key", "label"], sort=False, dropna=False).size().reset_index(name="count")
    counts["priority"] = counts["label"].map(LABEL_PRIORITY).fillna(9)
    counts["count"] = -counts["count"]
    best = counts.sort_values(["count", "priority"], kind="stable").drop_duplicates("key")
    best = dict(zip(best["key"].tolist(), best["label"].tolist()))
    return {key: gazetteer_labels.get(key, best[key]) for key in sorted(best)}


def _fuzzy_merges(keys: list[str], labels: dict[str, str], frame: pd.DataFrame) -> dict[str, str]:
    """Map keys that differ from a more frequent key of the same label in one word's spelling
    ("Mantourov" / "Mantrurov", "Dimitry" / "Dmitri", the typo "Uktin" / "Utkin"), or only by
    joining the words of a compound ("Abdel-Fattah" / "Abdelfattah").

    Keys are compared within blocks (label, the other words, the first letter of the
    differing word), so the work grows with the corpus. Feminine forms ("Peskova",
    "Peskov") are never merged.
    """
    counts = frame["key"].value_counts().to_dict()
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while key in parent:
            key = parent[key]
        return key

    def ranked(members):
        return sorted(set(members), key=lambda k: (-counts.get(k, 0), k))

    compact: dict[tuple, list[str]] = defaultdict(list)
    for key in keys:
        compact[(labels.get(key), key.replace(" ", ""))].append(key)
    for members in compact.values():
        members = ranked(members)
        for key in members[1:]:
            if find(key) != find(members[0]):
                parent[find(key)] = find(members[0])

    blocks: dict[tuple, list[str]] = defaultdict(list)
    for key in keys:
        tokens = key.split()
        for position, token in enumerate(tokens):
            if len(token) >= FUZZY_MIN_CHARS - 1:
                rest = tuple(tokens[:position] + ["*"] + tokens[position + 1:])
                blocks[(labels.get(key), rest, token[0])].append((key, position))

    def attach(members: list[str], position: int) -> None:
        """Each key to the first more frequent key of its block spelt alike."""
        for index, key in enumerate(members):
            word = key.split()[position]
            for other in members[:index]:
                other_word = other.split()[position]
                if find(key) != find(other) and same_word_spelt_differently(word, other_word):
                    parent[find(key)] = find(other)
                    break

    for members in blocks.values():
        if len(members) < 2:
            continue
        position = members[0][1]
        members = ranked(k for k, _ in members)
        if len(members) <= FUZZY_BLOCK:
            attach(members, position)
    return {key: find(key) for key in keys if find(key) != key}


FUZZY_BLOCK = 200
"""The most keys compared pair by pair in one block of :func:`_fuzzy_merges`. A larger block is
left alone: thousands of surnames under one initial hold many different people a letter apart.
Measured on the generated names of ``bench/names.py`` (blocks of 6,000 at 32,000 articles),
comparing such blocks within finer ones (same first or last three letters) changed the entity
of 7 % of the mentions, mostly by joining different names. Within an article, a surname still
finds its full name (:func:`_close_surname`). This also bounds the work per block."""


def same_word_spelt_differently(word: str, other: str) -> bool:
    """Two keyed words that are one word written two ways: close spellings of six letters or more,
    or two letters swapped (a typo). Never a feminine form of the other."""
    if min(len(word), len(other)) >= FUZZY_MIN_CHARS and Indel.normalized_similarity(word, other) >= FUZZY_MIN_RATIO:
        alike = True
    elif len(word) == len(other) >= FUZZY_MIN_CHARS and _skeleton(word) == _skeleton(other):
        alike = True  # vowels rendered differently: "Haftar", "Hifter", "Hafter"
    else:
        alike = len(word) == len(other) >= 5 and sorted(word) == sorted(other) and OSA.distance(word, other) == 1
    return alike and not feminine_pair(word, other)


def _skeleton(word: str) -> str:
    """A word's consonants, with a mark where each vowel stands: "haftar" and "hifter" are "h.ft.r"."""
    return _VOWEL.sub(".", word)


_VOWEL = re.compile(r"[aeiou]")


def _expand_compass_places(frame: pd.DataFrame, labels: dict[str, str], compass: frozenset[str]) -> pd.DataFrame:
    """Point a place written as a point of the compass ("le Nord", "the South") at the one
    place of its article named with that word ("Corée du Nord", "South Sudan"). When the
    article names none or several ("Afrique du Nord" beside "Corée du Nord"), it stays
    itself."""
    alone = frame["key"].isin(compass) & (frame["label"] == "LOC")
    if not alone.any():
        return frame
    places = [k for k, label in labels.items() if label == "LOC" and k not in compass]
    named = frame[frame["key"].isin(places) & frame["article"].isin(frame.loc[alone, "article"])]
    in_article: dict[tuple, set[str]] = defaultdict(set)
    # the words as written count, and those of the place's key ("South Sudan" is keyed as "Soudan du Sud")
    for article, key, base in zip(named["article"].tolist(), named["key"].tolist(), named["base"].tolist()):
        for word in (set(key.split()) | set(base.split())) & compass:
            in_article[article, word].add(key)
    rows = np.flatnonzero(alone.to_numpy())
    keys = frame["key"].to_numpy(dtype=object).copy()
    for row, article, word in zip(rows, frame["article"].to_numpy()[rows], keys[rows]):
        found = in_article.get((article, word), ())
        if len(found) == 1:
            keys[row] = next(iter(found))
    return frame.assign(key=keys)


def _expand_short_names(frame: pd.DataFrame, labels: dict[str, str], fixed: set[str] = frozenset()) -> pd.DataFrame:
    """Point short names at the full person name they abbreviate.

    A key abbreviates a longer person's key when its words are the first or last
    words of it ("Kim" of "Kim Jong Un", "Lavrov" of "Sergueï Lavrov"), or when it
    is an initial and the rest ("E. Prigozhin" of "Evgeny Prigozhin"). A lone
    surname the model labelled LOC, ORG or MISC ("Lavrov a déclaré") is the person
    too when the article names that person in full, and elsewhere when its mentions
    read as a person the model keeps misreading (a place once tagged a person stays a
    place). In each article the full name it names most wins; else the
    corpus's, when one full name dominates (twice as frequent as the next). A
    surname spelt a little differently from the surname of a full name of its own
    article ("Yovkyurv" beside "Yunus Bek Yevkyurv") is that person. Keys fixed by
    the gazetteer or an alias ("Washington") and split forms are left alone.

    Full names are indexed by their first and last words, so the work grows with
    the number of names, not its square.
    """
    people = [k for k, label in labels.items() if label == "PER" and not k.startswith("split:")]
    by_tail: dict[tuple, list[str]] = defaultdict(list)
    by_head: dict[tuple, list[str]] = defaultdict(list)
    for key in people:
        tokens = tuple(key.split())
        for n in range(1, len(tokens)):
            by_tail[tokens[-n:]].append(key)
            by_head[tokens[:n]].append(key)
    longer_of: dict[str, list[str]] = {}
    for key, label in labels.items():
        if key.startswith("split:") or key in fixed:
            continue
        tokens = tuple(key.split())
        candidates = list(by_tail.get(tokens, ()))
        if label == "PER":
            candidates += by_head.get(tokens, ())
        if len(tokens) >= 2 and len(tokens[0]) == 1:  # an initial
            candidates += [c for c in by_tail.get(tokens[1:], ()) if len(c.split()) == len(tokens) and c[0] == tokens[0] and c != key]
        if candidates:
            candidates = list(dict.fromkeys(candidates))
            if len(tokens) > 1:
                longest = max(len(c.split()) for c in candidates)
                candidates = [c for c in candidates if len(c.split()) == longest]
            longer_of[key] = candidates
    counts = frame["key"].value_counts()
    label_counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (key, label), count in frame.groupby(["key", "label"], dropna=True).size().items():
        label_counts[key][label] = count
    corpus_choice = {}
    named_in_article = {key: list(candidates) for key, candidates in longer_of.items()}  # any longer form counts there
    for key, candidates in longer_of.items():
        # only full names that are not themselves abbreviations of something longer
        full = [c for c in candidates if c not in longer_of] or candidates
        ranked = sorted(full, key=lambda c: (-counts.get(c, 0), c))
        corpus_wide = labels.get(key) == "PER" or _mostly_misread_person(label_counts.get(key, {}))
        if corpus_wide and (len(ranked) == 1 or counts.get(ranked[0], 0) >= 2 * counts.get(ranked[1], 0)):
            corpus_choice[key] = ranked[0]
        longer_of[key] = full
    full_names = {c for candidates in named_in_article.values() for c in candidates} | {k for k in people if len(k.split()) > 1}
    of_full_names = frame[frame["key"].isin(full_names)]
    per_article = of_full_names.groupby(["article", "key"]).size().to_dict()
    surnames_in: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # article: last word: full keys
    for article, key in per_article:
        surnames_in[article][key.split()[-1]].add(key)

    def choose(article: str, key: str) -> str:
        chosen = _choose(article, key)
        for _ in range(3):  # "E. Prigozhin" -> "Evgeny Prigozhin" -> a longer form of it
            if chosen == key or chosen not in longer_of:
                break
            key, chosen = chosen, _choose(article, chosen)
        return chosen

    def _choose(article: str, key: str) -> str:
        candidates = named_in_article.get(key)
        if not candidates:
            return _close_surname(surnames_in.get(article, {}), key, loose=labels.get(key) == "PER") or key
        local = sorted(((per_article.get((article, c), 0), c) for c in candidates), reverse=True)
        if local[0][0] > 0 and (len(local) == 1 or local[0][0] > local[1][0]):
            return local[0][1]
        return corpus_choice.get(key, key)

    people_short = {k for k, label in labels.items() if " " not in k and not k.startswith("split:") and k not in fixed}
    frame = frame.copy()
    mask = (frame["key"].isin(longer_of.keys()) | frame["key"].isin(people_short)) & ~frame["locked"]
    chosen: dict[tuple[str, str], str] = {}
    frame.loc[mask, "key"] = [
        chosen[(a, k)] if (a, k) in chosen else chosen.setdefault((a, k), choose(a, k))
        for a, k in zip(frame.loc[mask, "article"].tolist(), frame.loc[mask, "key"].tolist())
    ]
    return frame


def _mostly_misread_person(labels: dict[str, int]) -> bool:
    """Whether the labels of a name's mentions read as a person the model keeps misreading (a third
    of them PER, or the others scattered over two labels) rather than as a place or organisation
    sometimes taken for a person ("Jordan": LOC four times, PER once)."""
    total = sum(labels.values())
    if not total or "PER" not in labels:
        return False
    others = {label for label in labels if label != "PER"}
    return labels["PER"] * 3 >= total or len(others) >= 2


def _close_surname(surnames: dict[str, set[str]], key: str, loose: bool) -> str | None:
    """The one full name of an article whose last word is ``key`` (a single word) spelt a little
    differently, if there is exactly one; ``loose`` (for a word labelled a person) also accepts
    spellings four fifths alike."""
    if " " in key or len(key) < 5 or not surnames:
        return None
    close = {full for surname, fulls in surnames.items() if surname != key
             and (same_word_spelt_differently(surname, key)
                  or loose and Indel.normalized_similarity(surname, key) >= 0.8 and not feminine_pair(surname, key))
             for full in fulls}
    return next(iter(close)) if len(close) == 1 else None


def _has_initial(form: str) -> bool:
    return any(len(word.rstrip(".")) == 1 for word in form.split())


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
        # the most frequent form of two words or more (a stray longer form, "Transition Assimi Goïta",
        # loses to "Assimi Goïta"), more words first on ties, capitals and hyphens last
        forms = counts[key]
        full = {f: c for f, c in forms.items() if len(f.split()) >= 2} or forms
        names[key] = min(full, key=lambda f: (-full[f], -len(f.split()), _has_initial(f), f.isupper(), "-" in f, -len(f), f))
    # two clusters may share a display name (e.g. a split form): keep them apart
    seen: dict[str, str] = {}
    for key, name in sorted(names.items()):
        if name in seen and seen[name] != key:
            names[key] = f"{name} ({key.removeprefix('split:')})"
        seen.setdefault(name, key)
    return names

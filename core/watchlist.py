"""Watchlist screening: the analyst's lists of names (sanctions lists, persons of interest) matched
against the corpus's canonical entities.

Three formats are read as they come, told apart by their header:

- **OpenSanctions** ``targets.simple.csv`` (``id, schema, name, aliases, …, sanctions, …, dataset``):
  aliases, countries and datasets are ``;``-separated; ``schema`` says a person from an organisation.
- **UN Security Council consolidated list** as CSV (the XML's fields as columns: ``DATAID``,
  ``FIRST_NAME`` … ``FOURTH_NAME``, ``UN_LIST_TYPE``, ``REFERENCE_NUMBER``, ``NATIONALITY``, alias
  columns such as ``INDIVIDUAL_ALIAS_NAME`` or ``ALIAS_NAME``); a flattening that gives one row per
  alias is folded back into one entry per reference number.
- **A plain CSV** with a ``name`` column and, optionally, ``aliases`` (``;``-separated), ``id``,
  ``list`` (or ``programme``), ``country`` and ``type``.

Matching. Names are compared on the spelling keys of entity resolution (case, accents and the
French/English/German transliterations folded: "Evgueni Prigojine" = "Yevgeny Prigozhin"), word by
word. An entity matches a listed name or alias when

- their words are the same (score 1.0; 0.95 in another order: "KIM Jong Un" and "Jong Un Kim",
  found when the surname moved from one end to the other), or
- the entity's first and last words are the listed name's and its other words are among the listed
  ones in order: a patronymic or middle name left out ("Sergueï Choïgou" = "Sergei Kuzhugetovich
  Shoigu", 0.9, less for each further word left out; a surname in capitals is read as the last word,
  "PUTIN Vladimir Vladimirovich"); with every word there, the surname may also come first in the text;
- a word may be spelt differently (six letters or more, close spellings: the rule entity
  resolution merges by), which multiplies the score by the words' similarity; a feminine form is
  never the masculine one ("Peskova" is not "Peskov"). Names are compared when one of their end words
  is the same after folding and the other starts alike (see :func:`_ends`), so that the work grows
  with the corpus and the list ("Michail Chodorkowski" and "Mikhail Khodorkovsky", both ends spelt
  differently, are not compared).

A name of one word matches only a one-word name of an organisation (four letters or more): a
surname alone never matches a person, listed in full or not. A listed person is matched against
people only; an organisation, vessel or other body against everything but people. The analyst
confirms or rejects each match; the decision is kept in the store's edits, keyed by the listed
entry and the spelling of the entity's form, so it survives re-ingestion, merges and renames.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.entities import same_word_spelt_differently, spelling_key
from core.folding import fold_words
from core.readers import InputError, decode_bytes

PERSON, BODY, UNKNOWN = "person", "organisation", "unknown"
PENDING, CONFIRMED, REJECTED = "to review", "confirmed", "rejected"
STATUSES = (PENDING, CONFIRMED, REJECTED)
MIN_SCORE = 0.8
MAX_WATCHLIST_BYTES = 500_000_000

ENTRY_COLUMNS = ["list", "entry", "list_id", "name", "aliases", "kind", "keys", "programme", "country", "format"]
MATCH_COLUMNS = ["entity", "label", "entry", "list", "list_id", "listed_name", "matched", "form", "score", "status",
                 "kind", "programme", "country"]

_OPENSANCTIONS_PERSON = {"person"}
_GENERIC_FIELDS = {
    "name": ("name", "full_name", "fullname", "primary_name", "listed_name", "nom", "entity_name"),
    "aliases": ("aliases", "alias", "aka", "other_names", "alternative_names"),
    "id": ("id", "list_id", "uid", "reference_number", "entity_id", "identifier"),
    "programme": ("list", "programme", "program", "programs", "programmes", "list_name", "regime", "sanctions"),
    "country": ("country", "countries", "nationality", "nationalities", "pays"),
    "kind": ("type", "schema", "entity_type", "kind", "category"),
}
_PERSON_WORDS = {"person", "individual", "individu", "personne", "people", "natural person", "i", "p"}
_BODY_WORDS = {"organization", "organisation", "company", "entity", "legalentity", "legal entity", "vessel",
               "airplane", "aircraft", "ship", "publicbody", "public body", "e", "o"}


@dataclass
class WatchlistRead:
    """What a file gave: its entries (one row each) and the rows that could not be used, with why."""

    format: str
    entries: pd.DataFrame
    problems: list[str] = field(default_factory=list)


# Reading ------------------------------------------------------------------------

def read_watchlist(data: bytes, list_name: str) -> WatchlistRead:
    """Parse a watchlist file's bytes; raises :class:`InputError` when no entry can be read at all."""
    if len(data) > MAX_WATCHLIST_BYTES:
        raise InputError(f"the list is {len(data):,} bytes, more than the {MAX_WATCHLIST_BYTES:,} accepted")
    text, _, _ = decode_bytes(data)
    try:  # the separator is the header's: comma, semicolon (spreadsheets in French), tab or bar
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty") from None
    except csv.Error as error:
        raise InputError(f"not a CSV file: {error}") from None
    folded = [column.strip().lstrip("\ufeff").strip('"').casefold() for column in header]
    if {"id", "schema", "name", "aliases"} <= set(folded):
        parse, kind = _opensanctions_entry, "opensanctions"
    elif "first_name" in folded and {"reference_number", "dataid", "un_list_type"} & set(folded):
        parse, kind = _un_entry, "un"
    elif any(name in folded for name in _GENERIC_FIELDS["name"]):
        parse, kind = _generic_entry, "csv"
    else:
        raise InputError("no name column: a watchlist needs a column 'name' (or OpenSanctions' targets.simple.csv "
                         "or the UN consolidated list's FIRST_NAME columns)")
    entries: dict[str, dict] = {}
    problems: list[str] = []
    line = 1  # the row's number, the header's being 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"line {reader.line_num}: {error}")
            continue
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(folded):
            problems.append(f"row {line}: {len(row)} cells for {len(folded)} columns (a separator inside a name "
                            "that is not quoted?)")
            continue
        record = {folded[i]: (row[i].strip() if i < len(row) else "") for i in range(len(folded))}
        entry = parse(record)
        if entry is None or not _tokens(entry["name"]):
            problems.append(f"row {line}: no name")
            continue
        # an entry without an id is known by its name's spelling, so that a list added again with a row
        # more keeps the decisions on the others
        key = entry["list_id"] or f"name {spelling_key(entry['name'])}"
        if key in entries:
            if kind == "un" or not entry["list_id"]:  # the UN list flattened one row per alias; a name listed twice
                known = entries[key]
                known["aliases"] = _unique(known["aliases"] + [entry["name"]] + entry["aliases"], known["name"])
                continue
            problems.append(f"row {line}: id {entry['list_id']} used by an earlier row; kept as an entry of its own")
            key = f"{key} (row {line})"
        entry["aliases"] = _unique(entry["aliases"], entry["name"])
        entries[key] = entry
    if not entries:
        raise InputError("no entry with a name: " + ("; ".join(problems[:3]) if problems else "the file has a header only"))
    rows = [{"list": list_name, "entry": f"{list_name}:{key}", "list_id": entry["list_id"] or None, "name": entry["name"],
             "aliases": json.dumps(entry["aliases"], ensure_ascii=False), "kind": entry["kind"],
             "keys": json.dumps(listed_keys(entry["name"], entry["aliases"], entry["kind"]), ensure_ascii=False),
             "programme": entry["programme"] or None, "country": entry["country"] or None, "format": kind}
            for key, entry in entries.items()]
    return WatchlistRead(kind, pd.DataFrame(rows, columns=ENTRY_COLUMNS), problems)


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", value or "") if part.strip()]


def _unique(names: list[str], primary: str) -> list[str]:
    """The aliases once each (by their folded spelling: other spellings stay, to say which one matched)."""
    seen = {fold_words(primary)}
    kept = []
    for name in names:
        key = fold_words(name)
        if _tokens(name) and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def _kind(value: str) -> str:
    value = (value or "").strip().casefold()
    if value in _PERSON_WORDS:
        return PERSON
    if value in _BODY_WORDS:
        return BODY
    return UNKNOWN


def _opensanctions_entry(record: dict) -> dict | None:
    schema = record.get("schema", "")
    programme = "; ".join(_split(record.get("dataset", "")) or _split(record.get("sanctions", "")))
    return {"list_id": record.get("id", ""), "name": record.get("name", ""), "aliases": _split(record.get("aliases", "")),
            "kind": PERSON if schema.casefold() in _OPENSANCTIONS_PERSON else (BODY if schema else UNKNOWN),
            "programme": programme, "country": "; ".join(_split(record.get("countries", "")))}


def _un_entry(record: dict) -> dict | None:
    parts = [record.get(f"{n}_name", "") for n in ("first", "second", "third", "fourth")]
    name = " ".join(part for part in parts if part)
    aliases = []
    for column, value in record.items():
        if "alias" in column and ("name" in column or column.endswith("alias")):
            aliases.extend(_split(value))
    datatype = record.get("datatype", "") or record.get("type", "")
    if datatype:
        kind = _kind(datatype)
    elif any(parts[1:]) or any(value for column, value in record.items()
                               if column.startswith(("individual_", "birth", "date_of_birth", "gender")) and value):
        kind = PERSON
    else:
        kind = UNKNOWN
    country = record.get("nationality", "") or record.get("nationality_value", "")
    return {"list_id": record.get("reference_number", "") or record.get("dataid", ""), "name": name, "aliases": aliases,
            "kind": kind, "programme": " ".join(filter(None, ["UN", record.get("un_list_type", "")])),
            "country": "; ".join(_split(country))}


def _generic_entry(record: dict) -> dict | None:
    def value(field_name: str) -> str:
        for column in _GENERIC_FIELDS[field_name]:
            if record.get(column):
                return record[column]
        return ""

    return {"list_id": value("id"), "name": value("name"), "aliases": _split(value("aliases")),
            "kind": _kind(value("kind")), "programme": value("programme"), "country": "; ".join(_split(value("country")))}


# Matching -------------------------------------------------------------------------

_PARENTHESES = re.compile(r"\(([^)]*)\)")


def _variants(name: str, kind: str) -> list[str]:
    """The names a listed name stands for: itself without brackets, what the brackets hold (an
    acronym, "Korea Mining Development Trading Corporation (KOMID)"), a surname in capitals moved to
    the end ("PUTIN Vladimir Vladimirovich"), and "SURNAME, Given" turned round."""
    inside = [part.strip() for part in _PARENTHESES.findall(name) if part.strip()]
    bare = " ".join(_PARENTHESES.sub(" ", name).split())
    variants = [bare] + inside
    words = bare.split()
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if kind != BODY and capitals and len(capitals) < len(words) and words[-len(capitals):] != capitals:
        # "PUTIN Vladimir Vladimirovich": the surname in capitals, moved to the end as the press writes it
        variants.append(" ".join([w for w in words if w not in capitals] + capitals))
    if kind != BODY and bare.count(",") == 1:
        surname, given = (part.strip() for part in bare.split(","))
        if surname and given and len(surname.split()) <= 2 and not re.search(r"\d", bare):
            variants.append(f"{given} {surname}")
    return variants


def _tokens(name: str) -> list[str]:
    return list(_key_words(name))


def _key_words(name: str) -> tuple[str, ...]:
    return _words_of_key(spelling_key(name))


@lru_cache(maxsize=500_000)
def _words_of_key(key: str) -> tuple[str, ...]:
    """A spelling key's words, without the punctuation it keeps ("(komid)" is "komid")."""
    return tuple(re.sub(r"[^\w\s]", " ", key).split())


@lru_cache(maxsize=500_000)
def _word_similarity(word: str, other: str) -> float:
    if word == other:
        return 1.0
    if min(len(word), len(other)) < 5 or abs(len(word) - len(other)) > 2 or not same_word_spelt_differently(word, other):
        return 0.0  # (same_word_spelt_differently never takes a feminine form for the masculine)
    from rapidfuzz.distance import Indel

    return max(Indel.normalized_similarity(word, other), 0.85)


def compare(entity: list[str], listed: list[str], listed_kind: str, entity_label: str | None = None) -> float:
    """How well an entity's name (its key words) matches a listed name's; 0 for no match."""
    if len(entity) == 1 or len(listed) == 1:  # one word: an organisation's name, never a person's
        one_word = len(entity) == len(listed) == 1 and entity == listed and len(entity[0]) >= 4
        return 1.0 if one_word and listed_kind != PERSON and entity_label != "PER" else 0.0
    if entity == listed:
        return 1.0
    if sorted(entity) == sorted(listed):
        return 0.95
    if len(entity) > len(listed):
        return 0.0
    best = 0.0
    left_out = len(listed) - len(entity)
    orders = [(entity, listed, 1.0)]
    if not left_out:  # the surname first in the list or in the text, all words there: "Mantourov Denis"
        orders += [(entity, listed[1:] + listed[:1], 0.97), (entity[1:] + entity[:1], listed, 0.97)]
    for words, order, factor in orders:
        score = _aligned(words, order)
        if score:
            best = max(best, score * factor * (1.0 if not left_out else 0.9 - 0.05 * (left_out - 1)))
    return best


def _aligned(entity: list[str], listed: list[str]) -> float:
    """The product of word similarities when the entity's first and last words are the listed name's
    and its middle words appear in order among the listed middle ones; 0 otherwise."""
    score = _word_similarity(entity[0], listed[0]) * _word_similarity(entity[-1], listed[-1])
    if not score:
        return 0.0
    position = 1
    for word in entity[1:-1]:
        while position < len(listed) - 1 and not _word_similarity(word, listed[position]):
            position += 1
        if position >= len(listed) - 1:
            return 0.0
        score *= _word_similarity(word, listed[position])
        position += 1
    return score


def _entity_keys(row) -> list[str]:
    """An entity's spelling keys: its name's and its forms' (the entity table keeps the forms' keys)."""
    keys = [spelling_key(row.name)]
    stored = getattr(row, "keys", None)
    if isinstance(stored, str):
        keys += json.loads(stored)
    else:
        keys += [spelling_key(form) for form in json.loads(row.forms or "{}")]
    return list(dict.fromkeys(key for key in keys if key))


def _form_with_key(row, key: str) -> str:
    """The entity's most frequent form written with this key (the name itself if none is)."""
    for form in [row.name] + list(json.loads(row.forms or "{}")):
        if spelling_key(form) == key:
            return form
    return row.name


def listed_keys(name: str, aliases: list[str], kind: str) -> list[list[str]]:
    """Each spelling of a listed entry with the key it is matched by (kept with the list, so that
    matching after every edit does not key the whole list again)."""
    pairs = []
    for spelling in [name] + aliases:
        for variant in _variants(spelling, kind):
            words = _tokens(variant)
            if words:
                pairs.append([spelling, " ".join(words)])
    return pairs


BLOCK_PREFIX = 3
_LOOSE = (("kh", "h"), ("ch", "h"), ("ck", "k"), ("c", "k"), ("q", "k"), ("j", "i"), ("x", "ks"))


@lru_cache(maxsize=500_000)
def _prefix(word: str) -> str:
    """The first letters of a keyed word, with the spellings that transliterations still leave apart
    folded ("michail" and "mihail", "chodorkovski" and "hodorkovski" start alike)."""
    for written, sound in _LOOSE:
        word = word.replace(written, sound)
    return word[:BLOCK_PREFIX]


def _ends(first: str, last: str) -> tuple[tuple, tuple]:
    """Blocks of a name by its end words: one spelt exactly, the other by its first letters only (a
    matching name has both ends, one of them perhaps spelt differently after them). Both ends, so that
    a common given name or surname does not make a block of thousands."""
    return ("first", first, _prefix(last)), ("last", last, _prefix(first))


def _blocks(words: list[str]) -> set[tuple]:
    """The blocks a name is filed under and looked up in: its ends with the given name first, and with
    the surname first (the first word moved last)."""
    if len(words) == 1:
        return {("one", words[0])}
    return {*_ends(words[0], words[-1]), *_ends(words[1], words[0])}


def _compatible(label: str, kind: str) -> bool:
    if kind == PERSON:
        return label == "PER"
    if kind == BODY:
        return label != "PER"
    return True


def match_entities(entities: pd.DataFrame | None, entries: pd.DataFrame | None, decisions: list[dict] | None = None) -> pd.DataFrame:
    """Every (entity, listed entry) pair whose names match with at least ``MIN_SCORE``: the best
    score over the entity's forms and the entry's name and aliases, with the alias and the form
    that gave it, and the analyst's decision."""
    if entities is None or entries is None or entities.empty or entries.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else object) for c in MATCH_COLUMNS})
    names: list[tuple[list[str], str, int]] = []  # (key words, the listed spelling, entry row)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    entry_rows = entries.reset_index(drop=True)
    kinds = entry_rows["kind"].tolist()
    stored = entry_rows["keys"] if "keys" in entry_rows.columns else [None] * len(entry_rows)
    for index, (row, keys) in enumerate(zip(entry_rows.itertuples(index=False), stored)):
        pairs = json.loads(keys) if isinstance(keys, str) else listed_keys(row.name, json.loads(row.aliases or "[]"), row.kind)
        for spelling, key in pairs:
            words = key.split()
            names.append((words, spelling, index))
            for block in _blocks(words):
                blocks[block].append(len(names) - 1)
    decided = _decisions_index(decisions or [])
    best: dict[tuple[int, int], tuple[float, str, str]] = {}  # (entity row, entry row) -> score, spelling, entity key
    keys_of: dict[int, list[str]] = {}
    rows_of_entities = list(entities.itertuples(index=False))
    for position, entity in enumerate(rows_of_entities):
        keys_of[position] = _entity_keys(entity)
        for key in keys_of[position]:
            words = list(_words_of_key(key))
            if not words:
                continue
            for candidate in {c for block in _blocks(words) for c in blocks.get(block, ())}:
                listed_words, spelling, index = names[candidate]
                if not _compatible(entity.label, kinds[index]):
                    continue
                score = compare(words, listed_words, kinds[index], entity.label)
                if score >= MIN_SCORE and score > best.get((position, index), (0.0,))[0]:
                    best[(position, index)] = (score, spelling, key)
    rows = []
    for (position, index), (score, spelling, key) in best.items():
        entity, entry = rows_of_entities[position], entry_rows.iloc[index]
        status = next((decided[(entry["entry"], k)] for k in [key] + keys_of[position] if (entry["entry"], k) in decided), PENDING)
        rows.append({"entity": entity.name, "label": entity.label, "entry": entry["entry"], "list": entry["list"],
                     "list_id": entry["list_id"], "listed_name": entry["name"], "matched": spelling,
                     "form": _form_with_key(entity, key), "score": round(float(score), 3), "status": status,
                     "kind": entry["kind"], "programme": entry["programme"], "country": entry["country"]})
    frame = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    return frame.sort_values(["score", "entity", "entry"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _decisions_index(decisions: list[dict]) -> dict[tuple[str, str], str]:
    """The latest decision for each (listed entry, spelling key of the entity's form)."""
    return {(decision["entry"], decision["key"]): decision["status"] for decision in decisions}


def decide(edits: dict, entry: str, form: str, entity: str, status: str) -> dict:
    """The edits with the analyst's decision on one match added (``PENDING`` takes a decision back)."""
    if status not in STATUSES:
        raise ValueError(f"a decision is one of {', '.join(STATUSES)}, not {status!r}")
    edits = json.loads(json.dumps(edits))
    decisions = edits.setdefault("watchlist", {}).setdefault("decisions", [])
    key = spelling_key(form)
    decisions[:] = [d for d in decisions if (d["entry"], d["key"]) != (entry, key)]
    if status != PENDING:
        decisions.append({"key": key, "entry": entry, "form": form, "entity": entity, "status": status,
                          "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    return edits


def list_name_of(path: str | Path) -> str:
    """A list's default name: its file name without the suffix."""
    return Path(path).stem or "watchlist"


# In the store ---------------------------------------------------------------------

@dataclass
class AddReport:
    list: str
    format: str
    entries: int
    problems: list[str]
    replaced: int
    matches: int

    def summary(self) -> str:
        what = {"opensanctions": "OpenSanctions targets", "un": "UN consolidated list", "csv": "CSV"}[self.format]
        lines = [f"watchlist {self.list!r} ({what}): {self.entries:,} entr{'y' if self.entries == 1 else 'ies'}"
                 + (f", replacing {self.replaced:,}" if self.replaced else "")
                 + f"; {self.matches:,} match{'es' if self.matches != 1 else ''} with the corpus's entities"]
        lines += [f"  skipped {problem}" for problem in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  … and {len(self.problems) - 20:,} more rows skipped")
        return "\n".join(lines)


def set_matches(writer, edits: dict | None = None) -> pd.DataFrame:
    """Match the entities as this write leaves them against its watchlists, and set the result."""
    edits = edits if edits is not None else writer.edits()
    entities = writer.store.read_derived("entities", manifest=writer.manifest)
    matches = match_entities(entities, writer.read("watchlist"), edits.get("watchlist", {}).get("decisions", []))
    writer.set_derived("watchlist_matches", matches)
    return matches


def add_list(store, data: bytes, name: str) -> AddReport:
    """Read a watchlist file into the store under ``name`` (replacing a list of that name) and match it."""
    name = name.strip()
    if not name:
        raise InputError("a watchlist needs a name")
    read = read_watchlist(data, name)
    with store.writer() as writer:
        current = writer.read("watchlist")
        replaced = int((current["list"] == name).sum())
        added = read.entries.assign(added_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        writer.replace_table("watchlist", pd.concat([current[current["list"] != name], added], ignore_index=True))
        matches = set_matches(writer)
    return AddReport(name, read.format, len(read.entries), read.problems, replaced, int((matches["list"] == name).sum()))


def remove_list(store, name: str) -> int:
    """Take a watchlist out of the store; returns how many entries it had (0: no such list)."""
    with store.writer() as writer:
        current = writer.read("watchlist")
        removed = int((current["list"] == name).sum())
        if removed:
            writer.replace_table("watchlist", current[current["list"] != name])
            set_matches(writer)
    return removed


def list_summary(store) -> pd.DataFrame:
    """One row per watchlist in the store: its name, format, entries, when added, matches and confirmed ones."""
    entries = store.read("watchlist", columns=["list", "format", "added_at"])
    matches = store.read_derived("watchlist_matches")
    rows = []
    for name, group in entries.groupby("list", sort=True):
        mine = matches[matches["list"] == name] if matches is not None else pd.DataFrame(columns=MATCH_COLUMNS)
        rows.append({"list": name, "format": group["format"].iloc[0], "entries": len(group), "added": group["added_at"].max(),
                     "matches": len(mine), "confirmed": int((mine["status"] == CONFIRMED).sum()),
                     "rejected": int((mine["status"] == REJECTED).sum())})
    return pd.DataFrame(rows, columns=["list", "format", "entries", "added", "matches", "confirmed", "rejected"])


def set_decision(store, entry: str, form: str, entity: str, status: str) -> None:
    """Record the analyst's decision on a match (confirmed, rejected, or back to review) and apply it."""
    with store.writer() as writer:
        edits = decide(writer.edits(), entry, form, entity, status)
        set_matches(writer, edits)
        writer.set_edits(edits)


# What the pages show ---------------------------------------------------------------

MARKS = {CONFIRMED: "⚑", PENDING: "⚐"}
"""The mark of an entity on a watchlist: a confirmed match, or one still to review (a rejected match has none)."""
MARKS_LEGEND = "⚑ on a watchlist (confirmed) · ⚐ possible watchlist match, to review"


def marks(matches: pd.DataFrame | None) -> dict[str, str]:
    """Entity name -> its mark: confirmed when any of its matches is, else to review; rejected matches mark nothing."""
    if matches is None or matches.empty:
        return {}
    kept = matches[matches["status"] != REJECTED]
    confirmed = set(kept.loc[kept["status"] == CONFIRMED, "entity"])
    return {name: MARKS[CONFIRMED] if name in confirmed else MARKS[PENDING] for name in kept["entity"]}


def marked(name, entity_marks: dict[str, str]):
    """The name with its watchlist mark, for display (selections keep the bare name)."""
    mark = entity_marks.get(name) if isinstance(name, str) else None
    return f"{name} {mark}" if mark else name


def watch_column(matches: pd.DataFrame | None) -> dict[str, str]:
    """Entity name -> what it matched, in words ("confirmed: Vladimir PUTIN (list os, NK-1)"), for tables."""
    if matches is None or matches.empty:
        return {}
    kept = matches[matches["status"] != REJECTED]
    described: dict[str, list[str]] = defaultdict(list)
    for row in kept.itertuples(index=False):
        ident = f", {row.list_id}" if isinstance(row.list_id, str) else ""
        described[row.entity].append(f"{MARKS[row.status]} {row.status}: {row.listed_name} (list {row.list}{ident})")
    return {name: "; ".join(texts) for name, texts in described.items()}


def listed_parties(matches: pd.DataFrame, entity_table: pd.DataFrame, statuses=(PENDING, CONFIRMED)) -> pd.DataFrame:
    """The matches of the given statuses whose entity is mentioned in the articles of ``entity_table``
    (``core.views.entity_table`` of the filtered articles), with its mentions, articles and dates there;
    most mentioned first."""
    columns = ["entity", "label", "status", "listed_name", "matched", "score", "list", "list_id", "programme", "country",
               "mentions", "articles", "first_date", "last_date", "entry", "form"]
    if matches is None or matches.empty or entity_table.empty:
        return pd.DataFrame(columns=columns)
    chosen = matches[matches["status"].isin(list(statuses))]
    counts = entity_table[["name", "mentions", "articles", "first_date", "last_date"]].rename(columns={"name": "entity"})
    table = chosen.merge(counts, on="entity", how="inner")
    table = table.sort_values(["mentions", "score", "entity"], ascending=[False, False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def sanctions_sentences(by_category: pd.DataFrame, by_actor: pd.DataFrame, article_ids: set[str], entity: str) -> pd.DataFrame:
    """The sanctions sentences of the given articles that mention ``entity``, one row each: article, sent, start,
    end, categories (joined), spans (every category's term spans), in text order."""
    columns = ["article", "sent", "start", "end", "categories", "spans"]
    if by_actor is None or by_actor.empty:
        return pd.DataFrame(columns=columns)
    keys = by_actor.loc[(by_actor["actor"] == entity).to_numpy(dtype=bool), ["article", "sent"]].drop_duplicates()
    keys = keys[keys["article"].astype(str).isin(article_ids)]
    if keys.empty:
        return pd.DataFrame(columns=columns)
    rows = by_category.assign(article=by_category["article"].astype(str)).merge(keys.astype({"article": str}), on=["article", "sent"])
    grouped = rows.groupby(["article", "sent"], sort=True).agg(
        start=("start", "first"), end=("end", "first"), categories=("category", lambda c: "; ".join(sorted(set(c)))),
        spans=("spans", lambda s: sorted({tuple(span) for spans in s for span in spans})))
    return grouped.reset_index()[columns]

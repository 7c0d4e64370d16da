"""Analyst's entity edits under random sequences of merges, renames, splits, undos and ingests
(hypothesis). The invariants:

1. no mention is lost or counted twice, whatever the edits;
2. an applied merge holds: the entity that holds the source's mentions (as recorded by the edit) is
   the one that holds the target's, after every later ingest (edits name entities by their
   mentions, not their display names);
3. an applied rename shows: the entity that holds its mentions bears the new name (unless a later merge
   folded it into another entity, or a later rename or a name taken since changed it);
4. undo restores: recording an edit and undoing it gives the edits and the resolution from before.
"""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.analysis import NeedsConfirmation, record_entity_edit
from core.entities import resolve_entities, spelling_key

NAMES = [
    ("Vladimir Poutine", "PER"), ("Poutine", "PER"), ("Vladimir Putin", "PER"), ("Sergueï Lavrov", "PER"),
    ("Lavrov", "LOC"), ("Mantourov", "PER"), ("Denis Mantourov", "PER"), ("Moscou", "LOC"), ("Kremlin", "ORG"),
    ("Séoul", "LOC"), ("Pyongyang", "LOC"), ("Tass", "ORG"), ("Kim Jong Un", "PER"), ("Kim", "PER"),
]
NEW_NAMES = ["Le président", "Moscou", "Kremlin", "X", "Capitale"]

article = st.lists(st.sampled_from(NAMES), min_size=1, max_size=6)
step = st.one_of(
    st.tuples(st.just("ingest"), article),
    st.tuples(st.just("merge"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("rename"), st.integers(0, 30), st.sampled_from(NEW_NAMES)),
    st.tuples(st.just("split"), st.sampled_from([n for n, _ in NAMES])),
    st.tuples(st.just("undo"), st.integers(0, 30)),
)


def _mentions(articles: list[list[tuple[str, str]]], per_sentence: int = 1) -> pd.DataFrame:
    rows = []
    for a, names in enumerate(articles):
        offset = 0
        for position, (text, label) in enumerate(names):
            rows.append((f"a{a}", position // per_sentence, offset, offset + len(text), text, label))
            offset += len(text) + 1
    return pd.DataFrame(rows, columns=["article", "sent", "start", "end", "text", "label"])


def _entity_of(resolved: pd.DataFrame, named: dict) -> str | None:
    """The entity that now holds most of the mentions an edit recorded for an entity (on a tie, the
    one holding the mentions recorded first: the entity's own)."""
    where = dict(zip(resolved["article"].astype(str) + ":" + resolved["start"].astype(str), resolved["entity"]))
    votes: dict[str, list[int]] = {}
    for position, ref in enumerate(named["refs"]):
        if ref in where:
            votes.setdefault(where[ref], [0, -position])[0] += 1
    return max(votes, key=lambda e: (votes[e][0], votes[e][1])) if votes else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=article, steps=st.lists(step, min_size=1, max_size=12))
def test_entity_edits_keep_their_meaning(first, steps):
    articles = [first]
    edits: dict = {"dates": {}, "entities": {"merges": {}, "renames": {}, "splits": [], "log": []}}
    for action, *arguments in steps:
        mentions = _mentions(articles)
        resolved, entities = resolve_entities(mentions, edits=edits)
        names = entities["name"].tolist()
        before = json.loads(json.dumps(edits))
        try:
            if action == "ingest":
                articles.append(arguments[0])
                continue
            if action == "merge":
                edit = {"merge": (names[arguments[0] % len(names)], names[arguments[1] % len(names)]), "confirm": True}
            elif action == "rename":
                edit = {"rename": (names[arguments[0] % len(names)], arguments[1])}
            elif action == "split":
                edit = {"split": arguments[0]}
            else:
                log = edits["entities"]["log"]
                if not log:
                    continue
                edit = {"undo": log[arguments[0] % len(log)]["id"]}
            edits, made = record_entity_edit(edits, entities, **edit)
        except NeedsConfirmation:
            raise
        except ValueError:
            assert edits == before  # a refused edit changes nothing
            continue
        if made and action in ("merge", "rename", "split"):  # invariant 4: undo restores
            undone, _ = record_entity_edit(edits, entities, undo=made)
            assert undone["entities"]["log"] == before["entities"]["log"]
            again, _ = resolve_entities(mentions, edits=undone)
            assert again.equals(resolved)

    mentions = _mentions(articles)
    applied: set[str] = set()
    resolved, entities = resolve_entities(mentions, edits=edits, applied=applied)
    plain, _ = resolve_entities(mentions)
    # invariant 1: every mention once, none lost
    where = ["article", "start", "end"]
    assert sorted(map(tuple, resolved[where].values.tolist())) == sorted(map(tuple, plain[where].values.tolist()))
    assert not resolved.duplicated(where).any()
    assert entities["mentions"].sum() == len(resolved)
    log = edits["entities"]["log"]
    split_keys = {spelling_key(e["form"]) for e in log if e["kind"] == "split"}
    for position, entry in enumerate(log):
        if entry["id"] not in applied:
            continue
        later = log[position + 1:]
        if entry["kind"] == "merge":  # invariant 2
            keys = entry["source"]["keys"] + entry["target"]["keys"]
            if split_keys & set(keys):
                continue
            assert _entity_of(resolved, entry["source"]) == _entity_of(resolved, entry["target"]), entry
        elif entry["kind"] == "rename":  # invariant 3
            keys = set(entry["entity"]["keys"])
            folded = any(e["kind"] == "merge" and keys & set(e["source"]["keys"] + e["target"]["keys"]) for e in later)
            renamed_again = any(e["kind"] == "rename" and keys & set(e["entity"]["keys"]) for e in later)
            if folded or renamed_again or split_keys & keys:
                continue
            shown = _entity_of(resolved, entry["entity"])
            assert shown == entry["name"] or shown.startswith(entry["name"] + " ("), (entry, shown)


def _quotes_and_sanctions(mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A quote said by every other mention, and sanctions terms of two categories in most
    sentences of ``mentions`` (as :func:`_mentions` lays them out)."""
    quotes, terms, sentences = [], [], []
    for position, row in enumerate(mentions.itertuples(index=False)):
        if not sentences or sentences[-1][:2] != (row.article, row.sent):
            sentences.append((row.article, row.sent, row.start, row.end + 40))
        if position % 2 == 0:
            quotes.append((row.article, row.sent, row.end + 2, row.end + 30, "direct", row.start, row.end, row.text, "after"))
        if position % 3 != 1:
            category = "sanctions" if position % 2 else "arms"
            terms.append((row.article, row.sent, row.end + 5, row.end + 14, category, f"{category}*", category))
    return (pd.DataFrame(quotes, columns=["article", "sent", "start", "end", "kind", "speaker_start", "speaker_end",
                                          "speaker_text", "cue"]),
            pd.DataFrame(terms, columns=["article", "sent", "start", "end", "term", "entry", "category"]),
            pd.DataFrame(sentences, columns=["article", "sent", "start", "end"]))


edit_step = st.one_of(
    st.tuples(st.just("merge"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("rename"), st.integers(0, 30), st.sampled_from(NEW_NAMES)),
    st.tuples(st.just("relabel"), st.integers(0, 30), st.sampled_from(["PER", "LOC", "ORG", "MISC"])),
    st.tuples(st.just("undo"), st.integers(0, 30)),
)


def _as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the store gives it back: through Parquet's Arrow form."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).to_pandas()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(article, min_size=1, max_size=5), steps=st.lists(edit_step, min_size=1, max_size=8),
       per_sentence=st.sampled_from([1, 2, 3]), legacy=st.booleans())
def test_entity_edits_patched_tables_equal_the_tables_made_again(articles, steps, per_sentence, legacy):
    # an edit counts again only the entities and articles it touches, from the tables of the
    # resolution before it, as stored: after each edit, every table equals the one made from
    # scratch. Sentences name one to three entities; ``legacy``: the store holds a merge by
    # display name from before the edit log, which the first edit moves into the log.
    from core.analysis import entity_tables, patched_entity_tables
    from core.entities import changed_mentions, key_mentions

    mentions = _mentions(articles, per_sentence)
    quotes, terms, sentences = _quotes_and_sanctions(mentions)
    keyed = key_mentions(mentions)
    edits: dict = {"dates": {}, "entities": {"merges": {}, "renames": {}, "splits": [], "log": []}}
    if legacy:
        names = resolve_entities(None, edits=edits, keyed=keyed)[1]["name"].tolist()
        edits["entities"]["merges"] = {names[-1]: names[0]} if len(names) > 1 else {}
    resolved, entities = (_as_stored(frame) for frame in resolve_entities(None, edits=edits, keyed=keyed))
    tables = {name: _as_stored(table) for name, table in entity_tables(resolved, quotes, terms, sentences).items()}
    for action, *arguments in steps:
        names = entities["name"].tolist()
        if action in ("merge", "rename", "relabel"):
            chosen = names[arguments[0] % len(names)]
            second = names[arguments[1] % len(names)] if action == "merge" else arguments[1]
            edit = {action: (chosen, second), "confirm": True}
        elif edits["entities"]["log"]:
            edit = {"undo": edits["entities"]["log"][arguments[0] % len(edits["entities"]["log"])]["id"]}
        else:
            continue
        try:
            edits, _ = record_entity_edit(edits, entities, **edit)
        except ValueError:
            continue
        patched, patched_entities = resolve_entities(None, edits=edits, keyed=keyed, previous=(resolved, entities))
        again, again_entities = resolve_entities(mentions, edits=edits)
        pd.testing.assert_frame_equal(patched, again, check_dtype=False)
        pd.testing.assert_frame_equal(patched_entities, again_entities, check_dtype=False)
        changed = changed_mentions(resolved, patched)
        assert changed is not None
        tables = patched_entity_tables(tables, resolved, patched, changed, quotes)
        for name, table in entity_tables(again, quotes, terms, sentences).items():
            pd.testing.assert_frame_equal(_as_stored(tables[name]), _as_stored(table), obj=name)
        tables = {name: _as_stored(table) for name, table in tables.items()}
        resolved, entities = _as_stored(patched), _as_stored(patched_entities)

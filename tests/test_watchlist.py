"""Watchlist screening: the two real list formats and a plain CSV, matching across transliterations
with its false-match traps (a surname alone, a sibling, a feminine form, another first name, a
person against an organisation), decisions that persist, the CLI and the export."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from core import watchlist
from core.analysis import edit_entities, export_corpus
from core.readers import InputError
from core.watchlist import CONFIRMED, PENDING, REJECTED, compare, match_entities, read_watchlist

OPENSANCTIONS = (
    "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,program_ids,dataset,"
    "first_seen,last_seen,last_change\n"
    'os-putin,Person,Vladimir Vladimirovich PUTIN,"Wladimir Putin;Poutine",1952-10-07,ru,,,EU asset freeze,,,,'
    '"EU Financial Sanctions Files (FSF);US OFAC Specially Designated Nationals (SDN) List",2022-02-25T00:00:00,,\n'
    "os-kji,Person,KIM Jong Il,,1941-02-16,kp,,,,,,,UN Security Council,,,\n"
    "os-peskova,Person,Marina PESKOVA,,,ru,,,,,,,Test list,,,\n"
    "os-lavrov,Person,Ivan LAVROV,Lavrov,,ru,,,,,,,Test list,,,\n"
    "os-komid,Organization,Korea Mining Development Trading Corporation (KOMID),,,kp,,,,,,,UN Security Council,,,\n"
    "os-kim-company,Company,Kim Jong Un,,,kp,,,,,,,Test list,,,\n"
)

UN_LIST = (
    "DATAID,VERSIONNUM,FIRST_NAME,SECOND_NAME,THIRD_NAME,FOURTH_NAME,UN_LIST_TYPE,REFERENCE_NUMBER,LISTED_ON,"
    "NAME_ORIGINAL_SCRIPT,COMMENTS1,NATIONALITY,INDIVIDUAL_ALIAS_QUALITY,INDIVIDUAL_ALIAS_NAME\n"
    "6908001,1,SERGEI,KUZHUGETOVICH,SHOIGU,,DPRK,KPi.901,2023-01-01,Сергей Шойгу,,Russian Federation,Good,\n"
    "6908002,1,JO,CHUN,RYONG,,DPRK,KPi.902,2023-01-01,,,Democratic People's Republic of Korea,Good,Jo Chol Ryong\n"
    "6908002,1,JO,CHUN,RYONG,,DPRK,KPi.902,2023-01-01,,,Democratic People's Republic of Korea,Low,Cho Chun-ryong\n"
    "6908003,1,,,,,DPRK,KPi.903,2023-01-01,,,,,\n"
)


def names(matches: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(matches["entity"], matches["listed_name"]))


# Matching, word by word ----------------------------------------------------------

PAIRS = [
    ("Kim Jong-un", "KIM Jong Un", "person", True),                      # hyphen and case
    ("Jong Un Kim", "KIM Jong Un", "person", True),                      # another order
    ("Evgueni Prigojine", "Yevgeniy Viktorovich PRIGOZHIN", "person", True),  # transliteration, patronymic left out
    ("Sergueï Choïgou", "Sergei Kuzhugetovich SHOIGU", "person", True),
    ("Prigojine", "Yevgeniy Viktorovich PRIGOZHIN", "person", False),   # a surname alone never matches
    ("Kim", "KIM Jong Un", "person", False),
    ("Poutine", "Poutine", "person", False),                            # nor a one-word alias of a person
    ("Kim Yo Jong", "KIM Jong Un", "person", False),                    # a sister is not her brother
    ("Kim Jong Il", "KIM Jong Un", "person", False),                    # nor a father his son
    ("Marina Peskova", "Marina PESKOV", "person", False),               # a feminine form is another person
    ("Alexandre Lavrov", "Ivan LAVROV", "person", False),               # another first name
    ("Jong Un", "KIM Jong Un", "person", False),                        # words cut from the front
    ("KOMID", "KOMID", "organisation", True),                           # an organisation's acronym
    ("Wagner", "Wagner", "person", False),
    ("Mantourov Denis", "Denis MANTUROV", "person", True),              # surname first in the text
    ("Akbar Ali", "Ali Akbar Velayati", "person", False),              # given names turned round, surname left out
    ("Michail Mischustin", "Mikhail Mishustin", "person", True),       # German and English transliterations
]


@pytest.mark.parametrize("entity, listed, kind, matches", PAIRS)
def test_compare(entity, listed, kind, matches):
    score = compare(watchlist._tokens(entity), watchlist._tokens(listed), kind, "ORG" if kind == "organisation" else "PER")
    assert (score >= watchlist.MIN_SCORE) is matches, score


@pytest.mark.parametrize("entity, listed, kind, matches", PAIRS)
def test_the_blocks_find_what_compare_accepts(entity, listed, kind, matches):
    label = "ORG" if kind == "organisation" else "PER"
    entities = pd.DataFrame([{"name": entity, "label": label, "forms": json.dumps({entity: 1})}])
    entries = read_watchlist(f"name,type\n{listed},{kind}\n".encode(), "pairs").entries
    assert (len(match_entities(entities, entries)) == 1) is matches


def test_a_surname_in_capitals_is_read_as_the_last_word_and_one_word_people_never_match():
    entities = pd.DataFrame([
        {"name": "Vladimir Poutine", "label": "PER", "forms": json.dumps({"Vladimir Poutine": 3, "Poutine": 9})},
        {"name": "Putin", "label": "PER", "forms": json.dumps({"Putin": 2})},
    ])
    listed = "name,aliases\nPUTIN Vladimir Vladimirovich,Putin\nKARIMOV Islam,\n".encode()
    matches = match_entities(entities, read_watchlist(listed, "caps").entries)  # no type column: kind unknown
    assert names(matches) == {("Vladimir Poutine", "PUTIN Vladimir Vladimirovich")}
    assert matches.iloc[0]["score"] == 0.9


def test_rows_with_more_cells_than_columns_are_reported():
    read = read_watchlist("name\nPutin, Vladimir\n\"Shoigu, Sergei\"\n".encode(), "one-column")
    assert read.problems == ["row 2: 2 cells for 1 columns (a separator inside a name that is not quoted?)"]
    assert read.entries["name"].tolist() == ["Shoigu, Sergei"]


def test_decisions_hold_when_a_list_without_ids_comes_again_with_a_row_more(seed_store_copy):
    first = "name\nKIM Jong Il\nSergei SHOIGU\n"
    watchlist.add_list(seed_store_copy, first.encode(), "plain")
    match = seed_store_copy.read_derived("watchlist_matches").set_index("entity").loc["Sergueï Choïgou"]
    watchlist.set_decision(seed_store_copy, match["entry"], match["form"], "Sergueï Choïgou", CONFIRMED)
    watchlist.add_list(seed_store_copy, "name\nIvan PETROV\nKIM Jong Il\nSergei SHOIGU\n".encode(), "plain")
    status = seed_store_copy.read_derived("watchlist_matches").set_index("entity")["status"]
    assert status["Sergueï Choïgou"] == CONFIRMED and status["Kim Jong Il"] == PENDING


def test_scores_rank_an_exact_name_above_one_with_a_patronymic_left_out():
    exact = compare(watchlist._tokens("Sergei Shoigu"), watchlist._tokens("Sergei Shoigu"), "person")
    partial = compare(watchlist._tokens("Sergei Shoigu"), watchlist._tokens("Sergei Kuzhugetovich Shoigu"), "person")
    spelt = compare(watchlist._tokens("Sergei Choigou"), watchlist._tokens("Sergei Kuzhugetovich Shoigu"), "person")
    assert exact == 1.0 > partial >= spelt >= watchlist.MIN_SCORE


def test_a_person_matches_people_only_and_an_organisation_everything_but_people():
    entities = pd.DataFrame([
        {"name": "Kim Jong Un", "label": "PER", "forms": json.dumps({"Kim Jong Un": 3})},
        {"name": "KOMID", "label": "ORG", "forms": json.dumps({"KOMID": 1})},
        {"name": "Lavrov", "label": "PER", "forms": json.dumps({"Lavrov": 2})},
    ])
    entries = read_watchlist(OPENSANCTIONS.encode(), "test").entries
    matches = match_entities(entities, entries)
    assert names(matches) == {("KOMID", "Korea Mining Development Trading Corporation (KOMID)")}
    komid = matches.iloc[0]
    assert komid["matched"] == "Korea Mining Development Trading Corporation (KOMID)" and komid["list_id"] == "os-komid"


# Reading the formats ---------------------------------------------------------------

def test_opensanctions_targets_are_read_as_they_come():
    read = read_watchlist(OPENSANCTIONS.encode(), "os")
    assert read.format == "opensanctions" and not read.problems
    putin = read.entries.set_index("list_id").loc["os-putin"]
    assert putin["name"] == "Vladimir Vladimirovich PUTIN" and json.loads(putin["aliases"]) == ["Wladimir Putin", "Poutine"]
    assert putin["kind"] == "person" and putin["country"] == "ru"
    assert putin["programme"] == "EU Financial Sanctions Files (FSF); US OFAC Specially Designated Nationals (SDN) List"
    assert read.entries.set_index("list_id").loc["os-komid", "kind"] == "organisation"


def test_the_un_list_folds_one_row_per_alias_and_reports_a_row_without_a_name():
    read = read_watchlist(UN_LIST.encode("utf-8-sig"), "un")
    assert read.format == "un"
    assert read.problems == ["row 5: no name"]
    entries = read.entries.set_index("list_id")
    assert list(entries.index) == ["KPi.901", "KPi.902"]
    assert entries.loc["KPi.901", "name"] == "SERGEI KUZHUGETOVICH SHOIGU" and entries.loc["KPi.901", "kind"] == "person"
    assert json.loads(entries.loc["KPi.902", "aliases"]) == ["Jo Chol Ryong", "Cho Chun-ryong"]
    assert entries.loc["KPi.902", "programme"] == "UN DPRK"


def test_a_plain_csv_with_semicolons_and_cp1252():
    data = "Nom;Aliases;Pays\nSergueï Lavrov;Sergey Lavrov|Lavrov;Russie\n".encode("cp1252")
    read = read_watchlist(data, "plain")
    assert read.format == "csv"
    row = read.entries.iloc[0]
    assert row["name"] == "Sergueï Lavrov" and json.loads(row["aliases"]) == ["Sergey Lavrov", "Lavrov"]
    assert row["country"] == "Russie" and row["kind"] == "unknown" and row["entry"] == "plain:name sergei lavrov"


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"city,population\nParis,2\n", "no name column"),
    (b"name,aliases\n,\n", "no entry with a name"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
])
def test_unusable_lists_say_why(data, message):
    with pytest.raises(InputError, match=message):
        read_watchlist(data, "bad")


# In the store ------------------------------------------------------------------------

def test_lists_match_the_seed_corpus_and_decisions_persist(seed_store_copy, tmp_path):
    report = watchlist.add_list(seed_store_copy, OPENSANCTIONS.encode(), "os")
    assert report.entries == 6 and report.replaced == 0
    watchlist.add_list(seed_store_copy, UN_LIST.encode(), "un")
    matches = seed_store_copy.read_derived("watchlist_matches")
    assert names(matches) == {
        ("Vladimir Poutine", "Vladimir Vladimirovich PUTIN"), ("Kim Jong Il", "KIM Jong Il"),
        ("Sergueï Choïgou", "SERGEI KUZHUGETOVICH SHOIGU"), ("Jo Chun Ryong", "JO CHUN RYONG"),
    }  # not Kim Jong Un (the company, or his father), not Dmitri Peskov, not Sergueï Lavrov
    assert set(matches["status"]) == {PENDING}

    putin = matches[matches["entity"] == "Vladimir Poutine"].iloc[0]
    watchlist.set_decision(seed_store_copy, putin["entry"], putin["form"], putin["entity"], CONFIRMED)
    jo = matches[matches["entity"] == "Jo Chun Ryong"].iloc[0]
    watchlist.set_decision(seed_store_copy, jo["entry"], jo["form"], jo["entity"], REJECTED)
    # a rename and a re-added list keep the decisions
    edit_entities(seed_store_copy, rename=("Vladimir Poutine", "Le président russe"))
    watchlist.add_list(seed_store_copy, OPENSANCTIONS.encode(), "os")
    status = seed_store_copy.read_derived("watchlist_matches").set_index("entity")["status"]
    assert status["Le président russe"] == CONFIRMED and status["Jo Chun Ryong"] == REJECTED
    assert status["Kim Jong Il"] == PENDING

    exported = export_corpus(seed_store_copy)["watchlist"]
    row = next(r for r in exported if r["entity"] == "Le président russe")
    assert row == {"entity": "Le président russe", "list_id": "os-putin", "listed_name": "Vladimir Vladimirovich PUTIN",
                   "matched": row["matched"], "score": row["score"], "status": "confirmed", "list": "os"}
    assert row["matched"] in {"Vladimir Vladimirovich PUTIN", "Wladimir Putin"} and row["score"] >= 0.9

    assert watchlist.remove_list(seed_store_copy, "un") == 2
    assert "Jo Chun Ryong" not in set(seed_store_copy.read_derived("watchlist_matches")["entity"])
    assert watchlist.remove_list(seed_store_copy, "un") == 0


def test_a_full_rebuild_keeps_the_lists(seed_store_copy):
    from core.ingest import ingest

    watchlist.add_list(seed_store_copy, UN_LIST.encode(), "un")
    ingest([], seed_store_copy, rebuild=True)
    assert len(seed_store_copy.read("watchlist")) == 2
    assert "Sergueï Choïgou" in set(seed_store_copy.read_derived("watchlist_matches")["entity"])


def test_the_command_line(seed_store_copy, tmp_path):
    listed = tmp_path / "dprk.csv"
    listed.write_text(UN_LIST, encoding="utf-8")

    def run(*arguments):
        return subprocess.run([sys.executable, "-m", "core", "watchlist", *arguments, "--store", str(seed_store_copy.path)],
                              capture_output=True, text=True, timeout=120)

    added = run("add", str(listed))
    assert added.returncode == 0, added.stderr
    assert "watchlist 'dprk' (UN consolidated list): 2 entries; 2 matches" in added.stdout
    assert "skipped row 5: no name" in added.stdout
    shown = run("list")
    assert shown.returncode == 0 and "dprk: 2 entries (un), 2 matches (0 confirmed, 0 rejected)" in shown.stdout
    assert "Sergueï Choïgou = SERGEI KUZHUGETOVICH SHOIGU [KPi.901] score 0.90, to review" in shown.stdout
    missing = run("add", str(tmp_path / "nothing.csv"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert run("remove", "other").returncode == 2
    assert run("remove", "dprk").stdout.strip() == "watchlist 'dprk' removed (2 entries)"

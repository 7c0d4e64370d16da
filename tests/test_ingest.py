"""The corpus engine on the real seed articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEEDS, seed_id

from core.analysis import load_articles
from core.ingest import ingest


def _by_prefix(store):
    articles = load_articles(store, with_text=True)
    return {Path(s).name[:3]: row for s, row in zip(articles["source"], articles.itertuples(index=False))}


def test_ingest_seeds_gives_five_french_analysed_articles(seed_store):
    articles = load_articles(seed_store)
    assert len(articles) == 5
    assert sorted(articles["source"]) == sorted(f"seeds/{p.name}" for p in SEEDS.iterdir())
    assert set(articles["lang"]) == {"fr"}
    assert set(articles["status"]) == {"analysed"}


def test_ingest_header_dates_are_months_from_the_header(seed_store):
    seeds = _by_prefix(seed_store)
    for prefix in ("000", "001", "004"):
        row = seeds[prefix]
        assert (row.date, row.date_precision, row.date_source) == ("2023-09", "month", "header")
        assert not row.text.lstrip().lower().startswith("date")
        assert row.raw_text.startswith(" date 2023-09 ")
    for prefix in ("002", "003"):
        row = seeds[prefix]
        assert (row.date, row.date_precision, row.date_source) == (None, None, None)


def test_ingest_seed_003_loses_comment_form_and_captcha_but_raw_keeps_them(seed_store):
    row = _by_prefix(seed_store)["003"]
    assert "Laisser un commentaire" not in row.text
    assert "dix + quinze =" not in row.text
    assert row.raw_text.rstrip().endswith("Laisser un commentaire\n\ndix + quinze =")
    assert row.text.endswith("l’amitié et de l’unité des deux nations.")
    removed = json.loads(row.removed)
    assert [item["rule"] for item in removed] == ["repeated line", "comment form", "captcha"]


def test_ingest_doubled_caption_is_kept_once(seed_store):
    row = _by_prefix(seed_store)["003"]
    caption = "Kim Jong Un se saluent à l"
    assert row.raw_text.count(caption) == 2
    assert row.text.count(caption) == 1


def test_ingest_title_of_seed_003_is_its_headline_not_the_caption(seed_store):
    seeds = _by_prefix(seed_store)
    assert seeds["003"].title == "Le Russe Poutine en Corée du Nord pour renforcer son partenariat avec son ancien allié"
    assert seeds["003"].title_source == "headline"
    # opens with prose: no headline invented, its first words stand for one and say so
    assert seeds["001"].title == "Kim Jong Un est arrivé en Russie pour une rencontre historique avec…"
    assert seeds["001"].title_source == "first words"


def test_ingest_again_adds_nothing(seed_store_copy):
    before = seed_store_copy.read("articles", columns=["id"])
    report = ingest([str(SEEDS)], seed_store_copy)
    assert (report.added, report.already_present, report.duplicates, len(report.rejected)) == (0, 5, 0, 0)
    assert len(seed_store_copy.read("articles", columns=["id"])) == len(before)


def test_ingest_exact_copy_from_another_file_is_a_duplicate_not_stored_twice(seed_store_copy, tmp_path):
    copy = tmp_path / "elsewhere" / "copie.txt"
    copy.parent.mkdir()
    copy.write_bytes((SEEDS / "004_15beeeafbb7eb3ba.txt").read_bytes())
    report = ingest([str(copy)], seed_store_copy)
    assert (report.added, report.duplicates) == (0, 1)
    articles = load_articles(seed_store_copy, with_text=True)
    duplicate = articles[articles["source"] == str(copy)].iloc[0]
    original = articles[articles["source"] == "seeds/004_15beeeafbb7eb3ba.txt"].iloc[0]
    assert duplicate["status"] == "duplicate"
    assert duplicate["duplicate_of"] == original["id"]
    assert duplicate["raw_text"] == "" and duplicate["text"] == ""


def test_ingest_user_date_survives_reingestion(seed_store_copy, seed_export):
    from core.analysis import set_user_date

    article = seed_id(seed_export, "002")
    set_user_date(seed_store_copy, article, "2023-09-13")
    ingest([str(SEEDS)], seed_store_copy)
    row = load_articles(seed_store_copy).set_index("id").loc[article]
    assert (row["date"], row["date_precision"], row["date_source"]) == ("2023-09-13", "day", "user")


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_in_worker_processes_gives_the_same_store(seed_store, tmp_path, workers):
    """Worker processes analyse one batch while this process stores the one before:
    with batches of 2 seeds, every table ends up as an in-process ingest leaves it."""
    from core.store import Store

    store = Store(tmp_path / "store")
    report = ingest([str(SEEDS)], store, workers=workers, batch_size=2)
    assert report.added == len(list(SEEDS.iterdir())) and report.analysed == report.added
    assert sorted(store.read("articles")["id"]) == sorted(seed_store.read("articles")["id"])
    assert sorted(store.read("signatures")["article"]) == sorted(seed_store.read("signatures")["article"])
    for table in ("sentences", "mentions", "sanctions_terms", "analyses"):
        ours = store.read(table)
        ours = ours.sort_values(list(ours.columns)).reset_index(drop=True)
        reference = seed_store.read(table)
        reference = reference.sort_values(list(reference.columns)).reset_index(drop=True)
        assert ours.equals(reference), table


def test_ingest_progress_moves_within_one_large_file(tmp_path):
    """A JSONL export of thousands of rows is one file: progress also counts its documents, batch by batch."""
    from core.store import Store

    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(json.dumps({"text": path.read_text(encoding="utf-8"), "source": path.name}, ensure_ascii=False)
                                for path in sorted(SEEDS.iterdir())) + "\n", encoding="utf-8")
    calls = []
    report = ingest([str(export)], Store(tmp_path / "store"), batch_size=2, progress=lambda *call: calls.append(call))
    assert report.added == 5
    assert [(done, total, documents) for done, total, _, documents in calls] == [(0, 1, 0), (0, 1, 2), (0, 1, 4), (1, 1, 5)]
    assert calls[-1][2] == "analysing the corpus"


def test_ingest_in_a_worker_a_batch_with_nothing_to_analyse(seed_store_copy, tmp_path):
    """A batch of exact duplicates only sends no work to the worker, and is stored."""
    import shutil

    copies = tmp_path / "copies"
    copies.mkdir()
    seed = sorted(SEEDS.iterdir())[0]
    shutil.copy(seed, copies / "copy.txt")
    report = ingest([str(copies)], seed_store_copy, workers=1)
    assert report.duplicates == 1 and report.analysed == 0
    assert (load_articles(seed_store_copy)["source"].str.endswith("copy.txt")).sum() == 1


def test_ingest_dates_from_stamps_and_inferred_years_say_where_they_came_from(tmp_path):
    from core.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    prose = ("Les ministres européens ont adopté une nouvelle liste de sanctions contre des dirigeants de "
             "plusieurs sociétés privées.")
    (corpus / "stamped.txt").write_text(" date 2023-08 Un titre\nPublié le 31.08.2023 à 10h05\n\n" + prose, encoding="utf-8")
    (corpus / "inferred.txt").write_text(
        "Un titre\n\nLes députés ont voté ce mardi 12 mars une loi promise en juin 2023 et réclamée "
        "depuis longtemps.", encoding="utf-8")
    (corpus / "history.txt").write_text("Le 19 juillet 2000, le président devenait chef de l'État pour la "
                                        "première fois, au terme d'une campagne éclair.", encoding="utf-8")
    store = Store(tmp_path / "store")
    ingest([str(corpus)], store)
    rows = {Path(r.source).name: r for r in load_articles(store).itertuples(index=False)}
    stamped, inferred, history = rows["stamped.txt"], rows["inferred.txt"], rows["history.txt"]
    assert (stamped.date, stamped.date_precision, stamped.date_source) == ("2023-08-31", "day", "text")
    assert "header date 2023-08 replaced" in stamped.notes and "publication stamp" in stamped.date_note
    assert (inferred.date, inferred.date_source) == ("2024-03-12", "inferred")
    assert "inferred" in inferred.date_note
    assert history.date is None


def test_ingest_a_document_that_cannot_be_prepared_rejects_itself_only(tmp_path):
    from core.ingest import ingest_documents
    from core.records import RawDocument
    from core.store import Store

    good = RawDocument(source="good.txt", raw_text="Le Kremlin a démenti toute livraison d'armes à ses voisins.", encoding="utf-8")
    broken = RawDocument(source="broken.txt", raw_text=b"not a str", encoding="utf-8")  # a reader's bug, say
    store = Store(tmp_path / "store")
    report = ingest_documents([("good.txt", good), ("broken.txt", broken)], store, total=2)
    assert [(o.source, o.outcome) for o in report.outcomes] == [("good.txt", "added"), ("broken.txt", "rejected")]
    assert report.rejected[0].detail.startswith("could not be prepared (TypeError")
    assert len(load_articles(store)) == 1


def test_ingest_a_corrected_file_replaces_its_old_version(tmp_path):
    """Same file, new text: the new version replaces the old one (no second article, no hidden
    "wire copy" of the stale text), keeps the analyst's date, and the old text counts nowhere."""
    from core.analysis import export_corpus, set_user_date
    from core.store import Store

    store = Store(tmp_path / "versions")
    folder = tmp_path / "corpus"
    folder.mkdir()
    seed = next(p for p in SEEDS.iterdir() if p.name.startswith("002")).read_text(encoding="utf-8")
    (folder / "article.txt").write_text(seed, encoding="utf-8")
    (folder / "copie.txt").write_text(seed, encoding="utf-8")  # an exact duplicate of the first version
    ingest([str(folder)], store)
    before = load_articles(store).set_index("source")
    old_id = before.loc["corpus/article.txt", "id"]
    set_user_date(store, old_id, "2023-09-14")
    corrected = seed.replace("Kim Jong Un et Vladimir Poutine", "Kim Jong Un et Vladimir Poutine (corrigé)", 1)
    (folder / "article.txt").write_text(corrected, encoding="utf-8")
    report = ingest([str(folder)], store)
    assert [(o.source, o.outcome) for o in report.outcomes] == [("corpus/article.txt", "updated"), ("corpus/copie.txt", "already present")]
    after = load_articles(store, with_text=True).set_index("source")
    assert len(after) == 2 and old_id not in set(after["id"])
    new = after.loc["corpus/article.txt"]
    assert new["text"].startswith(corrected.split("\n")[0][:40]) and new["duplicate_of"] is None
    assert (new["date"], new["date_source"]) == ("2023-09-14", "user")
    # the duplicate of the old text now holds that text, analysed; so near the new version, it is its
    # wire copy (the new version is dated, by the analyst's date it kept)
    copy = after.loc["corpus/copie.txt"]
    assert copy["status"] == "analysed" and copy["raw_text"] == seed and copy["duplicate_of"] == new["id"]
    exported = export_corpus(store)
    analysed_ids = {m for e in exported["entities"] for m in e["articles"]}
    assert old_id not in analysed_ids and copy["id"] in analysed_ids and new["id"] in analysed_ids
    for table in ("mentions", "sentences", "analyses", "signatures", "sanctions_terms"):
        assert old_id not in set(store.read(table)["article"]), table


def test_ingest_files_that_change_wholesale_or_shift_lose_nothing(tmp_path):
    """Only an edit of a file's text is a new version of it: rows of an export that moved down, two
    files that swapped texts and a new file carrying an old text keep every text in the store."""
    from core.store import Store

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())[:3]]
    store = Store(tmp_path / "shifts")
    folder = tmp_path / "corpus"
    folder.mkdir()
    rows = lambda items: "\n".join(json.dumps({"text": t}) for t in items) + "\n"  # noqa: E731
    (folder / "export.jsonl").write_text(rows(texts[:2]), encoding="utf-8")
    (folder / "s.txt").write_text(texts[0], encoding="utf-8")
    (folder / "t.txt").write_text(texts[1], encoding="utf-8")
    ingest([str(folder)], store)
    (folder / "export.jsonl").write_text(rows([texts[2], *texts[:2]]), encoding="utf-8")  # a row on top
    (folder / "s.txt").write_text(texts[1], encoding="utf-8")  # s and t swap their texts
    (folder / "t.txt").write_text(texts[0], encoding="utf-8")
    (folder / "u.txt").write_text(texts[0], encoding="utf-8")  # a new file with an old text
    report = ingest([str(folder)], store)
    assert not report.updated
    articles = load_articles(store, with_text=True)
    originals = articles[articles["status"] != "duplicate"]
    # every text is in the store once as an original, with its analysis
    assert sorted(originals["raw_text"]) == sorted(texts)
    assert set(articles["source"]) >= {"corpus/export.jsonl#1", "corpus/export.jsonl#3", "corpus/s.txt", "corpus/t.txt", "corpus/u.txt"}
    assert set(originals["id"]) <= set(store.read("analyses")["article"])


def test_ingest_a_new_version_whose_old_text_comes_back_in_the_same_run(tmp_path):
    """s.txt is corrected while u.txt, new, carries s's old text: u takes that text over."""
    from core.store import Store

    seed = next(p for p in SEEDS.iterdir() if p.name.startswith("002")).read_text(encoding="utf-8")
    store = Store(tmp_path / "heir")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "s.txt").write_text(seed, encoding="utf-8")
    ingest([str(folder)], store)
    old_id = load_articles(store)["id"].iloc[0]
    (folder / "s.txt").write_text(seed.replace("camarades", "camarades (corrigé)", 1), encoding="utf-8")
    (folder / "u.txt").write_text(seed, encoding="utf-8")
    report = ingest([str(folder)], store)
    assert sorted((o.source, o.outcome) for o in report.outcomes) == [("corpus/s.txt", "updated"), ("corpus/u.txt", "duplicate")]
    articles = load_articles(store, with_text=True).set_index("source")
    assert old_id not in set(articles["id"])
    assert articles.loc["corpus/u.txt", "raw_text"] == seed and articles.loc["corpus/u.txt", "status"] == "analysed"
    assert articles.loc["corpus/u.txt", "id"] in set(store.read("analyses")["article"])
    assert len(store.read("analyses").drop_duplicates("article")) == 2


@pytest.mark.parametrize(("text", "title"), [
    ("Pyongyang et Moscou signent un accord de défense\nPublié le 12/03/2024 à 10h05\n\nLe texte prévoit une "
     "assistance mutuelle entre les deux pays en cas d'agression.", "Pyongyang et Moscou signent un accord de défense"),
    ("Moscow and Pyongyang sign a defence pact\nBy Jane Doe and John Roe\nUpdated June 19, 2024\n\nThe text provides "
     "for mutual assistance between the two countries.", "Moscow and Pyongyang sign a defence pact"),
])
def test_ingest_a_stamp_or_byline_after_the_headline_is_not_the_title(text, title):
    from core.ingest import guess_title

    assert guess_title(text) == title


def test_a_title_is_the_headline_else_the_first_words_never_a_stamp():
    from core.ingest import first_words, guess_title

    stamped = "Publié le 12 juin 2024 à 09h15\nLe ministre a annoncé mardi de nouvelles sanctions contre trois banques.\n"
    assert guess_title(stamped) is None
    assert first_words(stamped) == "Le ministre a annoncé mardi de nouvelles sanctions contre trois banques."
    long = "Par Jeanne Martin\nUne phrase très longue qui continue bien au-delà de douze mots pour voir la coupe faite.\n"
    assert first_words(long) == "Une phrase très longue qui continue bien au-delà de douze mots pour…"
    assert first_words("12/06/2024\n\n2024\n") is None


@pytest.mark.parametrize("typed, stored", [("2024", "2024"), ("2024-06", "2024-06"), ("juin 2024", "2024-06"),
                                           ("12 June 2024", "2024-06-12"), ("1er mars 2023", "2023-03-01")])
def test_a_user_date_may_be_written_out(typed, stored):
    from core.analysis import validate_user_date

    assert validate_user_date(typed) == stored


@pytest.mark.parametrize("typed", ["juin", "2024-13", "bientôt", "juin 2024 et mai 2023"])
def test_a_user_date_that_is_not_one_is_refused(typed):
    from core.analysis import validate_user_date

    with pytest.raises(ValueError):
        validate_user_date(typed)

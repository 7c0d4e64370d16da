"""Bad and hostile input: each file gets one clear outcome, the batch goes on."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.analysis import export_corpus, load_articles
from core.dates import parse_metadata_date, split_header
from core.ingest import ingest, prepare_article
from core.readers import InputError, RawDocument, Rejection, decode_bytes, read_bytes
from core.store import Store

FRENCH = (SEEDS / "004_15beeeafbb7eb3ba.txt").read_text(encoding="utf-8").split("\n\n")[1]

BAD_FILES = {
    "empty.txt": (b"", "rejected", "empty: the file holds no text"),
    "blank.txt": (b"   \n\n\t ", "rejected", "empty: the file holds only white space"),
    "numbers.txt": (b"123 456,78 -- 9 %", "rejected", "no words: the file holds only numbers, punctuation or symbols"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "rejected", "binary content: this is a PNG image, not text"),
    "doc.md": (b"%PDF-1.4\n" + bytes(range(256)), "rejected", "binary content: this is a PDF document, not text"),
    "archive.txt": (b"PK\x03\x04" + bytes(range(256)), "rejected", "binary content: this is a ZIP archive (or a Word/OpenDocument file), not text"),
    "nul.txt": (FRENCH[:30].encode() + b"\x00" + FRENCH[30:].encode(), "added", "analysed"),
    "cp1252.txt": (("Été. " + FRENCH).encode("cp1252"), "added", "analysed"),
    "utf16.txt": (("Hiver. " + FRENCH).encode("utf-16"), "added", "analysed"),
    "bom.txt": (b"\xef\xbb\xbf" + ("Autre texte. " + FRENCH).encode(), "added", "analysed"),
    "crlf.txt": (("Deux. " + FRENCH).replace(". ", ".\r\n").encode(), "added", "analysed"),
    "english.txt": (b"North Korea's leader Kim Jong Un pledged full support for Russia's war in Ukraine during talks with Vladimir Putin.", "added", "analysed (with the French pipeline, as no English model is installed: names by its entity recogniser, lemmas are lower-cased words)"),
    "spanish.txt": ("El líder norcoreano Kim Jong Un prometió su pleno apoyo a Rusia durante la cumbre con Vladímir Putin.".encode(), "added", "kept, not analysed: language Spanish (es): no analysis pipeline installed"),
    "arabic.txt": ("تعهد الزعيم الكوري الشمالي كيم جونغ أون بدعمه الكامل لروسيا خلال قمته مع فلاديمير بوتين".encode(), "added", "kept, not analysed: language Arabic (ar): no analysis pipeline installed"),
    "notes.docx": (b"whatever", "rejected", "unsupported file type .docx: expected .txt, .md, .html, .csv or .jsonl"),
    "nocolumn.csv": (b"titre,auteur\nA,B\n", "rejected", "no text column: expected one of text, body, content, texte, article, contenu; found titre, auteur"),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, (data, _, _) in BAD_FILES.items():
        (corpus / name).write_bytes(data)
    (corpus / "rows.jsonl").write_text(
        json.dumps({"text": "Premier. " + FRENCH}) + "\n{pas du json\n" + json.dumps({"text": "Troisième. " + FRENCH}) + "\n",
        encoding="utf-8",
    )
    (corpus / "quoted.csv").write_bytes(
        b"\xef\xbb\xbfid;text;extra\n1;\"Ligne une.\nLigne deux. " + FRENCH.encode() + b"\";x\n"
    )
    store = Store(root / "store")
    report = ingest([str(corpus)], store)
    return report, store


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_hostile_each_file_gets_its_outcome(hostile_run, name):
    report, _ = hostile_run
    _, outcome, detail = BAD_FILES[name]
    found = [(o.outcome, o.detail) for o in report.outcomes if o.source == f"corpus/{name}"]
    assert found == [(outcome, detail)]


def test_hostile_jsonl_broken_line_reported_with_its_number_others_ingested(hostile_run):
    report, _ = hostile_run
    rows = {o.source: o.outcome for o in report.outcomes if o.source.startswith("corpus/rows.jsonl")}
    assert rows == {"corpus/rows.jsonl#1": "added", "corpus/rows.jsonl#2": "rejected", "corpus/rows.jsonl#3": "added"}
    [broken] = [o for o in report.outcomes if o.source == "corpus/rows.jsonl#2"]
    assert broken.detail.startswith("invalid JSON on line 2:")


def test_hostile_csv_with_bom_quoted_newlines_and_extra_columns(hostile_run):
    _, store = hostile_run
    articles = load_articles(store, with_text=True).set_index("source")
    assert articles.loc["corpus/quoted.csv#1", "raw_text"].startswith("Ligne une.\nLigne deux. ")


def test_hostile_rejections_are_in_the_export(hostile_run):
    _, store = hostile_run
    rejected = {r["source"]: r["reason"] for r in export_corpus(store)["rejected"]}
    expected = {f"corpus/{n}": d for n, (_, o, d) in BAD_FILES.items() if o == "rejected"}
    assert {k: v for k, v in rejected.items() if k in expected} == expected
    assert "corpus/rows.jsonl#2" in rejected


def test_hostile_other_languages_are_kept_readable(hostile_run):
    _, store = hostile_run
    articles = load_articles(store, with_text=True).set_index("source")
    row = articles.loc["corpus/arabic.txt"]
    assert row["lang"] == "ar" and row["status"] == "unanalysed" and row["text"].startswith("تعهد")
    english = articles.loc["corpus/english.txt"]
    assert english["lang"] == "en" and english["status"] == "analysed"
    assert english["status_reason"].startswith("with the French pipeline")


def test_hostile_html_is_stored_as_text_never_as_markup(tmp_path):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [clic](javascript:alert(3)) " + FRENCH
    (tmp_path / "evil.txt").write_text(hostile, encoding="utf-8")
    store = Store(tmp_path / "store")
    ingest([str(tmp_path / "evil.txt")], store)
    row = load_articles(store, with_text=True).iloc[0]
    assert row["text"] == hostile


def test_hostile_huge_file_is_refused_and_a_long_line_is_kept_unanalysed(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        line = (FRENCH + "\n").encode()
        handle.write(line * (50_000_000 // len(line)))
    long_line = tmp_path / "line.txt"
    long_line.write_text(" ".join([FRENCH] * (1_000_000 // len(FRENCH))), encoding="utf-8")
    store = Store(tmp_path / "store")
    report = ingest([str(big), str(long_line)], store)
    outcomes = {o.source.rsplit("/", 1)[-1]: (o.outcome, o.detail) for o in report.outcomes}
    assert outcomes["big.txt"][0] == "rejected"
    assert outcomes["big.txt"][1].startswith("file too large: 50.0 MB, the limit for one .txt file is 20 MB")
    assert outcomes["line.txt"] == ("added", "kept, not analysed: longer than 200,000 characters: kept and readable, not analysed")


def test_hostile_same_file_twice_and_odd_names(tmp_path):
    corpus = tmp_path / "c"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    (corpus / "a" / "same.txt").write_text(FRENCH, encoding="utf-8")
    (corpus / "b" / "same.txt").write_text(FRENCH, encoding="utf-8")
    (corpus / "b" / "odd..%2F\x1bname.txt").write_text("Autre. " + FRENCH, encoding="utf-8")
    store = Store(tmp_path / "store")
    first = ingest([str(corpus)], store)
    assert [(o.source, o.outcome) for o in first.outcomes] == [
        ("c/a/same.txt", "added"), ("c/b/odd..%2F\\x1bname.txt", "added"), ("c/b/same.txt", "duplicate"),
    ]
    upload = list(read_bytes(FRENCH.encode(), "../../etc/\x07passwd.txt", ".txt"))
    assert upload[0].source == "../../etc/\\x07passwd.txt"  # a label only: never used as a path
    again = ingest([str(corpus)], store)
    assert {o.outcome for o in again.outcomes} == {"already present"}


@pytest.mark.parametrize(("header", "date", "note"), [
    ("date 2023-13", None, "header date 2023-13 ignored: there is no month 13"),
    ("date 1899-01", "1899-01", None),
    ("date 2091-05", None, "header date 2091-05 ignored: it is in the future"),
    ("date 2023", "2023", None),
])
def test_hostile_odd_header_dates(header, date, note):
    article = prepare_article(RawDocument("x.txt", f"{header} {FRENCH}", "utf-8"), "now")
    assert article.date == date
    assert article.text == FRENCH
    assert (article.notes or None) == note


def test_hostile_ten_thousand_tiny_files(tmp_path):
    corpus = tmp_path / "tiny"
    corpus.mkdir()
    for index in range(10_000):
        (corpus / f"{index:05d}.txt").write_text(f"Note {index}.", encoding="utf-8")
    store = Store(tmp_path / "store")
    report = ingest([str(corpus)], store)
    assert report.added == 10_000
    assert len(store.read("articles", columns=["id"])) == 10_000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from([".txt", ".md", ".html", ".csv", ".jsonl"]))
def test_hostile_arbitrary_bytes_give_documents_or_rejections(data, suffix):
    for item in read_bytes(data, f"f{suffix}", suffix):
        assert isinstance(item, (RawDocument, Rejection))
        if isinstance(item, RawDocument):
            prepare_article(item, "now")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_hostile_decode_raises_only_input_error(data):
    try:
        text, _, _ = decode_bytes(data)
    except InputError:
        return
    assert isinstance(text, str)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_hostile_arbitrary_text_through_the_date_parsers(text):
    split = split_header(text)
    assert split.date.value is None or split.date.source == "header"
    found = parse_metadata_date(text)
    assert found.value is None or found.precision in {"day", "month", "year"}

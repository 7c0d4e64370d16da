"""Every input format and encoding, read into raw documents or clear rejections."""

from __future__ import annotations

import json

import pytest

from core.readers import (
    FIRST_ROW, MAX_FILE_BYTES, RawDocument, Rejection, iter_files, read_bytes, read_path, row_starts,
)

FRENCH = "Le dirigeant nord-coréen Kim Jong Un a promis son soutien à Vladimir Poutine."


def _one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize(("encoding", "prefix"), [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("latin-1", b""), ("utf-16", b""),
])
def test_readers_text_encodings_decode_to_the_same_text(encoding, prefix):
    data = prefix + FRENCH.encode(encoding)
    document = _one(read_bytes(data, "a.txt", ".txt"))
    assert isinstance(document, RawDocument)
    assert document.raw_text == FRENCH


def test_readers_mixed_line_endings_are_normalised():
    document = _one(read_bytes(b"Un.\r\nDeux.\rTrois.\nQuatre.", "a.txt", ".txt"))
    assert document.raw_text == "Un.\nDeux.\nTrois.\nQuatre."


def test_readers_markdown_title_from_first_heading():
    document = _one(read_bytes("# Le [sommet](http://x) de Vostochny\n\nTexte.".encode(), "a.md", ".md"))
    assert document.title == "Le sommet de Vostochny"


def test_readers_html_keeps_the_article_not_the_chrome():
    html = (
        "<html><head><title>Sommet</title><script>alert(1)</script></head><body>"
        "<nav>Accueil | Monde | Sport</nav><article><h1>Kim chez Poutine</h1>"
        + "".join(f"<p>{FRENCH} Paragraphe {i} sur la coopération militaire entre les deux pays.</p>" for i in range(6))
        + "</article><footer>Mentions légales</footer></body></html>"
    )
    document = _one(read_bytes(html.encode(), "page.html", ".html"))
    assert "Paragraphe 0 sur la coopération" in document.raw_text
    assert "Mentions légales" not in document.raw_text
    assert "alert(1)" not in document.raw_text
    assert document.title in {"Kim chez Poutine", "Sommet"}


def test_readers_csv_rows_with_metadata(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text("titre;texte;date;source\nA;" + FRENCH + ";2024-06-19;Le Monde\nB;\"Deux\nlignes de texte\";;AFP\n", encoding="utf-8-sig")
    first, second = read_path(path, "corpus.csv")
    assert (first.source, first.title, first.date, first.outlet, first.raw_text) == ("corpus.csv#1", "A", "2024-06-19", "Le Monde", FRENCH)
    assert (second.source, second.raw_text, second.date) == ("corpus.csv#2", "Deux\nlignes de texte", None)


def test_readers_csv_without_text_column_is_rejected_with_the_columns_found(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text("titre,auteur\nA,B\n", encoding="utf-8")
    rejection = _one(read_path(path, "corpus.csv"))
    assert rejection == Rejection("corpus.csv", "no text column: expected one of text, body, content, texte, article, contenu; found titre, auteur")


def test_readers_jsonl_broken_line_is_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"text": FRENCH, "lang": "fr"}), "{broken", json.dumps({"body": "Second article."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(path, "corpus.jsonl"))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]
    assert items[1].source == "corpus.jsonl#2"
    assert items[1].reason.startswith("invalid JSON on line 2:")
    assert items[2].raw_text == "Second article."


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty: the file holds no text"),
    (b"  \n\t\n", "empty: the file holds only white space"),
    (b"12 345 -- 678 !!!", "no words: the file holds only numbers, punctuation or symbols"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary content: this is a PNG image, not text"),
    (b"%PDF-1.7\n%\xe2\xe3", "binary content: this is a PDF document, not text"),
    (b"PK\x03\x04\x14\x00", "binary content: this is a ZIP archive (or a Word/OpenDocument file), not text"),
])
def test_readers_unreadable_content_is_rejected_with_its_reason(data, reason):
    assert _one(read_bytes(data, "x.txt", ".txt")) == Rejection("x.txt", reason)


def test_readers_a_nul_byte_in_good_text_is_removed_and_noted():
    document = _one(read_bytes(FRENCH.encode()[:20] + b"\x00" + FRENCH.encode()[20:], "a.txt", ".txt"))
    assert document.raw_text == FRENCH
    assert document.notes == ("1 NUL byte(s) removed",)


def test_readers_unsupported_extension():
    assert _one(read_bytes(b"x", "notes.docx", ".docx")).reason.startswith("unsupported file type .docx")


def test_readers_folders_are_walked_and_same_names_stay_distinct(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "corpus" / folder).mkdir(parents=True)
        (tmp_path / "corpus" / folder / "article.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "corpus" / ".DS_Store").write_bytes(b"\x00\x01")
    sources = [source for _, source in iter_files([tmp_path / "corpus"])]
    assert sources == ["corpus/a/article.txt", "corpus/b/article.txt"]


def test_readers_control_characters_in_names_are_shown_escaped(tmp_path):
    path = tmp_path / "bad\x07name.txt"
    path.write_text(FRENCH, encoding="utf-8")
    [(_, source)] = list(iter_files([path]))
    assert source.endswith("bad\\x07name.txt")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8", "utf-16"])
def test_readers_csv_and_jsonl_are_decoded_like_text_files(encoding):
    csv_bytes = ("text,title\n" + f'"{FRENCH}","Été à Séoul"\n').encode(encoding)
    document = _one(read_bytes(csv_bytes, "a.csv", ".csv"))
    legacy = ("not UTF-8: read as cp1252",) if encoding in ("cp1252", "latin-1") else ()
    assert (document.raw_text, document.title, document.notes) == (FRENCH, "Été à Séoul", legacy)
    jsonl = (json.dumps({"text": FRENCH, "title": "Été"}, ensure_ascii=False) + "\n").encode(encoding)
    document = _one(read_bytes(jsonl, "a.jsonl", ".jsonl"))
    assert (document.raw_text, document.title) == (FRENCH, "Été")


def test_readers_a_row_that_breaks_the_json_parser_rejects_that_row_only():
    rows = [
        json.dumps({"text": "Premier. " + FRENCH}),
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"text": "x", "date": ' + "1" * 5_000 + "}",
        json.dumps({"text": "Quatrième. " + FRENCH}),
    ]
    items = list(read_bytes("\n".join(rows).encode(), "rows.jsonl", ".jsonl"))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "Rejection", "RawDocument"]
    assert items[1].reason == "unreadable JSON on line 2: nested too deep"
    assert items[2].reason.startswith("unreadable JSON on line 3: Exceeds the limit")


def test_readers_bytes_that_are_not_text_in_a_utf8_table_are_noted():
    data = b"text\n" + FRENCH.encode() + b"\n" + FRENCH.encode()[:20] + b"\xff\xfe" + FRENCH.encode()[20:] + b"\n"
    first, second = read_bytes(data, "a.csv", ".csv")
    assert first.notes == ()
    assert second.notes == ("2 byte(s) that are not text in the file's encoding shown as \ufffd",)


def test_readers_a_table_mixing_utf8_and_cp1252_rows_reads_each_row_right():
    utf8_row = ('"' + FRENCH + '","Été"\n').encode("utf-8")
    cp1252_row = ('"Le président a été reçu à Séoul.","Hiver"\n').encode("cp1252")
    first, second, third = read_bytes(b"text,title\n" + utf8_row + cp1252_row + utf8_row, "mixed.csv", ".csv")
    assert (first.raw_text, first.title, first.notes, first.encoding) == (FRENCH, "Été", (), "utf-8")
    assert second.raw_text == "Le président a été reçu à Séoul." and second.notes == ("not UTF-8: read as cp1252",)
    assert second.encoding == "cp1252" and third.raw_text == FRENCH
    lines = [json.dumps({"text": FRENCH}, ensure_ascii=False).encode(), json.dumps({"text": "Reçu à Séoul, été."}, ensure_ascii=False).encode("cp1252")]
    a, b = read_bytes(b"\n".join(lines), "mixed.jsonl", ".jsonl")
    assert (a.raw_text, a.notes) == (FRENCH, ()) and (b.raw_text, b.notes) == ("Reçu à Séoul, été.", ("not UTF-8: read as cp1252",))


def _table_files(tmp_path):
    csv_file = tmp_path / "t.csv"
    csv_file.write_bytes(
        "titre,texte\r\nUn,\"Premier paragraphe.\r\n\r\nSecond paragraphe de Kim Jong Un.\"\r\nDeux,\r\n"
        "Trois,Une ligne en cp1252 \xe9t\xe9 \xe0 Moscou.\r\nQuatre,\"Sur\r\ntrois\r\nlignes.\"\r\n"
        "Cinq,Dernière ligne.\r\n".encode("utf-8").replace("\xe9t\xe9 \xe0".encode("utf-8"), "\xe9t\xe9 \xe0".encode("cp1252")))
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("\n".join([json.dumps({"text": FRENCH}), "", "{cassé", json.dumps({"titre": "sans texte"}),
                                json.dumps({"text": "Deuxième article complet."}), "", json.dumps(["une", "liste"]),
                                json.dumps({"text": "Le dernier."})]), encoding="utf-8")
    empty = tmp_path / "vide.jsonl"
    empty.write_text("\n\n\n\n\n", encoding="utf-8")
    header_only = tmp_path / "entete.csv"
    header_only.write_text("titre,auteur\nUn,Deux\nTrois,Quatre\n", encoding="utf-8")
    return [csv_file, jsonl, empty, header_only]


@pytest.mark.parametrize(("every", "max_bytes"), [(1, 1 << 30), (2, 1 << 30), (3, 1 << 30), (50, 1 << 30), (50, 60)])
def test_readers_a_table_read_in_pieces_gives_what_it_gives_whole(tmp_path, every, max_bytes):
    """The cluster ingest reads a large CSV or JSONL in pieces, each from its own byte offset: together
    they give the same documents and rejections, in the same order, and what concerns the whole file
    once."""
    for path in _table_files(tmp_path):
        whole = list(read_path(path, path.name))
        starts = row_starts(path, every, max_bytes)
        assert starts[0] == FIRST_ROW
        stops = [start.row for start in starts[1:]] + [None]
        pieces = [item for start, stop in zip(starts, stops) for item in read_path(path, path.name, start, stop)]
        assert pieces == whole, path.name
    assert [type(item).__name__ for item in read_path(tmp_path / "t.csv", "t.csv")] == ["RawDocument", "Rejection", "RawDocument", "RawDocument", "RawDocument"]
    assert len(row_starts(tmp_path / "t.csv", 1, 1 << 30)) == 5  # a row over three lines is one row
    third = row_starts(tmp_path / "t.csv", 1, 1 << 30)[2]
    assert any(isinstance(item, RawDocument) and item.notes for item in read_path(tmp_path / "t.csv", "t.csv", third, 4))


def test_readers_an_unreadable_csv_row_ends_the_file_in_pieces_as_whole(tmp_path):
    path = tmp_path / "long.csv"
    rows = ["titre,texte", "Un,Premier.", "Deux,Second.", "Trois," + "x" * (MAX_FILE_BYTES + 10), "Quatre,Après."]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole = list(read_path(path, "long.csv"))
    assert [item.source for item in whole] == ["long.csv#1", "long.csv#2", "long.csv#3"]
    assert isinstance(whole[-1], Rejection) and "unreadable CSV row" in whole[-1].reason
    starts = row_starts(path, 2, 1 << 40)
    assert [start.row for start in starts] == [1, 3]
    pieces = [item for start, stop in zip(starts, [3, None]) for item in read_path(path, "long.csv", start, stop)]
    assert pieces == whole


def test_readers_a_piece_that_cannot_be_read_is_rejected_with_its_rows(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"Article {n}."}) for n in range(1, 7)) + "\n", encoding="utf-8")
    starts = row_starts(path, 2, 1 << 30)
    path.unlink()
    assert list(read_path(path, "t.jsonl", starts[1], starts[2].row)) == [Rejection("t.jsonl#3-4", "cannot read the file: No such file or directory")]
    assert list(read_path(path, "t.jsonl", starts[0], starts[1].row)) == [Rejection("t.jsonl", "cannot read the file: No such file or directory")]

"""Compare ways of dating an article from its text, on a hand-labelled corpus.

Contenders, each given the text as ingest sees it (the ``date`` header removed and
its month kept apart, boilerplate lines cleaned):

- ``core.dates`` (this project): stamps, datelines and ledes judged by where they stand;
- ``dateparser``'s ``search_dates`` with strict settings (day, month and year required,
  absolute dates only, no relative words), first date found;
- ``htmldate``'s ``find_date`` on the text wrapped as a page (original date, no
  extensive search, which would fall back to any date of the text).

A corpus is a folder with ``articles/`` and ``gold.json`` in the format of
``../shared/eval/wagner`` (``best_date`` and ``best_date_basis`` per file). Figures
only, printed: nothing of the corpus is kept.

Usage: ``python -m bench.date_methods ../shared/eval/wagner``
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from core.cleaning import clean_body
from core.dates import date_from_text, split_header, stamp_in_text
from core.language import detect_language


def ours(body: str, lang: str) -> str | None:
    return date_from_text(body, lang).value


def with_dateparser(body: str, lang: str) -> str | None:
    from dateparser.search import search_dates

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"],
                "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(body, languages=[lang] if lang in ("fr", "en", "es") else None, settings=settings)
    return found[0][1].date().isoformat() if found else None


def with_htmldate(body: str, lang: str) -> str | None:
    from htmldate import find_date

    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return find_date(f"<html><body>{paragraphs}</body></html>", extensive_search=False, original_date=True)


CONTENDERS = {"core.dates": ours, "dateparser (strict)": with_dateparser, "htmldate": with_htmldate}


def measure(corpus: Path) -> list[str]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    tallies = {name: {"right": 0, "wrong": 0, "missing": 0, "invented": 0} for name in CONTENDERS}
    datable = 0
    for item in gold:
        raw = (corpus / "articles" / item["file"]).read_text(encoding="utf-8")
        split = split_header(raw)
        body = clean_body(split.body).text
        lang = detect_language(body)
        best, basis = item.get("best_date"), item.get("best_date_basis")
        datable += basis in ("header", "text")
        for name, date_of in CONTENDERS.items():
            if split.date.value:  # the header dates it; only a stamp may replace it
                stamp = stamp_in_text(body, lang).value if name == "core.dates" else None
                found = stamp or split.date.value
            else:
                found = date_of(body, lang)
            tally = tallies[name]
            if basis in ("header", "text"):
                if not found:
                    tally["missing"] += 1
                elif found[:7] == best[:7]:
                    tally["right"] += 1
                else:
                    tally["wrong"] += 1
            elif found and (not best or found[:7] != best[:7]):
                tally["invented"] += 1
    lines = [f"{corpus.name}: {len(gold)} files, {datable} datable from their header or text", "",
             "| method | right month | wrong | missing | invented (dated though the text does not say) |",
             "|---|---|---|---|---|"]
    for name, t in tallies.items():
        lines.append(f"| {name} | {t['right']} | {t['wrong']} | {t['missing']} | {t['invented']} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.date_methods")
    parser.add_argument("corpus", type=Path, help="a folder with articles/ and gold.json")
    arguments = parser.parse_args(argv)
    print("\n".join(measure(arguments.corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Deterministic synthetic French press corpus for benchmarks (never committed).

French text is recombined from the seed articles' sentences: each article is
8-20 paragraphs of 1-3 sentences drawn at random from the seeds (half of their
lower-case words swapped for other seed words), under a headline made
from the opening words of one sentence. The same ``seed`` and
``n`` always give byte-identical files.

People, places and organisations come from large pools of invented names
(:mod:`bench.names`, Zipf-distributed, a few written another way): each original
article has a cast of two to six people, one to three places and up to two
organisations, named in sentences of :data:`CAST_SENTENCES` mixed into its
paragraphs (a person in full first, then by surname), so that distinct entities
grow with the corpus as in real archives.

Mix (shares of the corpus, approximately):

- dates spread uniformly over 2019-2025; 70 % full dates, 20 % month-only
  (the seeds' `` date 2023-09 `` header form), 10 % undated;
- 10 % wire copies: an earlier article republished with small edits
  (headline rewritten, sentences dropped or added, "Lire aussi : ..." and
  "Laisser un commentaire" lines added); see :func:`wire_copy` for the edit
  strengths;
- 30 % of articles carry some page boilerplate (share buttons, read-also links,
  comment forms) that the cleaner should remove.

Output formats, both read by ``python -m core ingest``:

- ``txt``: one ``.txt`` file per article, ``[ date YYYY-MM[-DD] ]`` header, a
  headline line, a blank line, paragraphs separated by blank lines;
- ``jsonl``: rows ``{"text", "title", "date", "source"}`` in files of at most
  ``rows_per_file`` rows (the default for 10,000 articles or more: 100,000
  small files cost more in file-system overhead than in analysis).

Usage::

    python -m bench.generate 1000 --out /tmp/press-bench/c1k [--format txt|jsonl|auto] [--seed 7]

The generator's truth (which article is a wire copy of which, and with what
edits) is written next to the corpus folder as ``<out>.truth.jsonl``, never
inside it (the ingest would reject it as an unsupported file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bench.names import Zipf, pools, surname, variant

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
DEFAULT_OUT = Path("/tmp/press-bench")
DEFAULT_SEED = 20240619

WIRE_SHARE = 0.10
UNDATED_SHARE = 0.10
MONTH_ONLY_SHARE = 0.20
BOILERPLATE_SHARE = 0.30

_HEADER = re.compile(r"\A\s*date\s+\d[\d-]*\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?»…])\s+(?=[A-ZÀ-ÝÉÈ«“\"'—-])")

BOILERPLATE = [
    "Partager sur Facebook",
    "Partager sur Twitter",
    "Laisser un commentaire",
    "Votre adresse e-mail ne sera pas publiée.",
    "Abonnez-vous à notre newsletter",
    "3 commentaires",
    "Cette vidéo n'est pas disponible",
]
READ_ALSO = [
    "Lire aussi : {}",
    "À lire aussi : {}",
    "Lire aussi | {}",
    "Voir également : {}",
]
OUTLETS = [
    "agence-presse.example", "quotidien-national.example", "journal-regional.example", "hebdo-monde.example",
    "radio-info.example", "site-actu.example", "portail-news.example", "revue-strategie.example",
]


GENERATOR_VERSION = 2
"""Changes when the same seed gives other bytes (2: the cast of invented names)."""

CAST_SENTENCES = (
    "{person}, {role} de {organisation}, s'est rendu à {place} en début de semaine.",
    "« Nous suivons la situation de très près », a déclaré {person} devant la presse.",
    "Selon {surname}, {organisation} prépare de nouvelles mesures visant {place}.",
    "{surname} a rencontré {other} à {place} pour un entretien de deux heures.",
    "Les autorités de {place} ont démenti toute implication de {organisation}.",
    "Interrogé sur ce point, {surname} a refusé de commenter les informations parues à {place}.",
    "{other}, {role} de {organisation}, estime que la décision était attendue.",
    "La délégation conduite par {person} est arrivée à {place} mardi soir.",
    "« Rien n'a été décidé », a assuré {surname}, cité par {organisation}.",
    "D'après {organisation}, les échanges entre {place} et ses voisins ont doublé en un an.",
    "{person} a rappelé que {organisation} n'avait reçu aucune demande officielle.",
    "Le déplacement de {surname} à {place} avait été annoncé la veille.",
)
"""Sentences naming the cast of an article (written for this generator)."""
ROLES = ("porte-parole", "directeur", "directrice adjointe", "conseiller", "analyste", "président", "ancien responsable")
CAST_SHARE = 0.6
"""Share of paragraphs given a sentence about the article's cast."""


@dataclass
class GeneratedArticle:
    """One article as the generator made it (the truth the benchmark compares against)."""

    index: int
    title: str
    paragraphs: list[str]
    date: str | None
    """``YYYY-MM-DD``, ``YYYY-MM`` or None (undated)."""
    outlet: str
    wire_of: int | None = None
    """Index of the article this one copies, for wire copies."""
    edits: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    """Lines inserted among the paragraphs (``(position, line)`` encoded in ``placed``)."""
    placed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"a{self.index:06d}"

    def body(self) -> str:
        """Paragraphs with the boilerplate lines at their positions, blank-line separated."""
        blocks = list(self.paragraphs)
        for position, line in sorted(self.placed, key=lambda p: -p[0]):
            blocks.insert(min(position, len(blocks)), line)
        return "\n\n".join(blocks)

    def clean_body(self) -> str:
        """The article prose only (what the cleaner should leave)."""
        return "\n\n".join(self.paragraphs)

    def txt(self) -> str:
        header = f" date {self.date} " if self.date else ""
        return f"{header}\n{self.title}\n\n{self.body()}\n"

    def json_row(self) -> dict:
        return {"text": self.body(), "title": self.title, "date": self.date or "", "source": self.outlet}

    def words(self) -> int:
        return len(self.clean_body().split())


@lru_cache(maxsize=1)
def seed_material(seeds_dir: Path = SEEDS_DIR) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """``(sentences, paragraphs)`` of the seed articles' prose (headers, captions and bylines left out).

    A paragraph is a line of at least 8 words; sentences are split on end
    punctuation followed by a capital or an opening quote.
    """
    paragraphs: list[tuple[str, ...]] = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        text = _HEADER.sub("", path.read_text(encoding="utf-8"), count=1)
        for line in text.split("\n"):
            line = line.strip()
            if len(line.split()) < 8:
                continue
            sentences = tuple(s.strip() for s in _SENTENCE_END.split(line) if len(s.split()) >= 4)
            if sentences:
                paragraphs.append(sentences)
    sentences = tuple(s for p in paragraphs for s in p)
    return sentences, tuple(paragraphs)


def _headline(rng: random.Random, sentences: tuple[str, ...]) -> str:
    words = rng.choice(sentences).split()
    start = rng.randrange(0, max(1, len(words) - 6))
    chosen = words[start:start + rng.randint(5, 11)]
    title = " ".join(chosen).strip(" ,;:.!?«»\"'—-")
    return title[:1].upper() + title[1:]


def _paragraph(rng: random.Random, sentences: tuple[str, ...]) -> str:
    return " ".join(_varied(rng, rng.choice(sentences)) for _ in range(rng.choice((1, 2, 2, 3))))


VARIED_SHARE = 0.5
"""Share of lower-case words of a drawn sentence replaced by other seed words, so that two articles
drawing the same sentence share few word 5-grams (unrelated real articles share almost none; without
this every generated article would look like a wire copy of many others)."""


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    sentences, _ = seed_material()
    return tuple(sorted({w for s in sentences for w in s.split() if w.isalpha() and w.islower() and len(w) >= 4}))


def _varied(rng: random.Random, sentence: str) -> str:
    vocabulary = _vocabulary()
    words = sentence.split(" ")
    for i, word in enumerate(words):
        if word.isalpha() and word.islower() and len(word) >= 4 and rng.random() < VARIED_SHARE:
            words[i] = rng.choice(vocabulary)
    return " ".join(words)


def _date(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < UNDATED_SHARE:
        return None
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(2025, 12, 31) - dt.date(2019, 1, 1)).days + 1))
    if roll < UNDATED_SHARE + MONTH_ONLY_SHARE:
        return day.strftime("%Y-%m")
    return day.isoformat()


def _boilerplate(rng: random.Random, article: GeneratedArticle, titles: list[str], lines: int) -> None:
    for _ in range(lines):
        if rng.random() < 0.4 and titles:
            line = rng.choice(READ_ALSO).format(rng.choice(titles))
        else:
            line = rng.choice(BOILERPLATE)
        position = rng.choice((0, len(article.paragraphs) // 2, len(article.paragraphs)))
        article.placed.append((position, line))
        article.boilerplate.append(line)


STRENGTHS = ("light", "medium", "heavy", "republished", "rewrite")


def wire_copy(
    rng: random.Random, original: GeneratedArticle, index: int, strength: str, sentences: tuple[str, ...], titles: list[str],
) -> GeneratedArticle:
    """An edited republication of ``original``.

    Edit strengths (each includes the one before):

    - ``light``: headline rewritten, "Lire aussi : ..." and "Laisser un commentaire" added;
    - ``medium``: one sentence dropped and one sentence added;
    - ``heavy``: two more sentences dropped, one more added, and the last paragraph cut;
    - ``republished``: what sites do to agency copy (measured on real pairs): the lead
      dropped, only the first half or so kept, a paragraph of the site's own added;
    - ``rewrite``: a third of the paragraphs replaced by other text (beyond what news
      sites do to agency copy; shows where detection stops).
    """
    paragraphs = [list(_SENTENCE_END.split(p)) for p in original.paragraphs]
    edits = ["headline"]
    level = STRENGTHS.index(strength)

    def drop_sentence() -> None:
        candidates = [i for i, p in enumerate(paragraphs) if len(p) > 1] or [i for i, p in enumerate(paragraphs) if p]
        if candidates and sum(map(len, paragraphs)) > 2:
            i = rng.choice(candidates)
            del paragraphs[i][rng.randrange(len(paragraphs[i]))]
        edits.append("sentence dropped")

    def add_sentence() -> None:
        i = rng.randrange(len(paragraphs))
        paragraphs[i].insert(rng.randrange(len(paragraphs[i]) + 1), rng.choice(sentences))
        edits.append("sentence added")

    if level >= 1:
        drop_sentence()
        add_sentence()
    if level >= 2:
        drop_sentence()
        drop_sentence()
        add_sentence()
        if len(paragraphs) > 3:
            paragraphs.pop()
            edits.append("last paragraph cut")
    if strength == "republished":
        if len(paragraphs) > 2:
            del paragraphs[0]
            edits.append("lead dropped")
        keep = max(2, (len(paragraphs) + 1) // 2 + rng.randrange(2))
        if keep < len(paragraphs):
            del paragraphs[keep:]
            edits.append("cut after the first half")
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), [_paragraph(rng, sentences)])
        edits.append("paragraph added")
    if level >= 4:
        for i in rng.sample(range(len(paragraphs)), max(1, len(paragraphs) // 3)):
            paragraphs[i] = [_paragraph(rng, sentences)]
        edits.append("a third rewritten")
    copy = GeneratedArticle(
        index=index,
        title=_headline(rng, sentences) if rng.random() < 0.5 else f"{original.title} : {rng.choice(('ce qu’il faut savoir', 'les réactions', 'le point', 'décryptage'))}",
        paragraphs=[" ".join(p) for p in paragraphs if p],
        date=original.date,
        outlet=rng.choice([o for o in OUTLETS if o != original.outlet]),
        wire_of=original.index,
        edits=edits,
    )
    copy.placed.append((len(copy.paragraphs) // 2, f"Lire aussi : {rng.choice(titles) if titles else original.title}"))
    copy.placed.append((len(copy.paragraphs), "Laisser un commentaire"))
    copy.boilerplate += [line for _, line in copy.placed]
    return copy


@dataclass
class _Cast:
    people: list[str]
    places: list[str]
    organisations: list[str]
    named: set[str] = field(default_factory=set)

    def person(self, rng: random.Random, by_surname: float = 0.8) -> str:
        """A person as written: in full the first time, then by surname (share ``by_surname``)."""
        person = rng.choice(self.people)
        first = person not in self.named
        self.named.add(person)
        return person if first or rng.random() >= by_surname else surname(person)


class _Names:
    def __init__(self) -> None:
        named = pools()
        self.people, self.places, self.organisations = (Zipf(named[kind], 0.9) for kind in ("people", "places", "organisations"))

    def cast(self, rng: random.Random) -> _Cast:
        def written(name: str) -> str:
            return variant(rng, name) if rng.random() < 0.05 else name

        return _Cast([written(self.people.draw(rng)) for _ in range(rng.randint(2, 6))],
                     [self.places.draw(rng) for _ in range(rng.randint(1, 3))],
                     [self.organisations.draw(rng) for _ in range(rng.randint(1, 2))])


def _cast_sentence(rng: random.Random, cast: _Cast) -> str:
    template = rng.choice(CAST_SENTENCES)
    written = cast.person(rng, 0.9 if "{surname}" in template else 0.3)
    other = cast.person(rng)
    sentence = template.format(person=written, surname=written, other=other, role=rng.choice(ROLES),
                               place=rng.choice(cast.places), organisation=rng.choice(cast.organisations))
    return sentence[:1].upper() + sentence[1:]


def _with_cast(rng: random.Random, paragraphs: list[str], cast: _Cast) -> list[str]:
    return [f"{p} {_cast_sentence(rng, cast)}" if rng.random() < CAST_SHARE else p for p in paragraphs]


def generate(n: int, seed: int = DEFAULT_SEED, wire_strengths: tuple[str, ...] = ("light", "medium", "republished", "heavy")) -> Iterator[GeneratedArticle]:
    """Yield ``n`` articles, deterministically for a given ``seed``.

    Originals are kept in memory only as a bounded window (the last 2,000) so a
    wire copy can quote them; memory does not grow with ``n``.
    """
    sentences, _ = seed_material()
    rng = random.Random(seed)
    names = _Names()
    recent: list[GeneratedArticle] = []
    titles: list[str] = []
    for index in range(n):
        if recent and rng.random() < WIRE_SHARE:
            article = wire_copy(rng, rng.choice(recent), index, rng.choice(wire_strengths), sentences, titles[-50:])
        else:
            article = GeneratedArticle(
                index=index,
                title=_headline(rng, sentences),
                paragraphs=_with_cast(rng, [_paragraph(rng, sentences) for _ in range(rng.randint(8, 20))], names.cast(rng)),
                date=_date(rng),
                outlet=rng.choice(OUTLETS),
            )
            if rng.random() < BOILERPLATE_SHARE:
                _boilerplate(rng, article, titles[-50:], rng.randint(1, 3))
            recent.append(article)
            if len(recent) > 2000:
                recent.pop(0)
        titles.append(article.title)
        if len(titles) > 200:
            del titles[:100]
        yield article


def write_corpus(
    n: int,
    out: str | Path,
    fmt: str = "auto",
    seed: int = DEFAULT_SEED,
    rows_per_file: int = 5000,
    force: bool = False,
) -> dict:
    """Write ``n`` articles into the folder ``out`` (replaced) and return a summary.

    ``fmt`` ``auto`` means ``txt`` under 10,000 articles and ``jsonl`` from
    10,000. The summary (``articles``, ``words``, ``bytes``, ``wire``,
    ``undated``, ``month_only``, ``format``) is also written to
    ``<out>.summary.json``; when that file says the folder already holds the
    same corpus, nothing is rewritten (unless ``force``).
    """
    out = Path(out)
    fmt = ("jsonl" if n >= 10_000 else "txt") if fmt == "auto" else fmt
    summary_path = out.with_name(out.name + ".summary.json")
    truth_path = out.with_name(out.name + ".truth.jsonl")
    wanted = {"articles": n, "seed": seed, "format": fmt, "rows_per_file": rows_per_file, "generator": GENERATOR_VERSION}
    if not force and summary_path.exists() and out.is_dir():
        previous = json.loads(summary_path.read_text())
        if all(previous.get(k) == v for k, v in wanted.items()):
            return previous
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stats = {**wanted, "words": 0, "bytes": 0, "wire": 0, "undated": 0, "month_only": 0, "boilerplate": 0}
    handle = None
    with open(truth_path, "w", encoding="utf-8") as truth:
        for article in generate(n, seed):
            stats["words"] += article.words()
            stats["wire"] += article.wire_of is not None
            stats["undated"] += article.date is None
            stats["month_only"] += bool(article.date) and len(article.date) == 7
            stats["boilerplate"] += bool(article.boilerplate)
            if fmt == "txt":
                payload = article.txt().encode("utf-8")
                (out / f"{article.name}.txt").write_bytes(payload)
                stats["bytes"] += len(payload)
            else:
                if article.index % rows_per_file == 0:
                    if handle:
                        handle.close()
                    handle = open(out / f"part-{article.index // rows_per_file:04d}.jsonl", "w", encoding="utf-8")
                line = json.dumps(article.json_row(), ensure_ascii=False) + "\n"
                handle.write(line)
                stats["bytes"] += len(line.encode("utf-8"))
            truth.write(json.dumps({"index": article.index, "name": article.name, "wire_of": article.wire_of, "edits": article.edits, "date": article.date}) + "\n")
    if handle:
        handle.close()
    summary_path.write_text(json.dumps(stats, indent=1))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles (e.g. 1000, 10000, 100000)")
    parser.add_argument("--out", type=Path, default=None, help=f"target folder (default {DEFAULT_OUT}/cN)")
    parser.add_argument("--format", choices=("auto", "txt", "jsonl"), default="auto")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="rewrite even if the folder holds the same corpus")
    arguments = parser.parse_args(argv)
    out = arguments.out or DEFAULT_OUT / f"c{arguments.n}"
    stats = write_corpus(arguments.n, out, arguments.format, arguments.seed, force=arguments.force)
    print(json.dumps({"out": str(out), **stats}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

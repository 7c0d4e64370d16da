"""Remove page boilerplate from an article body, conservatively.

The rules live in ``core/data/cleaning_rules.json``. A line is dropped only when
the whole line matches a rule and is short (a paragraph of prose never is), or
when it repeats the line just before it. Every dropped line is reported so the
reading pane can show what cleaning took out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_RULES = Path(__file__).parent / "data" / "cleaning_rules.json"


@dataclass(frozen=True)
class CleaningRules:
    """Compiled boilerplate rules."""

    drop_lines: tuple[tuple[str, re.Pattern[str]], ...]
    max_line_chars: int
    collapse_repeated_lines: bool


@dataclass(frozen=True)
class CleanedText:
    """A cleaned body and what was removed to get it."""

    text: str
    removed: tuple[tuple[str, str], ...]
    """``(line, rule)`` for each line removed, in order."""


@lru_cache(maxsize=4)
def load_rules(path: Path = DEFAULT_RULES) -> CleaningRules:
    """Read and compile a cleaning-rules file; raises ``ValueError`` on a bad pattern."""
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    compiled = []
    for entry in spec.get("drop_lines", []):
        try:
            compiled.append((entry["rule"], re.compile(entry["pattern"], re.IGNORECASE)))
        except re.error as error:
            raise ValueError(f"bad cleaning pattern {entry['pattern']!r} in {path}: {error}") from error
    return CleaningRules(
        drop_lines=tuple(compiled),
        max_line_chars=int(spec.get("max_line_chars", 160)),
        collapse_repeated_lines=bool(spec.get("collapse_repeated_lines", True)),
    )


def line_key(line: str) -> str:
    """Comparison key of a line: case, apostrophes, quotes and spacing folded."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    folded = folded.replace("’", "'").replace("‘", "'").replace("`", "'")
    folded = folded.replace("«", '"').replace("»", '"').replace("“", '"').replace("”", '"')
    return " ".join(folded.split())


def clean_body(text: str, rules: CleaningRules | None = None) -> CleanedText:
    """Return the body without boilerplate lines and immediately repeated lines.

    Blank lines are kept as paragraph breaks (runs of them folded to one), and a
    repeated line is compared with the last non-blank line kept, so a caption
    doubled across a blank line is kept once.
    """
    rules = rules or load_rules()
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    previous_key = None
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        rule = _matching_rule(stripped, rules)
        if rule is not None:
            removed.append((stripped, rule))
            continue
        key = line_key(stripped)
        if rules.collapse_repeated_lines and key == previous_key:
            removed.append((stripped, "repeated line"))
            continue
        kept.append(line.rstrip())
        previous_key = key
    while kept and kept[-1] == "":
        kept.pop()
    return CleanedText("\n".join(kept), tuple(removed))


def _matching_rule(line: str, rules: CleaningRules) -> str | None:
    if len(line) > rules.max_line_chars:
        return None
    for rule, pattern in rules.drop_lines:
        if pattern.fullmatch(line):
            return rule
    return None


def count_words(text: str) -> int:
    """Number of words: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(_WORD.findall(text))


_WORD = re.compile(r"\w+(?:[-'’]\w+)*")

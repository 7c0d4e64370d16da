"""Who said what: direct and indirect quotes and their speakers, by rule, in French and English.

A **direct quote** is a span of at least ``MIN_QUOTE_WORDS`` words between quotation marks (« »,
“ ”, or straight double quotes paired within a paragraph; single quotes are not quotation marks)
that the text attributes to a speaker:

- a reporting clause after it: « … », a déclaré X / a-t-il ajouté / selon X; "…," X said / said X;
- a reporting clause or a colon before it: X a déclaré : « … »; X said: "…"; selon X, « … »;
- no clause of its own, right after a quote of a known speaker (a continuation), or repeating a
  quote of the body (a headline): that speaker.

An **indirect quote** is reported speech with a reporting verb and a named speaker: X a déclaré
que …, X said (that) …, selon X / d'après X / according to X, …, and a clause after the content:
…, a précisé X / …, the Kremlin said.

The speaker is the person named in the reporting clause (else the organisation or place, else the
noun phrase: "les experts onusiens"); a pronoun ("a-t-il ajouté", "Il explique", "he said") is the
last speaker named before, or else left unattributed. Nothing here guesses a speaker the text does
not give. Offsets are into the article's cleaned text; speakers are resolved to canonical entities
by :func:`core.analysis.rebuild_derived` (the mention under the speaker's offsets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.records import Quote

MIN_QUOTE_WORDS = 3
WINDOW_AFTER = 140
WINDOW_BEFORE = 160
"""How far from a quote's marks its reporting clause is looked for (characters, within the paragraph)."""

REPORTING = frozenset("""
declarer dire affirmer ajouter expliquer souligner indiquer preciser assurer estimer annoncer confier lancer
marteler poursuivre repondre rappeler noter observer insister avertir prevenir denoncer reconnaitre admettre
confirmer dementir nier juger considerer ecrire tweeter raconter resumer conclure commenter deplorer regretter
promettre rapporter rapporte savoir accuser accuse qualifier qualifie rassurer rassure reiterer reitere reaffirmer reaffirme valoir lire
martele declare dit affirme ajoute explique souligne indique precise assure estime annonce confie lance
poursuit repond rappelle note observe insiste avertit previent denonce reconnait admet confirme dement nie juge
ecrit raconte resume conclut commente deplore regrette promet temoigner temoigne detailler detaille reagir reagi
say says said saying tell tells told telling add adds added adding state states stated declare declares declared
note notes noted explain explains explained warn warns warned insist insists insisted argue argues argued claim
claims claimed write writes wrote tweet tweeted reply replied respond responded announce announced confirm
confirmed deny denied admit admitted acknowledge acknowledged stress stressed emphasize emphasized emphasised
vow vowed promise promised mention mentioned report reported recall recalled
""".split())
"""Verbs (folded lemmas and forms, French and English) that report speech."""
ATTRIBUTION_WORDS = ("selon", "d'apres", "according to")
PRONOUNS = frozenset({"il", "elle", "ils", "elles", "he", "she", "they", "ce dernier", "cette derniere"})
UNNAMED = frozenset("""
source sources temoin temoins habitant habitants media medias observateur observateurs analyste analystes
responsable responsables official officials analyst analysts witness witnesses eyewitnesses resident residents
diplomate diplomates people personnes
""".split())
"""Heads of noun phrases that name nobody ("des sources", "officials"): no indirect quote is theirs."""
_OPEN_CLOSE = {"«": "»", "“": "”", "„": "“"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str


def _fold(text: str) -> str:
    import unicodedata

    text = text.replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def direct_spans(text: str) -> list[tuple[int, int, int, int]]:
    """``(open_mark, content_start, content_end, close_mark_end)`` of each span between quotation marks
    within one line: « », “ ”, or straight double quotes paired in order (a mark left open on one line
    pairs with nothing: scraped pages cut quotes)."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        block, base = paragraph.group(), paragraph.start()
        i = 0
        while i < len(block):
            ch = block[i]
            closing = _OPEN_CLOSE.get(ch) or ('"' if ch == '"' else None)
            if closing is None:
                i += 1
                continue
            j = block.find(closing, i + 1)
            if j < 0:
                i += 1
                continue
            spans.append((base + i, base + i + 1, base + j, base + j + 1))
            i = j + 1
    return spans


def _content_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(article: str, text: str, words: list, sentences: list, mentions: list[tuple[int, int, str]],
                lang: str = "fr") -> list[Quote]:
    """The article's quotes: ``words`` are ``core.nlp.Word`` (with ``pos``), ``sentences`` the
    ``Sentence`` records, ``mentions`` ``(start, end, label)`` of its entity mentions."""
    # speakers are people, organisations and places: a MISC mention is a demonym or an event more often
    # than a speaker ("the Russian leader"), and a name inside quoted words is not the speaker
    quoted_ranges = [(o, c) for o, _, _, c in direct_spans(text)]
    by_offset = {t.idx: i for i, t in enumerate(t for t in words if not t.is_space)}
    solid = [t for t in words if not t.is_space]
    spans = []
    for s, e, label in mentions:
        if any(o < s and e <= c for o, c in quoted_ranges):
            continue
        first = by_offset.get(s)
        if first is not None and " " not in text[s:e] and _adjectival(solid, first, lang, label):
            continue  # "the Russian leader", "la diplomatie Russe": a word describing the speaker
        spans.append(_Span(s, e, label))
    tokens = [w for w in words if not w.is_space]
    sentence_of = _sentence_finder(sentences)
    quotes: list[Quote] = []
    speakers_seen: list[tuple[int, int, int, str]] = []  # (position, speaker start, end, text) in order
    last_direct: tuple[int, tuple[int, int, str] | None] | None = None  # (end offset, speaker)

    def paragraph_of(offset: int) -> int:
        return text.count("\n\n", 0, offset)

    direct = []
    for open_mark, start, end, close_end in direct_spans(text):
        start, end = _content_bounds(text, start, end)
        if len(_WORD.findall(text[start:end])) < MIN_QUOTE_WORDS:
            continue
        direct.append((open_mark, start, end, close_end))
    inside = [(o, c) for o, _, _, c in direct]

    indirect_done: set[int] = set()
    pending: list[tuple[int, int, int]] = []  # quotes with no attribution yet

    def indirect_up_to(offset: int) -> None:
        """Indirect quotes of the sentences that start before ``offset``, in order (their speakers are
        antecedents for the pronouns that follow)."""
        for sentence in sentences:
            if sentence.start >= offset or sentence.sent in indirect_done:
                continue
            indirect_done.add(sentence.sent)
            for quote in _indirect(article, text, sentence, tokens, spans, inside, speakers_seen, lang):
                quotes.append(quote)
                if quote.speaker_start >= 0:
                    speakers_seen.append((quote.start, quote.speaker_start, quote.speaker_end, quote.speaker_text))

    for open_mark, start, end, close_end in direct:
        indirect_up_to(open_mark)
        speaker, how = _attribution_after(text, close_end, tokens, spans, lang)
        if how is None:
            speaker, how = _attribution_before(text, open_mark, tokens, spans, lang)
        if how == "pronoun":
            speaker = _antecedent(speakers_seen, spans, open_mark, text)
        elif how == LAST_NAMED:
            speaker, how = _last_person(spans, open_mark, text), "pronoun"
        if how is None and last_direct is not None and paragraph_of(open_mark) - paragraph_of(last_direct[0]) <= 1 \
                and not _named_between(spans, last_direct[0], open_mark, last_direct[1]):
            speaker, how = last_direct[1], "continuation"
        if how is None:
            repeated = next((q for q in quotes if q.kind == "direct" and (text[start:end] in text[q.start:q.end]
                             or text[q.start:q.end] in text[start:end])), None)
            if repeated is not None:
                speaker, how = (repeated.speaker_start, repeated.speaker_end, repeated.speaker_text), "repeated"
        if how is None:  # inside reported speech: "X a souligné qu'alors que …, « … », …"
            holder = next((q for q in quotes if q.kind == "indirect" and q.start <= start and end <= q.end + 2), None)
            if holder is not None:
                speaker = (holder.speaker_start, holder.speaker_end, holder.speaker_text) if holder.speaker_start >= 0 else None
                how = "within"
        if how is None:  # perhaps a headline repeating a quote of the body: decided once the body is read
            pending.append((open_mark, start, end))
            continue
        quotes.append(_quote(article, sentence_of(open_mark), start, end, "direct", speaker, how))
        if speaker is not None:
            speakers_seen.append((open_mark, *speaker))
        last_direct = (close_end, speaker)

    indirect_up_to(len(text) + 1)
    speakers_seen.sort()
    # a headline or deck quoting the body: the quote it repeats gives its speaker
    for open_mark, start, end in pending:
        words = text[start:end]
        source = next((q for q in quotes if q.kind == "direct" and q.cue != "repeated" and q.start != start
                       and (words in text[q.start:q.end] or text[q.start:q.end] in words)), None)
        if source is not None:
            speaker = (source.speaker_start, source.speaker_end, source.speaker_text) if source.speaker_start >= 0 else None
            quotes.append(_quote(article, sentence_of(open_mark), start, end, "direct", speaker, "repeated"))
    return sorted(quotes, key=lambda q: (q.start, q.kind))


_DEMONYM = re.compile(r"(?:[^aeiou]e|ien|ienne|ais|aise|ain|aine|ois|oise|ane|ique|iste)$")
"""How the names of peoples end in French ("Russe", "Malien", "Américain", "Chinois")."""


def _adjectival(tokens, i: int, lang: str = "fr", label: str = "") -> bool:
    """Whether the one-word mention at ``tokens[i]`` qualifies the noun after it ("Russian leader").
    English words get no reliable part of speech from the French tagger: there a
    lower-case word after the mention that is no function word or verb of saying is taken for its noun."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if lang == "en":
        from core.nlp import _english_stop_words

        return following is not None and following.text.isalpha() and following.text.islower() \
            and following.text not in _english_stop_words() and not _is_reporting(following)
    preceding = tokens[i - 1] if i > 0 else None
    return (following is not None and getattr(following, "pos", "") == "NOUN" and following.text[:1].islower()) or (
        preceding is not None and getattr(preceding, "pos", "") == "NOUN" and preceding.text[:1].islower()
        and _DEMONYM.search(_fold(tokens[i].text)) is not None)  # "le diplomate Russe"


def _quote(article, sent, start, end, kind, speaker, cue) -> Quote:
    s_start, s_end, s_text = speaker if speaker is not None else (-1, -1, "")
    return Quote(article, sent, start, end, kind, s_start, s_end, s_text, cue)


def _sentence_finder(sentences):
    import bisect

    starts = [s.start for s in sentences]

    def find(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    return find


def _named_between(spans: list[_Span], start: int, end: int, speaker=None) -> bool:
    """Whether a person other than ``speaker`` is named between two offsets."""
    return any(s.label == "PER" and start <= s.start < end and not (speaker and s.start == speaker[0]) for s in spans)


def _tokens_in(tokens, start: int, end: int):
    return [t for t in tokens if start <= t.idx < end]


def _is_reporting(token) -> bool:
    return token.folded_lemma in REPORTING or token.folded in REPORTING or token.folded.split("-")[0] in REPORTING


def _attribution_after(text, close_end, tokens, spans, lang):
    """``« … », a déclaré X`` / ``« … » a-t-il martelé`` / ``"…," X said``: the clause after the closing mark."""
    content_end = text[:close_end - 1].rstrip()
    following = text[close_end:close_end + 3].lstrip()
    if content_end[-1:] in ".!?" and following[:1].isupper():
        return None, None  # the quote ended its sentence and another begins: no clause of its own
    limit = _clause_end(text, close_end, WINDOW_AFTER)
    window = [t for t in _tokens_in(tokens, close_end, limit) if t.text not in {",", "»", "”", '"', "–", "—", "-"}]
    for position, token in enumerate(window[:7]):
        folded = _fold(token.text)
        if folded in ("selon", "d'apres") or (folded == "according" and position + 1 < len(window)):
            named = _named_in(spans, text, token.idx + len(token.text), limit, tokens)
            return (None, "pronoun") if named == DESCRIPTION else (named, "selon")
        if _is_reporting(token):
            between = {_fold(t.text).lstrip("-") for t in window[:position + 1]}
            after = text[token.idx + len(token.text): limit]
            if between & {"il", "elle", "t-il", "t-elle", "he", "she"} or re.match(
                    r"\s*-t-(?:il|elle)\b|\s*-(?:il|elle)\b|\s+(?:il|elle|he|she)\b", after, re.IGNORECASE):
                return None, "pronoun"
            named = _subject_before(text, tokens, spans, close_end, token.idx)  # "…," X said
            if named is None:  # « … », a déclaré X: the speaker follows the verb
                named = _named_in(spans, text, token.idx + len(token.text), limit, tokens)
            if named in ("pronoun", DESCRIPTION):
                return None, "pronoun"
            if named == LAST_NAMED:
                return None, LAST_NAMED
            return named, "after" if named is not None else None
    return None, None


def _attribution_before(text, open_mark, tokens, spans, lang):
    """``X a déclaré : « … »`` / ``selon X, « … »`` / ``X said: "…"``: the clause before the opening mark."""
    start = _clause_start(text, open_mark, WINDOW_BEFORE)
    window = [t for t in _tokens_in(tokens, start, open_mark) if t.text not in {"«", "“", '"'}]
    if not window:
        return None, None
    for position, token in enumerate(window):  # "selon X, …" anywhere in the clause
        folded = _fold(token.text)
        if folded in ("selon", "d'apres") or (folded == "according" and position + 1 < len(window)
                                               and _fold(window[position + 1].text) == "to"):
            after = window[position + 2].idx if folded == "according" and position + 2 < len(window) else token.idx + len(token.text)
            comma = text.find(",", after, open_mark)
            stop = comma if comma > 0 else open_mark
            words = _fold(text[after:stop]).split()
            if words and words[0] in ("lui", "elle", "him", "her", "eux"):
                return None, "pronoun"
            named = _named_in(spans, text, after, stop, tokens)
            if named == DESCRIPTION:
                return None, "pronoun"
            return (named, "selon") if named is not None else (None, None)
    verbs = [t for t in window[-10:] if _is_reporting(t)]
    if verbs:
        verb = verbs[-1]
        subject = _subject_before(text, tokens, spans, start, verb.idx)
        if subject in ("pronoun", DESCRIPTION):
            return None, "pronoun"
        if subject == LAST_NAMED:
            return None, LAST_NAMED
        named = subject or _named_in(spans, text, verb.idx + len(verb.text), open_mark, tokens)
        if named == DESCRIPTION:
            return None, "pronoun"
        return named, "before" if named is not None else None
    if window[-1].text == ":":  # "X : « … »"
        subject = _subject_before(text, tokens, spans, start, window[-1].idx)
        if subject in ("pronoun", DESCRIPTION):
            return None, "pronoun"
        if subject == LAST_NAMED:
            return None, LAST_NAMED
        return (subject, "colon") if subject is not None else (None, None)
    return None, None


_CLAUSE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMme)(?<!\bMr)(?<!\bDr)(?<!\bMrs)(?<!\bSt)[.!?](?=\s|$)|\n|[«“]")
"""The end of an attribution clause: a full stop (not that of "M." or an initial), a line break, a new quote."""


def _clause_end(text: str, start: int, width: int) -> int:
    limit = min(len(text), start + width)
    match = _CLAUSE_END.search(text, start, limit)
    return match.start() if match else limit


def _clause_start(text: str, end: int, width: int) -> int:
    begin = max(0, end - width)
    cut = max(text.rfind("\n", begin, end), max((m.end() for m in re.finditer(r"[.!?»”](?=\s)", text[begin:end])), default=0) + begin - 1)
    return max(begin, cut + 1)


AUXILIARIES = frozenset({"a", "ont", "avait", "avaient", "aurait", "auraient", "va", "vont", "has", "have", "had",
                         "ne", "n'", "pas", "y", "en", "lui", "leur", "se", "s'", "fait", "fit", "also", "aussi", "encore",
                         "deja", "alors", "then", "later", "publiquement", "officiellement"})


def _subject_before(text, tokens, spans, start, verb_at):
    """The speaker before a verb: a person, else an entity, else a noun phrase, or "pronoun"."""
    clause = [t for t in _tokens_in(tokens, start, verb_at) if t.text not in {",", ":"}]
    while clause and _fold(clause[-1].text) in AUXILIARIES:
        clause = clause[:-1]
    if not clause:
        return None
    if " ".join(_fold(t.text) for t in clause[-2:]) in ("ce dernier", "cette derniere"):
        return LAST_NAMED
    if _fold(clause[-1].text) in PRONOUNS:
        return "pronoun"
    named = [s for s in spans if start <= s.start and s.end <= verb_at]
    if named:
        people = [s for s in named if s.label == "PER"]
        chosen = (people or named)[-1]
        return chosen.start, chosen.end, text[chosen.start:chosen.end]
    return _noun_phrase(clause, text, last=True)


def _named_in(spans, text, start, end, tokens):
    """The speaker named between ``start`` and ``end``: the first person, else entity, else noun phrase."""
    inside = [s for s in spans if start <= s.start and s.end <= end]
    people = [s for s in inside if s.label == "PER"]
    if people or inside:
        chosen = (people or inside)[0]
        return chosen.start, chosen.end, text[chosen.start:chosen.end]
    return _noun_phrase(_tokens_in(tokens, start, end), text)


def _noun_phrase(clause, text, last: bool = False):
    """A definite noun phrase naming a speaker ("le groupe d'experts", "the panel of experts"): the
    first of the clause, or with ``last`` the one that ends it (the subject right before a verb)."""
    phrases, phrase = [], []
    for token in clause:
        pos = getattr(token, "pos", "")
        if pos in {"DET", "NOUN", "ADJ", "PROPN"} or (phrase and _fold(token.text) in {"de", "du", "des", "d'", "of"}):
            phrase.append(token)
        elif phrase:
            phrases.append(phrase)
            phrase = []
    if phrase:
        phrases.append(phrase)
    if not phrases:
        return None
    phrase = phrases[-1] if last else phrases[0]
    while phrase and getattr(phrase[-1], "pos", "") in {"DET", "ADP"} or phrase and _fold(phrase[-1].text) in {"de", "du", "des", "of"}:
        phrase.pop()
    if not phrase or getattr(phrase[0], "pos", "") != "DET" or not any(getattr(t, "pos", "") == "NOUN" for t in phrase):
        return None
    if _fold(phrase[0].text) in {"un", "une", "des", "a", "an", "some"}:  # an unnamed speaker
        return None
    head = next(t for t in phrase if getattr(t, "pos", "") == "NOUN")
    if _fold(head.text) in UNNAMED:
        return None
    start, end = phrase[1].idx if len(phrase) > 1 else phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
    if _fold(head.text) in TITLE_HEADS:  # "le chef de la diplomatie américaine": a person named before
        return DESCRIPTION
    return start, end, text[start:end]


LAST_NAMED = "last named"
"""What "ce dernier" is: the last person named before."""
DESCRIPTION = "description"
"""What a speaker's noun phrase is when it describes a person by their function: the person it refers to
is the last speaker (or person) named before, as for a pronoun."""
TITLE_HEADS = frozenset("""
chef president presidente ministre secretaire porte-parole dirigeant dirigeante leader directeur directrice
patron patronne ambassadeur ambassadrice general marechal colonel commandant premier locataire homologue
minister president secretary spokesman spokeswoman spokesperson head chief leader director ambassador envoy
""".split())


def _last_person(spans, offset, text):
    people = [s for s in spans if s.label == "PER" and s.end <= offset]
    return (people[-1].start, people[-1].end, text[people[-1].start:people[-1].end]) if people else None


def _antecedent(speakers_seen, spans, offset, text):
    """A pronoun speaker: the last speaker named before, else the last person named before, else None."""
    before = [s for s in speakers_seen if s[0] < offset]
    if before:
        return before[-1][1:]
    people = [s for s in spans if s.label == "PER" and s.end <= offset]
    if people:
        return people[-1].start, people[-1].end, text[people[-1].start:people[-1].end]
    return None


def _indirect(article, text, sentence, tokens, spans, inside, speakers_seen, lang):
    """Indirect quotes of one sentence (skipped inside a direct quote)."""
    start, end = sentence.start, sentence.end
    words = [t for t in _tokens_in(tokens, start, end)]
    if not words:
        return []
    quoted = sum(max(0, min(end, c) - max(start, o)) for o, c in inside)
    if quoted * 2 > end - start:  # a direct quote with its attribution: not also an indirect one
        return []
    found = []
    lowered = [_fold(t.text) for t in words]
    # "selon X, …" / "according to X, …" at the head, or "…, selon X." at the tail
    for i, word in enumerate(lowered):
        is_attribution = word in ("selon", "d'apres") or (word == "according" and i + 1 < len(lowered) and lowered[i + 1] == "to")
        if not is_attribution:
            continue
        after = words[i + (2 if word == "according" else 1)].idx if i + 1 < len(words) else end
        comma = text.find(",", after, end)
        stop = comma if comma > 0 else end
        if comma > 0:  # "selon le diplomate russe, Sergueï Lavrov, …": the apposition names the speaker
            apposition = next((sp for sp in spans if sp.label == "PER" and text[comma + 1:sp.start].strip() == ""
                               and text[sp.end:sp.end + 2].lstrip().startswith(",")), None)
            if apposition is not None:
                stop = apposition.end
                comma = text.find(",", apposition.end, end)
        speaker = _named_in(spans, text, after, stop, tokens)
        if speaker == DESCRIPTION:
            speaker = _antecedent(speakers_seen, spans, after, text)
        if speaker is None or _fold(text[after:stop]).strip() in PRONOUNS:
            speaker = _antecedent(speakers_seen, spans, after, text) if _fold(text[after:stop]).strip() in ("lui", "elle", "him", "her") else speaker
        if speaker is None:
            continue
        if i <= 1 and comma > 0:  # attribution first: the content follows the comma
            content = comma + 1
        else:
            content = start
        content_start, content_end = _content_bounds(text, content, end)
        found.append(_quote(article, sentence.sent, content_start, content_end, "indirect", speaker, "selon"))
        return found
    # "X a déclaré que …" / "X said (that) …"
    for i, token in enumerate(words):
        if not _is_reporting(token) or i + 1 >= len(words):
            continue
        following = lowered[i + 1]
        if following not in ("que", "qu'", "that") and not (lang == "en" and token.folded in {"said", "says"}
                                                             and words[i + 1].text[:1].isupper() and i > 0):
            continue
        subject = _subject_before(text, tokens, spans, start, token.idx)
        if subject in ("pronoun", DESCRIPTION):
            subject = _antecedent(speakers_seen, spans, token.idx, text)
        elif subject == LAST_NAMED:
            subject = _last_person(spans, token.idx, text)
        if subject is None:
            subject = _named_in(spans, text, token.idx + len(token.text), words[i + 1].idx, tokens)
        if subject in (None, DESCRIPTION):
            continue
        first = words[i + 2] if following in ("que", "qu'", "that") and i + 2 < len(words) else words[i + 1]
        if following == "qu'":
            first = words[i + 2] if i + 2 < len(words) else words[i + 1]
        content_start, content_end = _content_bounds(text, first.idx, end)
        found.append(_quote(article, sentence.sent, content_start, content_end, "indirect", subject, "que"))
        return found
    # "…, a précisé X." / "…, the Kremlin said."
    commas = [i for i, t in enumerate(words) if t.text == ","]
    if commas:
        last = commas[-1]
        tail = words[last + 1:]
        if 1 <= len(tail) <= 9 and any(_is_reporting(t) for t in tail):
            verb = next(t for t in tail if _is_reporting(t))
            speaker = _named_in(spans, text, verb.idx + len(verb.text), end, tokens) or _subject_before(
                text, tokens, spans, words[last].idx + 1, verb.idx)
            if speaker in ("pronoun", DESCRIPTION):
                speaker = _antecedent(speakers_seen, spans, verb.idx, text)
            elif speaker == LAST_NAMED:
                speaker = _last_person(spans, verb.idx, text)
            if speaker is not None:
                content_start, content_end = _content_bounds(text, start, words[last].idx)
                if len(_WORD.findall(text[content_start:content_end])) >= MIN_QUOTE_WORDS:
                    found.append(_quote(article, sentence.sent, content_start, content_end, "indirect", speaker, "after"))
    return found

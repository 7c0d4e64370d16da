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
person named just before it as a subject, else the last speaker named before, else nobody; a title
is the last speaker; a report or an outlet the body quoted before. An unnamed source gives a quote
with no speaker. Each quote's ``cue`` says how its speaker was found, so what is inferred is shown
as inferred. Offsets are into the article's cleaned text; speakers are resolved to canonical entities
by :func:`core.analysis.rebuild_derived` (the mention under the speaker's offsets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.folding import fold
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
faire-etat mettre-en-cause relever releve
""".split())
"""Verbs (folded lemmas and forms, French and English) that report speech."""
PLURAL_PRONOUNS = frozenset({"ils", "elles", "they"})
PRONOUNS = frozenset({"il", "elle", "ils", "elles", "he", "she", "they", "ce dernier", "cette derniere"})
UNNAMED_HEADS = frozenset("""
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


def direct_spans(text: str) -> list[tuple[int, int, int, int]]:
    """``(open_mark, content_start, content_end, close_mark_end)`` of each span between quotation marks
    within one line: « », “ ”, or straight double quotes paired in order. A mark left open pairs with
    nothing (scraped pages cut quotes), except in the text's last line: an excerpt that ends inside a
    quote ends its quote there."""
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
                if not text[base + len(block):].strip():  # the excerpt ends inside the quote
                    spans.append((base + i, base + i + 1, base + len(block), base + len(block)))
                    break
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
        written = text[s:e].split()
        if len(written) == 2 and fold(written[0]) in _determiners(lang):
            written = written[1:]  # "The Russian leader": the article is the phrase's, not the name's
        last = by_offset.get(e - len(written[-1])) if written else None
        if last is not None and len(written) == 1 and _adjectival(solid, last, lang, label):
            continue  # "the Russian leader", "la diplomatie Russe": a word describing the speaker
        spans.append(_Span(s, e, label))
    tokens = _mark_phrases([w for w in words if not w.is_space])
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
        anchor = open_mark  # where a pronoun stands: its antecedent is named before it
        if how is None:
            speaker, how = _attribution_before(text, open_mark, close_end, tokens, spans, lang)
            anchor = _clause_start(text, open_mark, WINDOW_BEFORE)
        if how in ("pronoun", DESCRIPTION):
            speaker = _antecedent(speakers_seen, spans, anchor, text, nearest=how == "pronoun")
            how = "pronoun"
        elif how == LAST_NAMED:
            speaker, how = _last_person(spans, open_mark, text), "pronoun"
        elif how == DOCUMENT:
            speaker, how = _issuer(speakers_seen, spans, open_mark, text), "document"
        if how is None and last_direct is not None and paragraph_of(open_mark) - paragraph_of(last_direct[0]) <= 1 \
                and not _named_between(spans, last_direct[0], open_mark, last_direct[1]) \
                and not any(last_direct[0] <= seen[0] < open_mark for seen in speakers_seen):
            speaker, how = last_direct[1], "continuation"
        if how is None:
            repeated = next((q for q in quotes if q.kind == "direct" and _overlaps(text, start, end, q)), None)
            if repeated is not None:
                speaker, how = (repeated.speaker_start, repeated.speaker_end, repeated.speaker_text), "repeated"
        if how in (None, "unnamed"):  # inside reported speech: "X a souligné qu'alors que …, « … », …"
            holder = next((q for q in quotes if q.kind == "indirect" and q.start <= start and end <= q.end + 2), None)
            if holder is not None and (how is None or holder.speaker_start >= 0):
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
    # a headline or deck quoting the body: the quote it repeats gives its speaker; a quote of a
    # document whose attribution opens the next sentence ("Selon le résumé, …"): that attribution's
    for open_mark, start, end in pending:
        source = next((q for q in quotes if q.kind == "direct" and q.cue != "repeated" and q.start != start
                       and _overlaps(text, start, end, q)), None)
        cue = "repeated"
        if source is None:
            cue, sent = "following", sentence_of(open_mark)
            source = next((q for q in quotes if q.cue == "selon" and q.sent == sent + 1 and q.speaker_start >= 0
                           and paragraph_of(q.start) - paragraph_of(open_mark) <= 1), None)
        if source is not None:
            speaker = (source.speaker_start, source.speaker_end, source.speaker_text) if source.speaker_start >= 0 else None
            quotes.append(_quote(article, sentence_of(open_mark), start, end, "direct", speaker, cue))
    return sorted(quotes, key=lambda q: (q.start, q.kind))


def _mark_phrases(tokens: list) -> list:
    """Verbs of saying written in several words ("faire état de", "mettre en cause"): their last word
    stands for the verb (its folded lemma becomes the phrase's)."""
    marked = list(tokens)
    for i, token in enumerate(tokens):
        before = [t.folded_lemma for t in tokens[max(0, i - 3):i]]
        if token.folded == "etat" and before[-1:] == ["faire"] and i + 1 < len(tokens) \
                and tokens[i + 1].folded in ("de", "d'", "du", "des"):
            marked[i] = token._replace(folded_lemma="faire-etat")
        elif token.folded == "cause" and before[-1:] == ["en"] and "mettre" in before:
            marked[i] = token._replace(folded_lemma="mettre-en-cause")
    return marked


_DEMONYM = re.compile(r"(?:[^aeiou]e|ien|ienne|ais|aise|ain|aine|ois|oise|ane|ique|iste)$")
"""How the names of peoples end in French ("Russe", "Malien", "Américain", "Chinois")."""
_ENGLISH_DEMONYM = re.compile(r"(?:an|ese|ish|ch|i)$")
"""How they end in English ("Russian", "Chinese", "British", "French", "Israeli"): "Goita echoed" is a
name and its verb, "Russian leader" a description."""


def _adjectival(tokens, i: int, lang: str = "fr", label: str = "") -> bool:
    """Whether the one-word mention at ``tokens[i]`` qualifies the noun after it ("Russian leader").
    English words get no reliable part of speech from the French tagger: there a
    lower-case word after the mention that is no function word or verb of saying is taken for its noun."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if lang == "en":
        from core.nlp import _english_stop_words

        return following is not None and following.text.isalpha() and following.text.islower() \
            and following.text not in _english_stop_words() and not _is_reporting(following) \
            and _ENGLISH_DEMONYM.search(tokens[i].text) is not None
    preceding = tokens[i - 1] if i > 0 else None
    return (following is not None and getattr(following, "pos", "") == "NOUN" and following.text[:1].islower()) or (
        preceding is not None and getattr(preceding, "pos", "") == "NOUN" and preceding.text[:1].islower()
        and _DEMONYM.search(fold(tokens[i].text)) is not None)  # "le diplomate Russe"


def _overlaps(text: str, start: int, end: int, quote: Quote) -> bool:
    """Whether the words ``text[start:end]`` and a quote's words hold one another (case and spacing aside)."""
    mine, theirs = (" ".join(fold(part).split()) for part in (text[start:end], text[quote.start:quote.end]))
    return mine in theirs or theirs in mine


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
    """Whether a person, place or organisation other than ``speaker`` is named between two offsets (a
    sentence about someone or somewhere else: "À Bamako, les habitants s'inquiètent")."""
    return any(start <= s.start < end and not (speaker and s.start == speaker[0]) for s in spans)


def _tokens_in(tokens, start: int, end: int):
    """The tokens that start between two offsets (``tokens`` are in text order)."""
    import bisect

    return tokens[bisect.bisect_left(tokens, start, key=_at):bisect.bisect_left(tokens, end, key=_at)]


def _at(token) -> int:
    return token.idx


def _before(tokens, offset: int, count: int) -> list:
    """The last ``count`` tokens that start before an offset."""
    import bisect

    stop = bisect.bisect_left(tokens, offset, key=_at)
    return tokens[max(0, stop - count):stop]


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
    if window and fold(window[0].text) in CONJUNCTIONS:
        return None, None  # "« … » mais souligne …": a second verb of the sentence's subject, before the quote
    for position, token in enumerate(window[:7]):
        folded = fold(token.text)
        if folded in ("selon", "d'apres") or (folded == "according" and position + 1 < len(window)):
            return _as_attribution(_named_in(spans, text, token.idx + len(token.text), limit, tokens, lang), "selon")
        if _is_reporting(token):
            between = {fold(t.text).lstrip("-") for t in window[:position + 1]}
            after = text[token.idx + len(token.text): limit]
            if between & {"il", "elle", "t-il", "t-elle", "he", "she"} or re.match(
                    r"\s*-t-(?:il|elle)\b|\s*-(?:il|elle)\b|\s+(?:il|elle|he|she)\b", after, re.IGNORECASE):
                return None, "pronoun"
            named = _subject_before(text, tokens, spans, close_end, token.idx, lang)  # "…," X said
            if named is None:  # « … », a déclaré X: the speaker follows the verb
                named = _named_in(spans, text, token.idx + len(token.text), limit, tokens, lang)
            return _as_attribution(named, "after")
    return None, None


def _as_attribution(named, how: str):
    """``(speaker, how)`` for what a clause names: a speaker, or what stands for one (a pronoun, "ce
    dernier", a description, a document, an unnamed source)."""
    if named in ("pronoun", DESCRIPTION, LAST_NAMED, DOCUMENT):
        return None, named
    if named == ANONYMOUS:
        return None, "unnamed"
    return named, how if named is not None else None


def _attribution_before(text, open_mark, close_end, tokens, spans, lang):
    """``X a déclaré : « … »`` / ``selon X, « … »`` / ``X said: "…"``: the clause before the opening mark."""
    start = _clause_start(text, open_mark, WINDOW_BEFORE)
    window = [t for t in _tokens_in(tokens, start, open_mark) if t.text not in {"«", "“", '"'}]
    if not window:
        return None, None
    for position, token in enumerate(window):  # "selon X, …" anywhere in the clause
        folded = fold(token.text)
        if folded in ("selon", "d'apres") or (folded == "according" and position + 1 < len(window)
                                               and fold(window[position + 1].text) == "to"):
            after = window[position + 2].idx if folded == "according" and position + 2 < len(window) else token.idx + len(token.text)
            comma = text.find(",", after, open_mark)
            stop = comma if comma > 0 else open_mark
            words = fold(text[after:stop]).split()
            if words and words[0] in ("lui", "elle", "him", "her", "eux"):
                return None, "pronoun"
            return _as_attribution(_named_in(spans, text, after, stop, tokens, lang), "selon")
    if fold(window[0].text) in QUALIFYING_OPENERS:  # "Calling the rebellion a “stab in the back”, Putin …"
        end = _clause_end(text, close_end, WINDOW_AFTER)
        person = next((s for s in spans if s.label == "PER" and close_end <= s.start and s.end <= end), None)
        if person is not None:
            return (person.start, person.end, text[person.start:person.end]), "before"
    reach = window[-VERB_REACH:]
    verbs = [t for i, t in enumerate(reach) if _is_reporting(t)  # not a noun: "the state", "la note"
             and not (i and fold(reach[i - 1].text) in _determiners(lang))]
    if verbs:
        verb = verbs[-1]
        previous = [t for t in window if t.idx < verb.idx][-1:]
        if previous and fold(previous[0].text) in PASSIVE_AUXILIARIES:  # "Ils sont accusés d'avoir « … »"
            return None, "unnamed"
        subject = _subject_before(text, tokens, spans, start, verb.idx, lang)
        after = [t for t in window if t.idx > verb.idx][:1]
        if subject is None and not (after and fold(after[0].text) in ("que", "qu'", "that")):
            subject = _named_in(spans, text, verb.idx + len(verb.text), open_mark, tokens, lang)  # "a déclaré X : « … »"
        return _as_attribution(subject, "before")
    if window[-1].text == ":":  # "X : « … »"
        subject = _subject_before(text, tokens, spans, start, window[-1].idx, lang)
        return _as_attribution(subject, "colon")
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
PASSIVE_AUXILIARIES = frozenset({"est", "sont", "etait", "etaient", "ete", "fut", "furent", "sera", "seront",
                                 "is", "are", "was", "were", "been", "being", "be"})
"""Before a verb of saying, a passive with no agent ("ils sont accusés de « … »"): the speaker is unnamed."""
CONJUNCTIONS = frozenset({"mais", "et", "puis", "but", "and", "then"})
QUALIFYING_OPENERS = frozenset({"qualifiant", "decrivant", "denoncant", "calling", "describing", "branding",
                                "dubbing", "denouncing", "labelling", "labeling"})
"""A participle that opens a sentence with quoted words ("Calling X a “…”, Putin …"): the speaker is the
subject of the clause that follows."""
VERB_REACH = 25
"""How many words before a quote its verb of saying may stand ("accusent les instructeurs … de « … »")."""


def _subject_before(text, tokens, spans, start, verb_at, lang="fr"):
    """The speaker before a verb: a person, else an entity, else a noun phrase, or what stands for one."""
    clause = [t for t in _tokens_in(tokens, start, verb_at) if t.text not in {",", ":"}]
    while clause and (fold(clause[-1].text) in AUXILIARIES
                      or getattr(clause[-1], "pos", "") == "ADV" and fold(clause[-1].text) not in CONJUNCTIONS):
        clause = clause[:-1]  # "il a ensuite affirmé"
    if not clause:
        return None
    if " ".join(fold(t.text) for t in clause[-2:]) in ("ce dernier", "cette derniere"):
        return LAST_NAMED
    if fold(clause[-1].text) in PLURAL_PRONOUNS:
        return DOCUMENT  # "ils ont affirmé", "they said": a body quoted before, never one person
    if fold(clause[-1].text) in PRONOUNS:
        return "pronoun"
    named = [s for s in spans if start <= s.start and s.end <= verb_at]
    if fold(clause[-1].text) in CONJUNCTIONS:  # "X accused Y of …, and vowed": X, the clause's subject
        words = [t for t in clause if any(c.isalnum() for c in t.text)]
        if words and named and named[0].start == words[0].idx:
            chosen = named[0]
            return chosen.start, chosen.end, text[chosen.start:chosen.end]
        if words and fold(words[0].text) in _determiners(lang):
            return _noun_phrase(clause, text, last=False, lang=lang)
        if len(words) > 1 and words[0].text[:1].isupper() and words[0].text.isalpha() and words[1].text.islower():
            return words[0].idx, words[0].idx + len(words[0].text), words[0].text  # a name the recogniser missed
        return None
    if named:
        people = [s for s in named if s.label == "PER"]
        chosen = (people or named)[-1]
        if chosen.label == "PER" and _complement_of_noun(text, tokens, chosen.start, lang):
            return ANONYMOUS  # "l'adjointe d'Antony Blinken a dit": someone near the person, unnamed
        head = _first_noun(clause, chosen.start, lang)
        if head is not None and fold(head.text) in UNNAMED_HEADS:
            return ANONYMOUS  # "une source diplomatique au Sahel"
        if head is not None and chosen.label != "PER" and fold(head.text) in TITLE_HEADS - SPOKESPEOPLE:
            return DESCRIPTION  # "le chef de l'État": a person, named before
        return _body_of(text, tokens, chosen, lang)
    return _noun_phrase(clause, text, last=True, lang=lang)


def _complement_of_noun(text, tokens, at: int, lang: str) -> bool:
    """Whether the name at ``at`` completes a common noun ("l'adjointe d'Antony Blinken", "a deputy of …")."""
    before = _before(tokens, at, 2)
    if len(before) < 2 or fold(before[1].text) not in ("de", "d'", "of"):
        return False
    noun = before[0]
    if fold(noun.text) in TITLE_HEADS or not noun.text.isalpha() or not noun.text.islower():
        return False  # "le président de …" is not a person's complement
    return getattr(noun, "pos", "") == "NOUN" if lang != "en" else True


def _first_noun(clause, before: int, lang: str):
    """The first common noun of a clause before an offset (the head of its first noun phrase)."""
    for token in clause:
        if token.idx >= before:
            return None
        if lang == "en":
            from core.nlp import _english_stop_words

            if token.text.isalpha() and token.text.islower() and token.text not in _english_stop_words():
                return token
        elif getattr(token, "pos", "") == "NOUN" and token.text[:1].islower():
            return token
    return None


def _named_in(spans, text, start, end, tokens, lang="fr"):
    """The speaker named between ``start`` and ``end``: the first person, else entity, else noun phrase.
    A document ("selon la notice du Journal officiel de l'Union européenne") stands for its issuer,
    the last entity of the phrase, else the body quoted before."""
    inside = [s for s in spans if start <= s.start and s.end <= end]
    region = _tokens_in(tokens, start, end)
    head = _first_noun(region, inside[0].start if inside else end, lang)
    if head is not None and fold(head.text) in UNNAMED_HEADS:
        return ANONYMOUS
    if head is not None and fold(head.text) in DOCUMENT_HEADS:
        cut = re.search(r"[,(]", text[head.idx:end])
        inside = [s for s in inside if cut is None or s.end <= head.idx + cut.start()]
        if not inside:
            return DOCUMENT
        chosen = inside[-1]
        return chosen.start, chosen.end, text[chosen.start:chosen.end]
    people = [s for s in inside if s.label == "PER"]
    if people or inside:
        return _body_of(text, tokens, (people or inside)[0], lang)
    return _noun_phrase(region, text, lang=lang)


def _body_of(text, tokens, chosen: _Span, lang: str):
    """The speaker's words for a named entity: the entity, or a group of people within it ("des experts de
    l'ONU", "U.N. experts"), who speak for themselves rather than for the organisation."""
    start, end = chosen.start, chosen.end
    if chosen.label != "PER":
        before = _before(tokens, chosen.start, 3)
        while before and fold(before[-1].text) in FRENCH_DETERMINERS:
            before.pop()
        after = next(iter(_tokens_in(tokens, chosen.end, len(text) + 1)), None)
        if len(before) >= 2 and fold(before[-1].text) in ("de", "d'", "du", "des", "of") and _group(before[-2]):
            start = before[-2].idx  # "des experts de l'ONU"
        elif lang == "en" and after is not None and _group(after):
            end = after.idx + len(after.text)  # "U.N. experts"
        elif after is not None and fold(after.text) in UNNAMED_HEADS and after.text.islower():
            return ANONYMOUS  # "Pentagon officials said", "according to Kremlin sources"
    return start, end, text[start:end]


def _group(token) -> bool:
    """Whether a word names a group of people: a plural common noun that is no unnamed source or title."""
    word = token.text
    return word.isalpha() and word.islower() and word[-1:] in ("s", "x") and len(word) > 3 \
        and fold(word) not in UNNAMED_HEADS | TITLE_HEADS and not _is_reporting(token)


def _noun_phrase(clause, text, last: bool = False, lang: str = "fr"):
    """A definite noun phrase naming a speaker ("le groupe d'experts", "the panel of experts"): the
    first of the clause, or with ``last`` the one that ends it (the subject right before a verb). Or
    what stands for one: a person's function, a document, an unnamed source."""
    phrase, head = (_english_phrase if lang == "en" else _french_phrase)(clause, last)
    if not phrase:
        return None
    folded = fold(head.text)
    if folded in UNNAMED_HEADS:
        return ANONYMOUS
    if folded in TITLE_HEADS:  # "le chef de la diplomatie américaine": a person named before
        return DESCRIPTION
    if folded in DOCUMENT_HEADS:  # "selon le résumé", "the report said": the body quoted before
        return DOCUMENT
    if fold(phrase[0].text) in {"un", "une", "des", "a", "an", "some"}:  # an unnamed speaker
        return None
    words = phrase[1:] if len(phrase) > 1 and fold(phrase[0].text) in _LEADING_FUNCTION_WORDS else phrase
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return start, end, text[start:end]


def _runs(tokens, belongs, starts=None) -> list[list]:
    """The longest runs of tokens that ``belongs(token, a run is open)`` keeps; a token that ``starts``
    a run closes the one before it."""
    runs, run = [], []
    for token in tokens:
        if starts is not None and starts(token):
            if run:
                runs.append(run)
            run = [token]
        elif belongs(token, bool(run)):
            run.append(token)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _french_phrase(clause, last):
    """``(tokens, head)`` of a French noun phrase: tagged determiner, nouns, adjectives, "de"."""
    phrases = _runs(clause, lambda token, open_: getattr(token, "pos", "") in {"DET", "NOUN", "ADJ", "PROPN"}
                    or (open_ and fold(token.text) in {"de", "du", "des", "d'", "of"}))
    found = []
    for phrase in phrases:
        while phrase and getattr(phrase[-1], "pos", "") in {"DET", "ADP"} or phrase and fold(phrase[-1].text) in {"de", "du", "des", "of"}:
            phrase.pop()
        if not phrase or getattr(phrase[0], "pos", "") != "DET" or not any(getattr(t, "pos", "") == "NOUN" for t in phrase):
            continue
        head = next(t for t in phrase if getattr(t, "pos", "") == "NOUN")
        if fold(head.text) not in TIME_HEADS:
            found.append(_issuing_body(phrase, head))
    if not found:
        return None, None
    return found[-1] if last else found[0]


def _issuing_body(phrase, head):
    """``(tokens, head)`` of a phrase, or of the body it names when its head is a document ("le dernier
    rapport du comité d'experts" speaks for "comité d'experts")."""
    if fold(head.text) not in DOCUMENT_HEADS:
        return phrase, head
    at = phrase.index(head)
    joiner = next((i for i in range(at + 1, len(phrase)) if fold(phrase[i].text) in {"de", "du", "des", "d'", "of"}), None)
    rest = phrase[joiner + 1:] if joiner is not None else []
    if rest and getattr(rest[0], "pos", "") == "DET":
        rest = rest[1:]
    if rest and rest[0].text[:1].islower() and any(getattr(t, "pos", "") == "NOUN" for t in rest):
        noun = next(t for t in rest if getattr(t, "pos", "") == "NOUN")
        return [phrase[joiner]] + rest, noun  # the joiner stands for a determiner: the body's words follow it
    return phrase, head


def _english_phrase(clause, last):
    """``(tokens, head)`` of an English noun phrase, read from its words (the French tagger does not
    tag English): a determiner, then words that are no function words ("of" joins), the head being
    the last word before "of" ("the panel of experts", "the Russian leader", "the report")."""
    from core.nlp import _english_stop_words

    stops = _english_stop_words()

    def inside(token, open_: bool) -> bool:
        word = token.text
        return open_ and any(c.isalpha() for c in word) and (word.casefold() not in stops or word.casefold() == "of") \
            and not (_is_reporting(token) and (word.endswith(("ed", "s")) or word.casefold() in _IRREGULAR_SAYING))

    phrases = _runs(clause, inside, starts=lambda token: token.text.casefold() in ENGLISH_DETERMINERS)
    trailing = []  # "U.N. experts said", "Western officials said": a phrase with no determiner
    for token in reversed(clause):
        if not any(c.isalpha() for c in token.text) or token.text.casefold() in stops:
            break
        trailing.insert(0, token)
    if last and len(trailing) >= 2 and trailing[0].text[:1].isupper() and trailing[-1].text.islower() \
            and not (phrases and phrases[-1][-1] is clause[-1]):
        phrases.append(trailing)
    found = []
    for phrase in phrases:
        while phrase and phrase[-1].text.casefold() == "of":
            phrase.pop()
        core = phrase[:next((i for i, t in enumerate(phrase) if t.text.casefold() == "of"), len(phrase))]
        if len(core) >= 2 and fold(core[-1].text) not in TIME_HEADS:
            found.append((phrase, core[-1]))
    if not found:
        return None, None
    return found[-1] if last else found[0]


def _determiners(lang: str) -> frozenset[str]:
    return ENGLISH_DETERMINERS if lang == "en" else FRENCH_DETERMINERS


_LEADING_FUNCTION_WORDS = frozenset({"le", "la", "les", "l'", "un", "une", "des", "ce", "cet", "cette", "ces", "son",
                                     "sa", "ses", "leur", "leurs", "de", "du", "d'", "the", "its", "their", "his",
                                     "her", "a", "an", "some", "of"})
_IRREGULAR_SAYING = frozenset({"said", "told", "wrote", "spoke"})
"""Past forms of verbs of saying without "-ed": a noun phrase ends before them ("the report said")."""
ENGLISH_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "a", "an", "some"})
FRENCH_DETERMINERS = frozenset({"le", "la", "les", "l'", "un", "une", "des", "ce", "cet", "cette", "ces", "son", "sa", "ses"})
LAST_NAMED = "last named"
"""What "ce dernier" is: the last person named before."""
DESCRIPTION = "description"
"""What a speaker's noun phrase is when it describes a person by their function: the person it refers to
is the last speaker (or person) named before, as for a pronoun."""
DOCUMENT = "document"
"""What a report, a summary or a statement is as a speaker with no issuer named: the body (not a person)
quoted last before it, or else nobody."""
ANONYMOUS = "anonymous"
"""What an unnamed source is ("une source diplomatique", "officials"): a direct quote of theirs is kept,
with no speaker; an indirect one is not a quote."""
DOCUMENT_HEADS = frozenset("""
rapport resume document communique notice note texte declaration lettre courrier
hebdomadaire quotidien journal magazine mensuel site
report summary statement letter weekly daily newspaper magazine website
""".split())
"""Heads of noun phrases that name a document or an outlet: "selon le rapport", "a précisé
l'hebdomadaire" speak for a body named earlier (or in the phrase: "le rapport du comité")."""
TIME_HEADS = frozenset("""
jour jours semaine semaines mois an ans annee annees matin soir nuit veille lendemain heure heures
day days week weeks month months year years morning evening night hour hours
""".split())
"""Heads of noun phrases of time ("publié la semaine dernière"): never a speaker."""
TITLE_HEADS = frozenset("""
chef president presidente ministre secretaire porte-parole dirigeant dirigeante leader directeur directrice
patron patronne ambassadeur ambassadrice general marechal colonel commandant premier locataire homologue
minister president secretary spokesman spokeswoman spokesperson head chief leader director ambassador envoy
""".split())


SPOKESPEOPLE = frozenset({"porte-parole", "spokesman", "spokeswoman", "spokesperson"})
"""Titles that speak for the body they belong to ("le porte-parole du Kremlin" is the Kremlin)."""


def _last_person(spans, offset, text):
    people = [s for s in spans if s.label == "PER" and s.end <= offset]
    return (people[-1].start, people[-1].end, text[people[-1].start:people[-1].end]) if people else None


def _resolve(named, speakers_seen, spans, offset, text):
    """The speaker of an indirect quote from what its clause names (None: no named speaker)."""
    if named in ("pronoun", DESCRIPTION):
        return _antecedent(speakers_seen, spans, offset, text, nearest=named == "pronoun")
    if named == LAST_NAMED:
        return _last_person(spans, offset, text)
    if named == DOCUMENT:
        return _issuer(speakers_seen, spans, offset, text)
    return None if named == ANONYMOUS else named


def _issuer(speakers_seen, spans, offset, text):
    """A document's issuer when none is named: the last speaker before that is no person (a report
    comes from a body), else None."""
    people = {s.start for s in spans if s.label == "PER"}
    bodies = [s for s in speakers_seen if s[0] < offset and s[1] not in people]
    return bodies[-1][1:] if bodies else None


_AFTER_PREPOSITION = re.compile(r"(?:^|\W)(?:a|de|d'|du|des|par|avec|pour|contre|sur|chez|of|to|by|with|for|against|on|from|at)\s*$")


def _antecedent(speakers_seen, spans, offset, text, nearest: bool = False):
    """Whom a pronoun or a description stands for: the last speaker named before, else the last person
    named before. With ``nearest`` (a pronoun: "a-t-il ajouté", "he said"), a person named after that
    speaker and not after a preposition (the subject of a clause, not "une chaîne liée à X") comes first."""
    before = [s[1:] for s in speakers_seen if s[0] < offset]
    people = [(s.start, s.end, text[s.start:s.end]) for s in spans if s.label == "PER" and s.end <= offset]
    if nearest:
        subjects = [p for p in people if not _AFTER_PREPOSITION.search(fold(text[max(0, p[0] - 12):p[0]]))]
        if subjects and (not before or subjects[-1][0] > before[-1][0]):
            return subjects[-1]
    if before:
        return before[-1]
    return people[-1] if people else None


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
    lowered = [fold(t.text) for t in words]
    # "selon X, …" / "according to X, …" at the head, or "…, selon X." at the tail
    for i, word in enumerate(lowered):
        is_attribution = word in ("selon", "d'apres") or (word == "according" and i + 1 < len(lowered) and lowered[i + 1] == "to")
        if not is_attribution:
            continue
        skip = 2 if word == "according" else 1
        after = words[i + skip].idx if i + skip < len(words) else end
        comma = text.find(",", after, end)
        stop = comma if comma > 0 else end
        if comma > 0:  # "selon le diplomate russe, Sergueï Lavrov, …": the apposition names the speaker
            apposition = next((sp for sp in spans if sp.label == "PER" and text[comma + 1:sp.start].strip() == ""
                               and text[sp.end:sp.end + 2].lstrip().startswith(",")), None)
            if apposition is not None:
                stop = apposition.end
                comma = text.find(",", apposition.end, end)
        speaker = _named_in(spans, text, after, stop, tokens, lang)
        if speaker == DESCRIPTION:
            speaker = _antecedent(speakers_seen, spans, after, text)
        elif speaker == DOCUMENT:
            speaker = _issuer(speakers_seen, spans, after, text)
        elif speaker == ANONYMOUS:
            continue
        if speaker is None or fold(text[after:stop]).strip() in PRONOUNS:
            speaker = _antecedent(speakers_seen, spans, after, text, nearest=True) \
                if fold(text[after:stop]).strip() in ("lui", "elle", "him", "her") else speaker
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
        subject = _subject_before(text, tokens, spans, start, token.idx, lang)
        if subject is None:
            subject = _named_in(spans, text, token.idx + len(token.text), words[i + 1].idx, tokens, lang)
        subject = _resolve(subject, speakers_seen, spans, token.idx, text)
        if subject is None:
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
            speaker = _named_in(spans, text, verb.idx + len(verb.text), end, tokens, lang) or _subject_before(
                text, tokens, spans, words[last].idx + 1, verb.idx, lang)
            speaker = _resolve(speaker, speakers_seen, spans, verb.idx, text)
            content_start, content_end = _content_bounds(text, start, words[last].idx)
            content = [t for t in words if content_start <= t.idx < content_end]
            quoted = sum(max(0, min(content_end, c) - max(content_start, o)) for o, c in inside)
            is_clause = lang == "en" or any(getattr(t, "pos", "") in {"VERB", "AUX"} for t in content)
            if speaker is not None and is_clause and quoted * 2 <= content_end - content_start:
                if len(_WORD.findall(text[content_start:content_end])) >= MIN_QUOTE_WORDS:
                    found.append(_quote(article, sentence.sent, content_start, content_end, "indirect", speaker, "after"))
    return found

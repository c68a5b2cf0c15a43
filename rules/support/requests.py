"""Find the sentences that ask the reader to do something, in Russian and English.

A sentence is a request when it
- has a Russian imperative addressed to the reader ("Пришлите", "Подтвердите, пожалуйста"; pymorphy3
  tags them `impr`), or starts with an English imperative verb ("Send me...", "Please review...");
- uses a phrase that asks (data: `rules/data/<lang>/request_phrases.txt`: "прошу", "просьба", "вы могли
  бы", "жду", "please", "could you", "let me know"...);
- says something is needed, with an infinitive ("необходимо подписать", "нужно согласовать"), or opens
  with what the writer needs ("Нужна цена по позиции A9N18346", "Нам нужен артикул 509-1720");
- is a question ("Сможете подтвердить до среды?", "When can we talk?"): a question asks for an answer.
Courtesy that asks nothing ("Будем рады сотрудничеству", "If you have any questions...", "Thank you for
your time": `non_requests.txt`) turns the sentence into a non-request.
Intents that ask the reader nothing are kinds outside `ASKS`: an `offer` ("feel free to call", "I'd be happy
to walk you through it"), and in English a `plan` ("I shall call you", "Saturday is good", "to discuss"). The
Parakweet labels count them as intent; the call-to-action check does not count them as requests.

For English a learned model (`intent_model.py`, trained on the Parakweet train file) gives a second opinion
on the rules' verdict: it drops a cue it finds no intent in (mailing boilerplate such as "Use the link below
to track the delivery") and adds an `intent` the rules missed ("We can try this week if you're available"). An
`intent` is a guess from word statistics, so it is not among `ASKS`: it never satisfies the call-to-action
check on its own.

`is_request(sentence, language)` is what the accuracy benchmark measures; `find_requests` is what the
call-to-action check uses; both go through `intent_cue`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mail_lint.rules.support.intent_model import features, load_model
from mail_lint.rules.support.wordlists import load_list

Span = tuple[int, int]

# A sentence ends at . ! ? … followed by a space and a capital/digit/quote, at ? or ! anywhere, at a blank
# line, or at a line break before a bullet or a capital (plain-text mail wraps lines mid-sentence).
_BOUNDARY = re.compile(r"(?<=[!?…])\s+|(?<=[.;])\s+(?=[\"«(\[]?[A-ZА-ЯЁ0-9])|\n\s*\n|\n(?=\s*(?:[-*•–—]|\d+[.)]|[A-ZА-ЯЁ]))")
_WORD = re.compile(r"[\w’'-]+", re.U)
_TOKEN = re.compile(r"[\w'’]+\.?|\.", re.U)  # as the word lists spell their first words: "let's", "см."
_QUESTION = re.compile(r"\?\s*+[\"»)]*+\s*$")  # possessive: a run of spaces is not shared two ways
_INFINITIVE_END = re.compile(r"(?:ть|ти|чь|ться|тись)$")
# "Нужна цена по позиции ...", "Нам нужен артикул ...": a sentence that opens with what the writer needs
# from the reader asks for it (a statement about needs further in, "если нужна помощь", does not).
_NEED_THING_RU = re.compile(r"(?:(?:нам|мне|нашей\s+компании)\s+)?(?:нужен|нужна|нужно|нужны|требуется|требуются|"
                            r"интересует|интересуют)(?!\w)", re.I)
_NEED_RU = re.compile(r"(?<!\w)(?:необходимо|нужно|надо|требуется|следует|важно|предлага(?:ю|ем))(?!\w)", re.I)
_YOU_RU = {"вы", "ты"}
ASKS = frozenset({"imperative", "phrase", "need", "question", "proposal"})
# "If you have a question, call us": the imperative follows a leading clause and its comma.
# Asking for the reader's time opens a proposal: "When you have 5 minutes, I can bring you up to speed",
# «Как будет минутка, расскажу подробнее».
_WHEN_YOU_HAVE_TIME = {
    "en": re.compile(r"\s*(?:so\s+)?(?:when|whenever|once)\s+you\s+(?:have|get|find)\s+(?:a\s+few\s+|a\s+|an\s+|"
                     r"\d+\s+|some\s+)?(?:free\s+)?(?:minutes?|moment|second|sec|time)\b", re.I),
    "ru": re.compile(r"\s*(?:когда|как)\s+(?:будет|появится|найдётся|найдется)\s+(?:свободн\w+\s+)?"
                     r"(?:минутка|минута|время|пара\s+минут|\d+\s+минут)", re.I),
}
_CLAUSE_OPENERS = {"if", "when", "once", "whenever", "before", "after", "to", "until", "while"}
_CLAUSE_MAX = 100  # a comma further in ends no leading clause
_LEADING_CLAUSES = 5  # "If ..., when ..., send it": more leading clauses than this and no cue is looked for
# A plan (an intent the Parakweet labels count, never an ask of the reader): "I shall call you", a time that
# suits ("Wednesday works"), "to discuss". A dated "I'll ..." or "meeting on Friday" alone is as often a report
# as a plan (about half of each in the train file), so neither counts.
_EN_TIME = (r"(?:today|tonight|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|thur|thurs|fri|"
            r"this (?:week|weekend|morning|afternoon|evening)|next (?:week|month)|in the (?:morning|afternoon)|"
            r"asap|\d\d?(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\d\d?:\d\d)")
_EN_PLAN = re.compile(
    rf"\b{_EN_TIME}\b.{{0,30}}\b(?:works?|would work|is good|sounds good|is fine|would be best|works best)\b|"
    r"\b(?:to|and|can|could|should|will|'ll|lets|let's|love to|like to) discuss\b|\b(?:i|we) shall\b|"
    # "I can meet around 10", "maybe we can chat again": a meeting offered; "they can meet the benchmark" is not.
    r"(?:^|\b(?:we|i)\s+)(?:can|could)\s+(?:meet|talk|chat|get together|set up|catch up|speak|have lunch|grab)\b|"
    # A dated promise to be in touch ("I'll call you tomorrow", "I will send you a memo on Monday"); a dated
    # "I'll ..." doing anything else is as often a report as a plan.
    rf"\b(?:i|we)(?:'ll| will)\s+(?:call|phone|ring|get back|send|meet|talk|see|visit|e-?mail|contact|follow up|"
    rf"fill you in|touch base)\b.{{0,60}}\b{_EN_TIME}\b", re.I)
# "Any help you can give would be appreciated", "if you want to meet today, that would be fine": a wish the
# reader may fulfil, too indirect for the call-to-action check to count as the email's request.
_EN_WISH = re.compile(r"\bwould be (?:great|helpful|appreciated|much appreciated|greatly appreciated|ideal|awesome|"
                      r"fine|wonderful|nice|good)\b", re.I)
# How to stop the mailing ("If you no longer wish to receive these emails, click here"; "Если вы не хотите
# получать наши письма, нажмите..."): newsletter boilerplate that tells how to opt out, asking nothing of a reader.
_OPT_OUT = {
    "en": re.compile(r"^if you[^,]{0,80}\b(?:no longer|not to|prefer not|stop|turn (?:this |these |them )?off|"
                     r"disable|be removed|unsubscribe|opt out|not (?:want|wish|like) to)\b[^,]{0,60}"
                     r"\b(?:receiv\w*|e-?mails?|messages|mailings|notifications|list|communications?|offers)\b", re.I),
    "ru": re.compile(r"^(?:если|чтобы)\b[^,]{0,80}(?:не хотите|больше не|отписаться|перестать)[^,]{0,60}"
                     r"(?:получать|рассылк|пис[её]м|письма|уведомлени)", re.I),
}
# Delivery boilerplate ("To ensure delivery to your inbox, please add news@shop.com"; "Чтобы письма не попадали
# в спам, добавьте наш адрес в контакты"): the same kind of mailing housekeeping as "add us to your address book".
_DELIVERY = {
    "en": re.compile(r"\bto (?:ensure|make sure|be sure)\b.{0,60}\b(?:inbox|e-?mails|messages|newsletters)\b", re.I),
    "ru": re.compile(r"\bчтобы\b.{0,60}(?:пис[её]м|письма|рассылк)\w*.{0,40}(?:спам|входящ|доход|доставл)", re.I),
}
# "I'd like to share this app with you", "we'd like to thank you": a wish that only announces, not a proposal.
_ANNOUNCES_EN = re.compile(
    r"\s+to\s+(?:share|introduce|thank|welcome|inform|tell|offer|remember|connect|draw|let|announce|remind|"
    r"congratulate|ensure|assure|reassure|express|apologi[sz]e|acknowledge|update|highlight|point out|mention|"
    r"note|say|wish|give you|present|take (?:this|a moment|the opportunity))\b", re.I)
# "I'd like to deliver as much gas as possible": a wish of the writer's own, with no reader in it, proposes
# nothing, unless it is a meeting or a thing to have ("I'd like to meet next week", "I'd like to have it by Friday").
_ADDRESSEE_EN = re.compile(r"\b(?:you|your|yours|us|we|our)\b", re.I)
_JOINT_EN = re.compile(r"\s+to\s+(?:have|meet|talk|chat|discuss|schedule|set up|arrange|call|get together|catch up|"
                       r"speak|review|invite)\b", re.I)
# "Sure to please every budget", "how to please a woman": the verb, not the courtesy ("would like you to please...").
_PLEASE_VERB = re.compile(r"(?:(?<!you )\bto|\bmore than)\s+$", re.I)
# How far before a "please" _PLEASE_VERB looks: a sentence of a thousand "to please" must not be rescanned
# from its start at each of them.
_PLEASE_LOOKBACK = 40
_LEADING_EN = {"so", "also", "and", "then", "but", "now", "ok", "okay", "hi", "hey", "again", "first", "second",
               "finally", "just", "fyi", "anyway", "additionally", "meanwhile", "lastly", "next", "still"}


@dataclass(frozen=True)
class Request:
    start: int
    end: int     # the sentence's span in the message text
    kind: str    # imperative | phrase | need | question | proposal | offer | plan | wish | intent
    cue: str     # the words that made it a request


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans within text[start:end], trimmed of surrounding whitespace."""
    return list(_sentences(text, start, len(text) if end is None else end))


@lru_cache(maxsize=8)  # the checks of one message split the same text
def _sentences(text: str, start: int, end: int) -> tuple[Span, ...]:
    spans, cursor = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((s + lead, s + lead + len(stripped)))
    return tuple(out)


class PhraseList:
    """Word-list entries as one regex (spaces match any whitespace, a trailing * any word ending), behind
    a cheap test: a long alternation is slow to try, so it runs only when some entry's first word occurs."""

    def __init__(self, entries: frozenset[str]):
        alternatives, first, prefixes = [], set(), set()
        for entry in sorted(entries, key=len, reverse=True):
            words = entry.rstrip("*").split()
            (prefixes if len(words) == 1 and entry.endswith("*") else first).add(words[0])
            alternatives.append(r"\s+".join(re.escape(w) for w in words) + (r"\w*" if entry.endswith("*") else ""))
        self.first_words, self.prefixes = frozenset(first), tuple(prefixes)
        self.pattern = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
        self.regex = re.compile(self.pattern, re.I | re.U)

    def _may_match(self, text: str, tokens: frozenset[str] | None = None) -> bool:
        tokens = tokens if tokens is not None else tokenize(text)
        return not self.first_words.isdisjoint(tokens) or \
            bool(self.prefixes) and any(t.startswith(self.prefixes) for t in tokens)

    def search(self, text: str, pos: int = 0, endpos: int | None = None,
               tokens: frozenset[str] | None = None) -> re.Match | None:
        """`tokens`: tokenize(text[pos:endpos]) when the caller has it already."""
        end = len(text) if endpos is None else endpos
        return self.regex.search(text, pos, end) if self._may_match(text[pos:end], tokens) else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else endpos
        return self.regex.finditer(text, pos, end) if self._may_match(text[pos:end]) else iter(())


def tokenize(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower()))


def phrase_pattern(entries: frozenset[str]) -> PhraseList | None:
    return PhraseList(entries) if entries else None


@lru_cache(maxsize=None)
def _patterns(language: str) -> dict[str, PhraseList | None]:
    return {name: phrase_pattern(load_list(language, name))
            for name in ("request_phrases", "non_requests", "offers", "proposal_phrases")}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loading the dictionaries takes a moment: only when Russian text needs it
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def _russian_imperative(word: str, sentence_initial: bool) -> bool:
    """"Пришлите", "подтвердите" (imperative or 2nd person: taken as imperative unless "вы" precedes);
    a singular form ("пришли") only at the start of a sentence, where nouns in -и/-й rarely stand."""
    if word in load_list("ru", "imperative_exceptions"):
        return False
    plural = word.endswith(("те", "тесь"))
    if not plural and not (sentence_initial and word.endswith(("и", "й", "ь", "ись", "йся", "ься"))):
        return False
    parses = _morph().parse(word)
    if plural:
        return any("impr" in p.tag and p.tag.POS == "VERB" for p in parses)
    return parses[0].tag.POS == "VERB" and "impr" in parses[0].tag


@lru_cache(maxsize=100_000)
def _russian_infinitive(word: str) -> bool:
    return bool(_INFINITIVE_END.search(word)) and any(p.tag.POS == "INFN" for p in _morph().parse(word))


def _russian_cue(sentence: str) -> tuple[str, str] | None:
    words = [w.lower() for w in _WORD.findall(sentence)]
    for i, word in enumerate(words):
        initial = i == 0 or (i <= 2 and words[i - 1] in ("пожалуйста", "и", "также", "а", "еще", "ещё"))
        if _russian_imperative(word, initial):
            if any(w in _YOU_RU for w in words[max(0, i - 2):i]) and not _QUESTION.search(sentence):
                continue  # "вы получите скидку": a statement in the 2nd person, not an imperative
            return "imperative", word
    if _NEED_THING_RU.match(sentence):
        return "need", _NEED_THING_RU.match(sentence).group(0).strip()
    m = _NEED_RU.search(sentence)
    if m:
        following = [w.lower() for w in _WORD.findall(sentence[m.end():])][:4]
        if any(_russian_infinitive(w) for w in following):
            return "need", m.group(0)
    return None


@lru_cache(maxsize=1)
def _english_verbs() -> frozenset[str]:
    return load_list("en", "imperative_verbs")


def _english_cue(sentence: str) -> tuple[str, str] | None:
    """After each leading clause ("If you have a question, call us") only an imperative counts. A loop over
    at most _LEADING_CLAUSES of them: recursion overflowed the stack on a thousand "If you go," in a row."""
    for clauses in range(_LEADING_CLAUSES + 1):
        cue, main_clause = _opening_cue(sentence)
        if main_clause is None:
            return cue if not clauses or (cue and cue[0] == "imperative") else None
        sentence = main_clause
    return None


def _opening_cue(sentence: str) -> tuple[tuple[str, str] | None, str | None]:
    """(the cue of the sentence's first words, None), or (None, what follows the comma) when they open a clause."""
    words = [w.lower().strip("'’") for w in _WORD.findall(sentence)]
    i = 0
    while i < len(words) - 1 and words[i] in _LEADING_EN:
        i += 1
    if i < len(words) - 1 and "," in sentence[:40] and words[i][:1].isalpha() \
            and sentence.split(",", 1)[0].count(" ") < 2 and words[i] not in _english_verbs():
        i += 1  # "John, send me..."; a name before a comma
    verbs = _english_verbs()
    first, pair = (words[i] if i < len(words) else ""), " ".join(words[i:i + 2])
    if first in _CLAUSE_OPENERS and 0 < sentence.find(",") < _CLAUSE_MAX:
        return None, sentence[sentence.find(",") + 1:]
    if first == "lets":
        return ("proposal", first), None  # "Lets discuss", "Rob, lets meet": "let's" without its apostrophe
    if first in ("don't", "dont", "never") or pair == "do not":
        return ("imperative", pair), None  # "Don't make any changes", "Do not forward this"
    if pair in verbs or (first in verbs and (i + 1 >= len(words) or words[i + 1] not in ("you", "i", "we"))):
        return ("imperative", pair if pair in verbs else first), None
    return None, None


def _not_a_cue(sentence: str, m: re.Match) -> bool:
    """A phrase-list hit that asks or proposes nothing here: "please" as a verb, "I'd like to share"."""
    word = m.group(0).lower()
    if word == "please":
        return bool(_PLEASE_VERB.search(sentence, max(0, m.start() - _PLEASE_LOOKBACK), m.start()))
    if not word.endswith("like"):
        return False
    return bool(_ANNOUNCES_EN.match(sentence, m.end())) or \
        not _names_us_or_you(sentence) and not _JOINT_EN.match(sentence, m.end())


@lru_cache(maxsize=16)
def _names_us_or_you(sentence: str) -> bool:
    """Looked up once per sentence, however many "like"s it holds."""
    return _ADDRESSEE_EN.search(sentence) is not None


def _first_cue(pattern: PhraseList | None, sentence: str, tokens: frozenset[str]) -> re.Match | None:
    if pattern is None or not pattern._may_match(sentence, tokens):
        return None
    return next((m for m in pattern.regex.finditer(sentence) if not _not_a_cue(sentence, m)), None)


def request_cue(sentence: str, language: str) -> tuple[str, str] | None:
    """(kind, cue words) when the sentence asks or proposes something; None otherwise. The kinds in `ASKS`
    ask the reader for something; an `offer` ("feel free to call me") is an intent that asks nothing."""
    patterns, tokens = _patterns(language), tokenize(sentence)
    if patterns["offers"]:  # before the courtesy: "If you have questions, don't hesitate to call" offers a call
        m = patterns["offers"].search(sentence, tokens=tokens)
        if m:
            return "offer", m.group(0)
    if patterns["non_requests"] and patterns["non_requests"].search(sentence, tokens=tokens):
        return None
    if any(language in boilerplate and boilerplate[language].search(sentence) for boilerplate in (_OPT_OUT, _DELIVERY)):
        return None
    for kind, name in (("phrase", "request_phrases"), ("proposal", "proposal_phrases")):
        m = _first_cue(patterns[name], sentence, tokens)
        if m:
            return kind, m.group(0)
    if m := _WHEN_YOU_HAVE_TIME[language if language == "ru" else "en"].match(sentence):
        return "proposal", m.group(0).strip()  # "When you have 5 minutes I can bring you up to speed"
    cue = _russian_cue(sentence) if language == "ru" else _english_cue(sentence)
    if cue:
        return cue
    if _QUESTION.search(sentence) and len(_WORD.findall(sentence)) >= 2:
        return "question", "?"
    if language == "en":
        m = _EN_PLAN.search(sentence)
        if m:
            return "plan", m.group(0)
        m = _EN_WISH.search(sentence)
        if m:
            return "wish", m.group(0)
    return None


def intent_cue(sentence: str, language: str) -> tuple[str, str] | None:
    """The rules' cue, confirmed or overruled by the learned model where the language has one."""
    cue = request_cue(sentence, language)
    model = load_model(language)
    if model is None:
        return cue
    found = features(sentence, cue[0] if cue else None)
    if model.probability(found) < model.threshold:
        return None
    return cue or ("intent", model.strongest(found))


def is_request(sentence: str, language: str | None = None, kinds: frozenset[str] | None = None) -> bool:
    """True when the sentence carries an intent of one of `kinds` (default: any kind)."""
    if language is None:
        language = "ru" if re.search(r"[а-яё]", sentence, re.I) else "en"
    cue = intent_cue(sentence, language)
    return cue is not None and (kinds is None or cue[0] in kinds)


def find_requests(text: str, language: str, span: Span) -> list[Request]:
    """Requests among the sentences of text[span], in text order."""
    found = []
    for s, e in sentences(text, *span):
        cue = intent_cue(text[s:e], language)
        if cue:
            found.append(Request(s, e, cue[0], cue[1]))
    return found

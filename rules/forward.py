"""Forwardability: would the email still make sense if it were forwarded to a third party?

**What it checks.** A head of sales, a lawyer or the client's director often reads a thread they were not
part of.
- `forward.vague-subject`: the subject is empty, only Re:/Fwd:, generic ("Вопрос", "Документы", "Hi",
  "Follow up"; lists in `rules/data/<lang>/vague_subjects.txt`), or made only of words for a kind of
  document, request or routine topic ("Монтаж", "Акт сверки", "Запрос счёта", "Invoice", "A reminder";
  `generic_subject_words.txt`): nothing tells this email from the next one like it. A number, a company, a
  product or a place makes it specific ("Договор №17", "Westinghouse", "Монтаж станции в Клину").
- `forward.missing-context`: the new text leans on an earlier conversation ("как договаривались", "по
  нашему разговору", "as discussed", "per our call": `context_phrases.txt`) and nothing supplies it.
  Supplied means: the quoted history is there, or the same sentence spells the agreement out with a date
  or a figure ("Как договаривались 2 декабря по телефону, цена — 1,2 млн"). "См. ниже" / "see below"
  (`below_phrases.txt`) is fine when the quoted history is there or at least `below_min_words` words
  follow it in the new text.
- `forward.missing-attachment`: the text says a file is attached ("во вложении", "прилагаю", "направляю
  КП", "высылаю договор", "attached", "please find attached", "enclosed": `attachment_phrases.txt`,
  `attachment_documents.txt`) and the message has no attachment. Not a claim: a negated phrase ("не
  прикладываю", "not attached"), a promise ("пришлю позже", "will send separately"), a link instead of a
  file ("по ссылке", "link"), or anything in the quoted history.

**Why it matters.** A forwarded email is found by its subject and read without the phone call behind
it; an email that promises a file and has none costs a round trip and looks careless.

**Bad.** Subject "Документы": "Как договаривались, направляю КП." (and no file attached)

**Better.** Subject "КП на 40 панелей: ответ до 5.12": "Как договаривались 2 декабря по телефону, направляю
КП на 40 панелей: 1,2 млн ₽ с монтажом." (with КП.pdf attached)

**Options** (`[forward]`): `vague_subjects` (list of str): extra subjects that say nothing;
`below_min_words` (int, 8): how many words must follow "см. ниже" / "see below" when there is no quoted
history.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate, islice

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.model import Message
from mail_lint.text import WORD, count_words
from mail_lint.wordlists import alternation
from mail_lint.rules.support.lemmas import lemma, lemma_candidates
from mail_lint.rules.support.requests import ASKS, PhraseList, phrase_pattern, request_cue, sentences
from mail_lint.rules.support.wordlists import load_list

RULES = (
    Rule("EM501", "forward.vague-subject", "warning",
         "The subject would not tell a third party what the email is about.",
         label=("невнятная тема", "vague subject"),
         why="A forwarded email is found and triaged by its subject; 'Вопрос' or 'Re:' says nothing.",
         bad="Тема: Документы", better="Тема: Договор поставки №17 и счёт на предоплату"),
    Rule("EM502", "forward.missing-context", "warning",
         "The text leans on an earlier conversation that neither the text nor the quoted history supplies.",
         label=("нет контекста для пересылки", "context missing for a forward"),
         why="Whoever gets the email forwarded was not on the call: 'как договаривались' tells them nothing.",
         bad="Как договаривались, направляю договор.",
         better="Как договаривались 2 декабря по телефону, направляю договор: 40 панелей, 1,2 млн ₽ с монтажом."),
    Rule("EM503", "forward.missing-attachment", "error",
         "The text says a file is attached, and nothing is attached.",
         label=("обещано вложение, но его нет", "attachment promised, none attached"),
         why="The reader has to write back for the file: a wasted round trip that looks careless.",
         bad="Во вложении КП на 40 панелей. (no file attached)",
         better="Во вложении КП на 40 панелей. (КП.pdf attached)"),
)

# "Re [2]:" with the spaces after the tag inside its group: "\s*(\[\d+\])?\s*" is quadratic in a long run.
_PREFIX = re.compile(r"^\s*((re|fw|fwd|ответ|отв|пересл|aw|wg)\s*(\[\d+\]\s*)?:\s*)+", re.I)
_PUNCT = re.compile(r"[\W_]+", re.U)
_FIGURE = re.compile(r"\d")  # a date or a figure in the sentence spells the agreement out
_SEND_RU = r"(?:направляю|направляем|высылаю|высылаем|отправляю|отправляем|пересылаю|пересылаем|посылаю|присылаю)"
# How far before an attachment phrase its negation is looked for ("не" and up to two words).
_NEGATION_LOOKBACK = 100
_NEGATION = {
    "ru": re.compile(r"(?<!\w)(?:не|нет|без)\s+(?:\w+\s+){0,2}$", re.I),
    "en": re.compile(r"(?<!\w)(?:not|no|n't|without|never)\s+(?:\w+\s+){0,2}$|n't\s+(?:\w+\s+){0,2}$", re.I),
}
# A promise or a link: the file is not claimed to be here.
_NOT_HERE = {
    "ru": re.compile(r"(?<!\w)(?:пришлю|вышлю|отправлю|направлю|пришлём|пришлем|вышлем|отправим|направим|позже|"
                     r"отдельным письмом|завтра|ссылк\w*|по ссылке|https?://)", re.I),
    "en": re.compile(r"(?<!\w)(?:will|'ll|later|separately|shortly|tomorrow|link|https?://)", re.I),
}


def subject_core(subject: str) -> str:
    """The subject without Re:/Fwd: prefixes, lower-cased, punctuation collapsed."""
    return _PUNCT.sub(" ", _PREFIX.sub("", subject)).strip().lower()


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    return frozenset(lemma(w, language) for language in ("ru", "en")
                     for entry in load_list(language, "generic_subject_words") for w in entry.split())


def _only_generic_words(core: str) -> bool:
    """«Спецификация», «Запрос счёта», "A reminder", "Last message": a kind of document or a routine topic,
    nothing that tells this email from the next one like it (a number, a company, a product, a place)."""
    words = WORD.findall(core)
    generic = _generic_words()
    return bool(words) and not _FIGURE.search(core) and all(
        lemma_candidates(w, "ru") & generic or lemma_candidates(w, "en") & generic for w in words)


@lru_cache(maxsize=8)
def _vague_subjects(configured: tuple[str, ...]) -> frozenset[str]:
    """Both languages' lists (a Russian email often carries an English subject), plus the configured ones."""
    return (load_list("ru", "vague_subjects") | load_list("en", "vague_subjects")
            | {subject_core(s) for s in configured})


def _vague_subject(message: Message, options: dict) -> Hit | None:
    core = subject_core(message.subject)
    vague = _vague_subjects(tuple(options["vague_subjects"]))
    if core and core not in vague and not _only_generic_words(core):
        return None
    shown = message.subject.strip() or tr(message.language, ru="(пусто)", en="(empty)")
    return Hit("forward.vague-subject", 0, 0,
               tr(message.language, ru=f"Тема «{shown}» не говорит, о чём письмо",
                  en=f"The subject “{shown}” does not say what the email is about"),
               suggestion=tr(message.language, ru="Назовите в теме предмет и действие: «КП на 40 панелей: ответ до 5.12»",
                             en="Name the subject and the action: “Quote for 40 panels: reply by Dec 5”"))


@lru_cache(maxsize=None)
def _pattern(language: str, name: str) -> PhraseList | None:
    return phrase_pattern(load_list(language, name))


@lru_cache(maxsize=None)
def _attachment_pattern(language: str) -> re.Pattern | None:
    """The attachment phrases, plus (Russian) "направляю / высылаю" followed by a document within three words."""
    phrases = _pattern(language, "attachment_phrases")
    documents = load_list(language, "attachment_documents")
    parts = [phrases.pattern] if phrases else []
    if language == "ru" and documents:
        docs = "|".join(re.escape(d) for d in sorted(documents, key=len, reverse=True))
        parts.append(rf"(?<!\w){_SEND_RU}\s+(?:[\w-]+\s+){{0,3}}?(?:{docs})(?!\w)")
    return re.compile("|".join(parts), re.I | re.U) if parts else None


class _Writing:
    """The writing's sentences, and what the checks ask about them, each worked out once: asked anew for
    every phrase found, a text of one phrase repeated thousands of times would take quadratic time."""

    def __init__(self, message: Message):
        self.text, self.language = message.text, message.language
        self.spans = sentences(message.text, *message.writing)
        self._starts = [s for s, _ in self.spans]
        self._figures: dict[int, bool] = {}
        self._later: dict[int, bool] = {}
        self._plain_words_from: list[int] | None = None

    def index_at(self, pos: int) -> int | None:
        i = bisect_right(self._starts, pos) - 1
        return i if i >= 0 and pos < self.spans[i][1] else None

    def at(self, pos: int) -> tuple[int, int]:
        """The sentence holding pos; (pos, pos) when it lies between sentences."""
        i = self.index_at(pos)
        return self.spans[i] if i is not None else (pos, pos)

    def has_figure(self, i: int | None) -> bool:
        if i is not None and i not in self._figures:
            self._figures[i] = _FIGURE.search(self.text, *self.spans[i]) is not None
        return i is not None and self._figures[i]

    def promises_later(self, i: int | None) -> bool:
        """"Пришлю позже", "will send", a link: the file is not claimed to be here."""
        if i is not None and i not in self._later:
            self._later[i] = _NOT_HERE[self.language].search(self.text, *self.spans[i]) is not None
        return i is not None and self._later[i]

    def words_below(self, pos: int, wanted: int) -> bool:
        """Whether `wanted` words follow pos for "см. ниже" to point at: in the rest of its sentence and in the
        sentences after it, except the requests ("Подтвердите до 9 декабря" below is the ask, not the material)."""
        _, sentence_end = self.at(pos)
        rest = sum(1 for _ in islice(WORD.finditer(self.text, pos, max(pos, sentence_end)), wanted))
        return rest + self._plain_words(bisect_left(self._starts, max(pos, sentence_end))) >= wanted

    def _plain_words(self, first: int) -> int:
        """Words in the sentences from index `first` on that ask nothing."""
        if self._plain_words_from is None:
            counts = []
            for s, e in self.spans:
                cue = request_cue(self.text[s:e], self.language)
                counts.append(0 if cue and cue[0] in ASKS else len(WORD.findall(self.text, s, e)))
            self._plain_words_from = list(accumulate(reversed(counts)))[::-1] + [0]
        return self._plain_words_from[first]


def _missing_context(message: Message, options: dict, writing: _Writing):
    if message.parts.quoted:
        return  # the quoted history is there for whoever reads the forward
    lang = message.language
    start, end = message.writing
    context = _pattern(lang, "context_phrases")
    for m in context.finditer(message.text, start, end) if context else ():
        if writing.has_figure(writing.index_at(m.start())):
            continue
        phrase = m.group(0)
        yield Hit("forward.missing-context", m.start(), m.end(),
                  tr(lang, ru=f"«{phrase}» отсылает к разговору, которого у читателя пересланного письма нет",
                     en=f"“{phrase}” refers to a conversation whoever gets this forwarded never saw"),
                  suggestion=tr(lang, ru="Напишите, о чём договорились: «Как договаривались 2 декабря по телефону, "
                                         "цена — 1,2 млн ₽ за 40 панелей»",
                                en="Spell out what was agreed: “As agreed on the call on Dec 2, the price is "
                                   "$21,000 for 40 panels”"))
    yield from _reaction_to_nothing(message, writing)
    below = _pattern(lang, "below_phrases")
    for m in below.finditer(message.text, start, end) if below else ():
        if writing.words_below(m.end(), options["below_min_words"]):
            continue
        yield Hit("forward.missing-context", m.start(), m.end(),
                  tr(lang, ru=f"«{m.group(0)}», но ниже ничего нет", en=f"“{m.group(0)}”, but nothing is below"),
                  suggestion=tr(lang, ru="Приведите нужное прямо в письме или оставьте цитату переписки",
                                en="Put what you refer to in the email, or keep the quoted thread"))


# A request this short carries nothing of its own for a reaction to be about.
_REACTION_MAX_WORDS = 12
# What may follow the reaction word without naming its object: who is asked, and courtesy.
_ASKER = re.compile(r"(?<!\w)(?:с\s+вашей\s+стороны|от\s+вас|пожалуйста|from\s+(?:you(?:r\s+side)?|all\s+of\s+you)|"
                    r"please|on\s+your\s+side)(?!\w)", re.I)


@lru_cache(maxsize=2)
def _reaction_pattern(language: str) -> re.Pattern:
    return re.compile(r"(?<![^\W\d_])" + alternation(load_list(language, "reaction_words")), re.I)


def _reaction_to_nothing(message: Message, writing: _Writing):
    """"Do you all have comments?", «В ожидании вашего подтверждения.»: a short request for comments or a
    confirmation, with no attachment and no quoted thread: comments on what, confirmation of what?"""
    start, end = message.writing
    if message.attachments or count_words(message.text[start:end]) > _REACTION_MAX_WORDS:
        return
    lang = message.language
    for m in _reaction_pattern(lang).finditer(message.text, start, end):
        i = writing.index_at(m.start())
        if i is None:
            continue
        sentence_start, sentence_end = writing.spans[i]
        after = message.text[m.end():sentence_end]
        cue = request_cue(message.text[sentence_start:sentence_end], lang)
        if cue and cue[0] in ASKS and not WORD.search(_ASKER.sub(" ", after)):
            yield Hit("forward.missing-context", m.start(), m.end(),
                      tr(lang, ru=f"«{m.group(0)}» — чего? В письме нет ни вложения, ни цитаты переписки",
                         en=f"“{m.group(0)}” on what? The email carries no attachment and no quoted thread"),
                      suggestion=tr(lang, ru="Назовите, что нужно подтвердить, или приложите документ: «Подтвердите, "
                                             "пожалуйста, КП №45 на 40 панелей»",
                                    en="Name what to react to, or attach it: “Do you have comments on the draft "
                                       "contract 17 (attached)?”"))
            return


def _missing_attachment(message: Message, writing: _Writing):
    if message.attachments:
        return
    lang = message.language
    start, end = message.writing
    pattern = _attachment_pattern(lang)
    for m in pattern.finditer(message.text, start, end) if pattern else ():
        i = writing.index_at(m.start())
        s = writing.spans[i][0] if i is not None else m.start()
        negated = _NEGATION[lang].search(message.text, max(s, m.start() - _NEGATION_LOOKBACK), m.start())
        if negated or writing.promises_later(i):
            continue
        phrase = m.group(0)
        yield Hit("forward.missing-attachment", m.start(), m.end(),
                  tr(lang, ru=f"Написано «{phrase}», но к письму ничего не приложено",
                     en=f"It says “{phrase}”, but nothing is attached"),
                  suggestion=tr(lang, ru="Приложите файл или уберите упоминание вложения",
                                en="Attach the file, or drop the mention of it"))
        return  # one missing file is one finding, however often it is mentioned


def _hits(message: Message, ctx: Context) -> Iterator[Hit]:
    hit = _vague_subject(message, ctx.options)
    if hit:
        yield hit
    writing = _Writing(message)
    yield from _missing_context(message, ctx.options, writing)
    yield from _missing_attachment(message, writing)


def run(message: Message, ctx: Context) -> CheckResult:
    return CheckResult(list(_hits(message, ctx)))


CHECK = Check(name="forward", title=("Понятность при пересылке", "Forwardability"),
              doc=__doc__, rules=RULES, run=run,
              options={"vague_subjects": [], "below_min_words": 8})

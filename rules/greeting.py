"""Greeting: does the email open by greeting the recipient by name, and by the right name?

**What it checks.** The first non-empty line of the new text (quoted history is ignored). A greeting is a
greeting phrase ("Добрый день", "Здравствуйте", "Привет", "Уважаемый", "Hi", "Dear", "Hello"...) with an
optional address on either side ("Мария, добрый день!", "Добрый день, Мария!", "Dear Ms. Smith,"), or a
bare address ("Мария!"). The names in the address are compared with the To recipients: display names,
and the local part of the address as a hint (ivan.petrov@, i.petrov@, maria@). Diminutives ("Маша" is
Мария), inflection ("Марии") and transliteration ("Ivan" is Иван) count as the same name
(`rules/support/names.py`, tables in `rules/data/<lang>/diminutives.txt`); "Иван Петрович" is a named greeting, and
a patronymic is never a wrong name. When the To reveals no name (info@ without a display name), a name
cannot be checked and is not flagged.
- `greeting.missing`: no greeting on the first line (span: that line).
- `greeting.unnamed`: a greeting without a name to one person (span: the greeting). A nameless or group
  greeting ("Коллеги", "team", "all") to several recipients is fine.
- `greeting.wrong-name`: a name that matches none of the To recipients (span: the name).

**Why it matters.** A greeting by name shows the email was written for this reader, not mass-mailed. A
wrong name is worse than none: the client sees a copy-pasted email meant for someone else.

**Bad.** "Добрый день!" or "Олег, добрый день!" to Мария Соколова.

**Better.** "Мария, добрый день!" ("Маша, привет!" among colleagues; "Коллеги, добрый день!" to several).

**Options** (`[greeting]`): `group_min_recipients` (int, 2): from how many To+Cc recipients a nameless or
group greeting is fine.
"""
from __future__ import annotations

from collections.abc import Iterator

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.model import Message
from mail_lint.opening import Opening, Word, address_below
from mail_lint.rules.support.names import Recipient, name_kind, recipient, suggested_name
from mail_lint.wordlists import load_list

RULES = (
    Rule("EM101", "greeting.missing", "warning",
         "The email does not open with a greeting.",
         label=("нет приветствия", "no greeting"),
         why="An email that starts with business reads as curt; a greeting sets the tone in one line.",
         bad="Направляю КП во вложении.", better="Мария, добрый день!\n\nНаправляю КП во вложении."),
    Rule("EM102", "greeting.unnamed", "warning",
         "The greeting does not name the recipient (an email to one person).",
         label=("приветствие без имени", "greeting without a name"),
         why="A greeting by name shows the email was written for this reader, not mass-mailed.",
         bad="Добрый день!", better="Мария, добрый день!"),
    Rule("EM103", "greeting.wrong-name", "error",
         "The greeting names someone who is not among the To recipients.",
         label=("в приветствии чужое имя", "greeting names the wrong person"),
         why="A wrong name is worse than none: the client sees a copy-pasted email meant for someone else.",
         bad="Олег, добрый день! (to Мария Соколова)", better="Мария, добрый день!"),
)


def _both(name: str) -> frozenset[str]:
    return load_list("ru", name) | load_list("en", name)


def _is_name(opening: Opening, pool: list[Recipient]) -> bool:
    """A bare address ("Мария!", "Иван Петрович, направляю договор") greets when its words are names
    (or a recipient's) or a group; "Коммерческое предложение, версия 2" does not."""
    words = opening.words
    return opening.group or any(name_kind(w.text) for w in words) or any(r.matches(w.text) for r in pool for w in words)


def _find_greeting(message: Message, pool: list[Recipient]) -> Opening | None:
    """What the splitter found on the opening line, judged: a bare address must be a name."""
    g = message.parts.opening
    if g is not None and g.bare and not _is_name(g, pool):
        return None
    line = message.parts.opening_line
    if g and not g.persons and not g.group and line and message.text[line[0]:line[1]].endswith(","):
        g = _with_address_below(message, g, line[1], pool)
    return g


def _with_address_below(message: Message, g: Opening, after: int, pool: list[Recipient]) -> Opening:
    """"Добрый день,\nМария Ивановна!": the address may take the next line."""
    start = after + 1
    end = message.text.find("\n", start, message.new_text_end)
    below = address_below(message.text, start, message.new_text_end if end < 0 else end)
    if below and _is_name(below, pool):
        return Opening(g.start, below.end, g.phrase, below.persons, below.group)
    return g


def _better_greeting(phrase: str, name: str, language: str) -> str:
    if language == "ru":
        phrase = phrase if phrase and phrase not in _both("address_titles") else "добрый день"
        return f"{name}, {phrase}!"
    phrase = phrase if phrase and phrase not in ("hi there", "hello there") else "hi"
    return f"{phrase.capitalize()} {name},"


def _recipient_names(message: Message) -> str:
    return ", ".join(a.name or a.email for a in message.to) or "—"


def _wrong_name_hit(g: Opening, words: list[Word], person: list[Word], message: Message,
                    to: list[Recipient]) -> Hit:
    lang, addressees = message.language, _recipient_names(message)
    shown = " ".join(w.text for w in person)
    right = next((n for r in to if (n := suggested_name(r, lang))), "")
    surname = words[0].after_title or name_kind(words[0].text) == "Surn"
    better = _better_greeting(g.phrase, right, lang) if right else ""
    return Hit("greeting.wrong-name", words[0].start, words[-1].end,
               tr(lang, ru=f"В приветствии «{shown}», а письмо адресовано: {addressees}",
                  en=f"The greeting says “{shown}”, but the email is addressed to {addressees}"),
               suggestion=tr(lang, ru=f"Проверьте имя адресата: «{better}»" if better else "Проверьте имя адресата",
                             en=f"Check the recipient's name: “{better}”" if better else "Check the recipient's name"),
               replacements=[right] if right and not surname else [])   # a first name cannot replace a surname


def _check_names(g: Opening, message: Message, to: list[Recipient], cc: list[Recipient]):
    pool = to if len(g.persons) == 1 else to + cc        # "Мария, Олег, добрый день!" may greet the Cc too
    for person in g.persons:
        words = [w for w in person if name_kind(w.text) != "Patr"]
        if not words or any(r.matches(w.text) for r in pool for w in words):
            continue
        checkable = any((r.surname_known if (w.after_title or name_kind(w.text) == "Surn") else r.first_name_known)
                        for r in pool for w in words)
        if checkable:                                    # info@ without a display name: nothing to compare with
            yield _wrong_name_hit(g, words, person, message, to)


def _missing_hit(line: tuple[int, int], name: str, several: bool, lang: str) -> Hit:
    sample = tr(lang, ru="Коллеги" if several else "Мария", en="team" if several else "Maria")
    example = _better_greeting("", name or sample, lang)
    for_example = not (name or several)                  # the recipient's name is unknown: the name is a sample
    return Hit("greeting.missing", line[0], line[1],
               tr(lang, ru="Письмо начинается без приветствия", en="The email does not open with a greeting"),
               suggestion=tr(lang, ru=f"Начните с обращения{', например' if for_example else ''}: «{example}»",
                             en=f"Open with a greeting{', e.g.' if for_example else ':'} “{example}”"))


def _unnamed_hit(g: Opening, name: str, lang: str) -> Hit:
    better = _better_greeting(g.phrase, name, lang) if name else ""
    return Hit("greeting.unnamed", g.start, g.end,
               tr(lang, ru="Приветствие без имени адресата", en="The greeting does not name the recipient"),
               suggestion=tr(lang, ru=f"Обратитесь по имени: «{better}»" if better else
                             "Обратитесь по имени, например: «Мария, добрый день!»",
                             en=f"Greet the recipient by name: “{better}”" if better else
                             "Greet the recipient by name, e.g. “Hi Maria,”"),
               replacements=[better] if better else [])


def _hits(message: Message, ctx: Context) -> Iterator[Hit]:
    line = message.parts.opening_line
    if line is None:                                   # nothing written (a bare forward): no greeting either
        yield _missing_hit(message.lead_line, "", False, message.language)
        return
    to = [recipient(a.name, a.email) for a in message.to]
    cc = [recipient(a.name, a.email) for a in message.cc]
    lang = message.language
    several = len(message.to) + len(message.cc) >= ctx.options["group_min_recipients"]
    name = "" if several else next((n for r in to if (n := suggested_name(r, lang))), "")
    g = _find_greeting(message, to + cc)
    if g is None:
        yield _missing_hit(line, name, several, lang)
    elif g.persons:
        yield from _check_names(g, message, to, cc)
    elif not (several or (g.group and not to) or (to and not any(r.first_name_known or r.names for r in to))):
        yield _unnamed_hit(g, name, lang)            # not: a group, or info@ whose owner's name is unknown


def run(message: Message, ctx: Context) -> CheckResult:
    return CheckResult(list(_hits(message, ctx)))


CHECK = Check(name="greeting", title=("Приветствие", "Greeting"),
              doc=__doc__, rules=RULES, run=run, options={"group_min_recipients": 2})

"""Forwardability: would the email still make sense if the whole thread were forwarded to a third party?

A head of sales, a lawyer or the client's director often reads a thread they were not part of. The
subject must say what the email is about, and the text must not lean on context nobody can see.

Options (`[forward]`): `vague_subjects` — extra subjects (per language) that say nothing.
"""
from __future__ import annotations

import re

from mail_lint.checks import Check, Hit, Rule, tr
from mail_lint.model import Message
from rules.wordlists import load_list

RULES = (
    Rule("EM501", "forward.vague-subject", "warning",
         "The subject would not tell a third party what the email is about.",
         why="A forwarded email is found and triaged by its subject; 'Вопрос' or 'Re:' says nothing.",
         bad="Тема: Документы", better="Тема: Договор поставки №17 и счёт на предоплату"),
)

_PREFIX = re.compile(r"^\s*((re|fw|fwd|ответ|отв|пересл|aw|wg)\s*(\[\d+\])?\s*:\s*)+", re.I)
_PUNCT = re.compile(r"[\W_]+", re.U)


def subject_core(subject: str) -> str:
    """The subject without Re:/Fwd: prefixes, lower-cased, punctuation collapsed."""
    return _PUNCT.sub(" ", _PREFIX.sub("", subject)).strip().lower()


def _vague_subject(message: Message, options: dict) -> Hit | None:
    core = subject_core(message.subject)
    vague = load_list(message.language, "vague_subjects") | load_list("ru" if message.language == "en" else "en",
                                                                      "vague_subjects")
    vague |= {subject_core(s) for s in options["vague_subjects"]}
    if core and core not in vague:
        return None
    shown = message.subject.strip() or tr(message.language, ru="(пусто)", en="(empty)")
    return Hit("forward.vague-subject", 0, 0,
               tr(message.language, ru=f"Тема «{shown}» не говорит, о чём письмо",
                  en=f"The subject “{shown}” does not say what the email is about"),
               suggestion=tr(message.language, ru="Назовите в теме предмет и действие: «КП на 40 панелей: ответ до 5.12»",
                             en="Name the subject and the action: “Quote for 40 panels: reply by Dec 5”"))


def run(message: Message, ctx):
    hit = _vague_subject(message, ctx.options)
    if hit:
        yield hit


CHECK = Check(name="forward", doc=__doc__, rules=RULES, run=run, options={"vague_subjects": []})

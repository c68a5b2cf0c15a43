"""Wordy constructions the shortened email can rephrase, because the words that must agree can be inflected.

A phrase list says what is wordy; these say how to rewrite a construction whose replacement depends on the
verb that follows, so a list of fixed phrases cannot hold it. Each is rephrased only where pymorphy3 gives
the form that agrees and the rest of the sentence needs no change; anywhere else the list's advice stands.

- «Просьба уточнить сроки» → «Уточните сроки»: a request as a noun, at the start of a clause, becomes the
  imperative (plural, the polite form) of its verb; «Просим/Прошу (вас) предоставить» → «Пришлите».
- «Вам необходимо подписать договор» → «Подпишите договор»; «По вопросам оплаты необходимо обращаться к
  Ольге» → «… обращайтесь к Ольге»: an obligation addressed to the reader is a request.
- «Будем признательны, если вы пришлёте план» → «Пришлите, пожалуйста, план»; «Не могли бы вы прислать
  план?» → «Пришлите, пожалуйста, план.»; "I would appreciate it if you could sign" → "Please sign".
- «Наши специалисты свяжутся с вами» → «Мы свяжемся с вами»: to a client, the company's people are "we".
- "I think we should meet" → "We should meet": a hedge on the writer's own proposal (we + a modal) says
  nothing the modal does not. A hedge on a fact ("I think the panels arrive on Monday") stays advice: only
  the writer knows whether they are sure.

Verbs joined by «и» to the rephrased one are changed with it («Просьба уточнить сроки и сообщить цену» →
«Уточните сроки и сообщите цену»); any other verb of the same kind in the sentence, or a subordinate clause
before it, leaves the whole sentence as advice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mail_lint.checks import Change

from .lemmas import Token, parses_ru
from .phrases import opens_sentence

_CLAUSE_AFTER_COMMA = re.compile(r",[ \t]*$")
_SENTENCE_BREAK = re.compile(r"\n[ \t]*\n|[.!?…;][\"»”')]*\s*$")
# Words that open a clause an infinitive or verb may belong to instead of the request («чтобы проверить»).
_SUBORDINATORS = frozenset({"чтобы", "если", "когда", "как", "ли", "можно", "нужно", "надо", "необходимо",
                            "где", "куда", "что", "который", "которая", "которое", "которые", "которых",
                            "которым", "которую", "чем", "пока", "хотя"})
_REQUEST_NOUN = "просьба"
_REQUEST_VERBS = frozenset({"просим", "прошу"})
# Officialese for "send": «предоставить КП» is «прислать КП».
_SEND = {"предоставить": "прислать", "направить": "прислать"}
_OBLIGATION = frozenset({"необходимо", "следует"})
_REFER = frozenset({"обращаться", "обратиться"})          # «необходимо обращаться» is always said to the reader
_GRATEFUL = frozenset({"признательны", "благодарны", "признателен", "признательна", "благодарен", "благодарна"})
_OUR_PEOPLE = frozenset({"специалисты", "менеджеры", "сотрудники"})
_CAN = frozenset({"смочь", "мочь"})
_EN_HEDGES = (("i", "think"), ("i", "believe"), ("i", "feel"))
_EN_MODALS = frozenset({"should", "could", "can", "need", "must"})


@dataclass(frozen=True)
class Rephrasing:
    start: int                  # the wordy words, as the finding shows them
    end: int
    shorter: str                # what they become (the first change's text)
    category: str               # as in the phrase lists
    note: str
    changes: tuple[Change, ...]


def _cap(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _clause_start(text: str, pos: int) -> bool:
    return opens_sentence(text, pos) or bool(_CLAUSE_AFTER_COMMA.search(text, max(0, pos - 5), pos))


def _breaks(text: str, prev: Token, token: Token) -> bool:
    """A sentence ends between the two tokens: a blank line, or an end mark before a capital («12:00» and
    «т.е. оплата» do not end one: reading too little of a sentence would miss a verb that must agree)."""
    gap = text[prev.end:token.start]
    return bool(_SENTENCE_BREAK.search(gap)) and (not token.text[:1].islower() or "\n" in gap)


# A sentence longer than this is not rephrased (its verbs are not all read): it stays advice. Reading every
# sentence whole for each construction in it would make hostile text cost quadratic time.
MAX_SENTENCE_TOKENS = 80


def _sentence_rest(tokens: list[Token], i: int, text: str) -> list[Token] | None:
    """The tokens after tokens[i] up to the end of its sentence; None past MAX_SENTENCE_TOKENS."""
    rest = []
    for prev, token in zip(tokens[i:], tokens[i + 1:i + 2 + MAX_SENTENCE_TOKENS]):
        if _breaks(text, prev, token):
            return rest
        rest.append(token)
    return rest if len(rest) <= MAX_SENTENCE_TOKENS else None


def _sentence_start(tokens: list[Token], i: int, text: str) -> int | None:
    """The index of the first token of tokens[i]'s sentence; None past MAX_SENTENCE_TOKENS."""
    for j in range(i, max(0, i - MAX_SENTENCE_TOKENS) - 1, -1):
        if j == 0 or _breaks(text, tokens[j - 1], tokens[j]):
            return j
    return None


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _parse(word: str, *grammemes: str):
    """The first parse of a Russian word form that has all the grammemes, or None."""
    return next((p for p in parses_ru(word) if all(g in p.tag for g in grammemes)), None)


def _infinitive(token: Token):
    return _parse(token.norm, "INFN")


def _imperative(infinitive, send: bool = False) -> str | None:
    if send and (verb := _SEND.get(infinitive.word)):
        infinitive = _parse(verb, "INFN")
    form = infinitive.inflect({"impr", "excl", "plur"})
    return form.word if form else None


def _companions(tokens: list[Token], i: int, text: str, kind, convert) -> list[Change] | None:
    """Changes for the verbs joined by «и» to tokens[i] that `kind` recognises, converted by `convert`;
    None when another such verb stands elsewhere in the sentence or follows a subordinate clause."""
    changes, rest = [], _sentence_rest(tokens, i, text)
    if rest is None:
        return None
    subordinate = False
    for j, token in enumerate(rest):
        subordinate = subordinate or token.norm in _SUBORDINATORS
        parse = kind(token)
        if parse is None:
            continue
        joined = j > 0 and rest[j - 1].norm == "и" and _gap(text, rest[j - 1], token).strip() == ""
        form = convert(parse) if joined and not subordinate else None
        if form is None:
            return None
        changes.append(Change(token.start, token.end, form))
    return changes


def _requests(tokens: list[Token], text: str) -> list[Rephrasing]:
    out = []
    for i, token in enumerate(tokens):
        noun = token.norm == _REQUEST_NOUN and _parse(token.norm, "NOUN", "nomn") is not None
        if not (noun or token.norm in _REQUEST_VERBS) or not _clause_start(text, token.start):
            continue
        k = i + 1
        if not noun and k < len(tokens) and tokens[k].norm == "вас":
            k += 1
        if k >= len(tokens) or _gap(text, tokens[k - 1], tokens[k]).strip() not in ("", ","):
            continue
        infinitive = _infinitive(tokens[k])
        if infinitive is None or (not noun and infinitive.word not in _SEND):
            continue
        imperative = _imperative(infinitive, send=True)
        more = _companions(tokens, k, text, _infinitive, lambda p: _imperative(p))
        if imperative is None or more is None:
            continue
        shorter = _cap(imperative, token.text)
        out.append(Rephrasing(token.start, tokens[k].end, shorter, "bureaucratese",
                              f"просите прямо: «{_cap(imperative, 'X')}, пожалуйста»",
                              (Change(token.start, tokens[k].end, shorter), *more)))
    return out


def _obligations(tokens: list[Token], text: str) -> list[Rephrasing]:
    out = []
    for i, token in enumerate(tokens[:-1]):
        if token.norm not in _OBLIGATION:
            continue
        addressed = i > 0 and tokens[i - 1].norm == "вам" and _gap(text, tokens[i - 1], token).strip() == ""
        first = tokens[i - 1] if addressed else token
        infinitive = _infinitive(tokens[i + 1])
        if infinitive is None or _gap(text, token, tokens[i + 1]).strip():
            continue
        if not addressed and infinitive.word not in _REFER:
            continue
        # «Если вам необходимо изменить заказ» is a condition, not an obligation
        sentence_start = _sentence_start(tokens, i, text)
        if sentence_start is None or any(t.norm in _SUBORDINATORS for t in tokens[sentence_start:i]):
            continue
        imperative = _imperative(infinitive)
        more = _companions(tokens, i + 1, text, _infinitive, lambda p: _imperative(p))
        if imperative is None or more is None:
            continue
        shorter = _cap(imperative, first.text) if opens_sentence(text, first.start) else imperative
        out.append(Rephrasing(first.start, tokens[i + 1].end, shorter, "bureaucratese",
                              f"просите прямо: «{_cap(imperative, 'X')}…»",
                              (Change(first.start, tokens[i + 1].end, shorter), *more)))
    return out


def _second_person_verb(token: Token):
    return _parse(token.norm, "VERB", "2per", "plur") or _parse(token.norm, "VERB", "impr", "plur")


def _grateful_if(tokens: list[Token], text: str) -> list[Rephrasing]:
    """«(Мы) будем (очень) признательны, если вы пришлёте» → «пришлите, пожалуйста,»."""
    out = []
    for i, token in enumerate(tokens):
        if token.norm not in ("будем", "буду"):
            continue
        first = i - 1 if i > 0 and tokens[i - 1].norm in ("мы", "я") else i
        k = i + 1 + (i + 1 < len(tokens) and tokens[i + 1].norm == "очень")
        if k + 3 >= len(tokens) or tokens[k].norm not in _GRATEFUL:
            continue
        if [t.norm for t in tokens[k + 1:k + 3]] != ["если", "вы"]:
            continue
        v = k + 3
        verb = _second_person_verb(tokens[v])
        if verb is not None and _normal(verb) in _CAN and v + 1 < len(tokens):
            v += 1                              # «если вы сможете прислать» → «пришлите»
            verb = _infinitive(tokens[v])
        span = tokens[first:v + 1]
        # the words stand together: only spaces between them, and the comma before «если»
        if verb is None or any(_gap(text, a, b).strip() not in (("", ",") if b.norm == "если" else ("",))
                               for a, b in zip(span, span[1:])):
            continue
        imperative = _imperative(verb if "INFN" in verb.tag else _verb_infinitive(verb))
        more = _companions(tokens, v, text, _second_person_verb, _imperative_of_form)
        if imperative is None or more is None:
            continue
        please = ", пожалуйста," if _continues(text, tokens[v].end) else ", пожалуйста"
        shorter = (_cap(imperative, "X") if opens_sentence(text, tokens[first].start) else imperative) + please
        out.append(Rephrasing(tokens[first].start, tokens[v].end, shorter.rstrip(","), "courtesy",
                              "«Будем благодарны, если вы пришлёте» → «Пришлите, пожалуйста»",
                              (Change(tokens[first].start, tokens[v].end, shorter), *more)))
    return out


def _question_mark(tokens: list[Token], i: int, text: str) -> list[Change]:
    """The question mark that ends the sentence of tokens[i], as a full stop: a request asked as a
    question («Не могли бы вы…?») is no longer one once rephrased."""
    rest = _sentence_rest(tokens, i, text) or []
    last = rest[-1] if rest else tokens[i]
    mark = re.match(r"[ \t]*\?", text[last.end:])
    return [Change(last.end + mark.end() - 1, last.end + mark.end(), ".")] if mark else []


def _could_you(tokens: list[Token], text: str) -> list[Rephrasing]:
    """«Не могли бы вы прислать акт?» → «Пришлите, пожалуйста, акт.»"""
    out = []
    for i, token in enumerate(tokens[:-4]):
        words = [t.norm for t in tokens[i:i + 4]]
        if words != ["не", "могли", "бы", "вы"] or not opens_sentence(text, token.start):
            continue
        span = tokens[i:i + 5]
        infinitive = _infinitive(tokens[i + 4])
        if infinitive is None or any(_gap(text, a, b).strip() for a, b in zip(span, span[1:])):
            continue
        imperative = _imperative(infinitive)
        more = _companions(tokens, i + 4, text, _infinitive, lambda p: _imperative(p))
        if imperative is None or more is None:
            continue
        please = ", пожалуйста," if _continues(text, tokens[i + 4].end) else ", пожалуйста"
        shorter = (_cap(imperative, "X") if opens_sentence(text, token.start) else imperative) + please
        out.append(Rephrasing(token.start, tokens[i + 4].end, shorter.rstrip(","), "modality",
                              "«Не могли бы вы прислать» → «Пришлите, пожалуйста»",
                              (Change(token.start, tokens[i + 4].end, shorter), *more,
                               *_question_mark(tokens, i + 4, text))))
    return out


_EN_APPRECIATE = (["i", "would", "appreciate", "it", "if", "you"], ["we", "would", "appreciate", "it", "if", "you"],
                  ["i'd", "appreciate", "it", "if", "you"], ["we'd", "appreciate", "it", "if", "you"])


def _english_appreciate(tokens: list[Token], text: str) -> list[Rephrasing]:
    """"I would appreciate it if you could sign the quote" → "Please sign the quote"."""
    out = []
    for i, token in enumerate(tokens):
        for words in _EN_APPRECIATE:
            n = len(words)
            if [t.norm for t in tokens[i:i + n]] != words or i + n + 1 >= len(tokens):
                continue
            modal, verb = tokens[i + n], tokens[i + n + 1]
            span = tokens[i:i + n + 1]
            if modal.norm not in ("could", "would") or verb.norm in ("not", "be", "have") or verb.text[:1].isupper():
                continue
            if not _clause_start(text, token.start) or any(_gap(text, a, b).strip() for a, b in zip(span, span[1:])):
                continue
            # "… if you could send it?" stays a question of its own
            if _question_mark(tokens, i + n + 1, text):
                continue
            please = "Please" if opens_sentence(text, token.start) else "please"
            out.append(Rephrasing(token.start, modal.end, please, "courtesy", "ask with “please” instead",
                                  (Change(token.start, modal.end, please),)))
    return out


def _continues(text: str, pos: int) -> bool:
    """More of the clause follows (a word, not the sentence's end)."""
    return bool(re.match(r"[ \t]+[\w«\"(]", text[pos:pos + 3]))


def _normal(parse) -> str:
    return parse.normal_form.replace("ё", "е")


def _verb_infinitive(parse):
    """The infinitive parse of a verb form («пришлёте» → «прислать»)."""
    return _parse(_normal(parse), "INFN")


def _imperative_of_form(parse) -> str | None:
    infinitive = _verb_infinitive(parse)
    return _imperative(infinitive) if infinitive is not None else None


def _our_people(tokens: list[Token], text: str) -> list[Rephrasing]:
    """«Наши специалисты свяжутся» → «Мы свяжемся» (the future only: «наши специалисты имеют опыт» is a
    claim about the people)."""
    def third_person_future(token: Token):
        return _parse(token.norm, "VERB", "3per", "plur", "futr")

    def third_person(token: Token):            # any verb they do: «… свяжутся и согласуют время» agrees too
        return _parse(token.norm, "VERB", "3per", "plur")

    def first_person(parse):
        form = parse.inflect({"1per", "plur"})
        return form.word if form else None

    out = []
    for i, token in enumerate(tokens[:-2]):
        people, verb_token = tokens[i + 1], tokens[i + 2]
        if token.norm != "наши" or people.norm not in _OUR_PEOPLE:
            continue
        if _gap(text, token, people).strip() or _gap(text, people, verb_token).strip():
            continue
        verb = third_person_future(verb_token)
        ours = first_person(verb) if verb is not None else None
        more = _companions(tokens, i + 2, text, third_person, first_person)
        if ours is None or more is None:
            continue
        shorter = f"{_cap('мы', token.text)} {ours}"
        out.append(Rephrasing(token.start, verb_token.end, shorter, "bureaucratese",
                              "«Наши специалисты свяжутся с вами» → «Мы свяжемся с вами»",
                              (Change(token.start, verb_token.end, shorter), *more)))
    return out


def _english_hedges(tokens: list[Token], text: str) -> list[Rephrasing]:
    """"I think we should …" → "We should …" (see the module docstring)."""
    out = []
    for i, token in enumerate(tokens[:-3]):
        if (token.norm, tokens[i + 1].norm) not in _EN_HEDGES or not _clause_start(text, token.start):
            continue
        k = i + 2
        if tokens[k].norm == "that":
            k += 1
        if k + 1 >= len(tokens) or tokens[k].norm != "we" or tokens[k + 1].norm not in _EN_MODALS:
            continue
        if any(_gap(text, a, b).strip() for a, b in zip(tokens[i:k + 1], tokens[i + 1:k + 2])):
            continue
        we = tokens[k]
        at_start = opens_sentence(text, token.start)
        first_letter = we.text[0].upper() if at_start else we.text[0]
        out.append(Rephrasing(token.start, tokens[k - 1].end, "", "hedge", "if you are sure, say it plainly",
                              (Change(token.start, we.start + 1, first_letter),)))
    return out


def rephrasings(tokens: list[Token], text: str, language: str) -> list[Rephrasing]:
    """Every construction found, in text order (they may overlap one another: the rewrite takes the first)."""
    if language == "en":
        found = _english_hedges(tokens, text) + _english_appreciate(tokens, text)
    else:
        found = (_requests(tokens, text) + _obligations(tokens, text) + _grateful_if(tokens, text)
                 + _could_you(tokens, text) + _our_people(tokens, text))
    return sorted(found, key=lambda r: r.start)

"""Signature: does the email end with the company's standard signature?

**What it checks.** The signature block at the end of the new text (never the quoted history): the
sign-off ("С уважением,", "Best regards,", "--") and the short lines after it; without a sign-off, a last
paragraph of short lines that carries contacts. It reads the full name, job title, company, phone numbers
(Russian +7 / 8 and international), emails and websites (`rules/support/signature_block.py`), and compares them
with the standard in `[signature]`.
- `signature.missing`: no signature block, a bare sign-off with nothing under it, or only what a phone or
  mail client adds ("--" and "Отправлено из мобильного приложения" name nobody).
- `signature.incomplete`: a required field is absent; the message names them ("нет должности и телефона").
- `signature.nonstandard`: a phone off the accepted format (with the "+7 XXX XXX-XX-XX" form as the
  replacement), a company name off the accepted spellings, a banner ("Sent from my iPhone") or a
  quote/aphorism, or more than `max_lines` lines.

**Why it matters.** The signature is how a client calls back, forwards the email to a colleague, or finds
the company. A missing phone or title costs a reply; "8 (916) ..." cannot be dialled from abroad;
banners and aphorisms look unprofessional in sales mail.

**Bad.** "С уважением, Иван" (no surname, title, company or phone); "8 (916) 123-45-67"; "Sent from my
iPhone"; «Кто ищет, тот всегда найдёт» under the name.

**Better.** "С уважением, / Иван Петров / менеджер по продажам / ООО «Альфа Солар» / +7 916 123-45-67".

**Options** (`[signature]`):
- `required` (list, ["name", "title", "company", "phone"]; "email" and "website" may be added): the
  fields the standard requires. An unknown field is a configuration error.
- `company` (list, []): accepted spellings of the company name. Empty: any company-like line counts
  (ООО/АО/LLC/Inc/«...», or the sender's domain: alfa-solar.ru ~ "Альфа Солар").
- `phone_pattern` (regex): the accepted phone format, searched in each number as written. The default
  accepts the international form, "+" and the country code, with spaces, hyphens or brackets ("+7 916
  123-45-67", "+7 (495) 123-45-67", "+44 20 7946 0958"), and flags "8 (916) ..." and numbers without a
  country code. A strict house style: `'^\\+7 \\d{3} \\d{3}-\\d{2}-\\d{2}$'`.
- `max_lines` (int, 8): non-empty lines from the sign-off down.
- `full_name` (bool, true): a first name alone ("С уважением, Иван") is an incomplete name in an email
  to a client; between colleagues (every recipient at the sender's domain) a first name is enough.
- `banned` (list, []): more markers (substrings) of banners and boilerplate, on top of
  `rules/data/<lang>/signature_banners.txt`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.errors import ConfigError
from mail_lint.model import Message
from mail_lint.rules.support import signature_block as block

RULES = (
    Rule("EM201", "signature.missing", "warning",
         "The email has no signature block.",
         label=("нет подписи", "no signature"),
         why="Without a signature the client cannot call back or tell who wrote and from which company.",
         bad="...Жду ответа.\n(end of the email)",
         better="С уважением,\nИван Петров\nменеджер по продажам\nООО «Альфа Солар»\n+7 916 123-45-67"),
    Rule("EM202", "signature.incomplete", "warning",
         "The signature lacks a field the company standard requires (name, title, company, phone...).",
         label=("неполная подпись", "incomplete signature"),
         why="Each field answers a client's question: who is this, can they decide, which company, how to call.",
         bad="С уважением,\nИван", better="С уважением,\nИван Петров\nменеджер по продажам\nООО «Альфа Солар»\n"
                                           "+7 916 123-45-67"),
    Rule("EM203", "signature.nonstandard", "suggestion",
         "The signature is off-standard: phone format, banners or quotes, too long.",
         label=("подпись не по стандарту", "non-standard signature"),
         why="A uniform signature looks professional; '+7' numbers can be tapped and dialled from anywhere.",
         bad="8 (916) 123-45-67\nSent from my iPhone", better="+7 916 123-45-67"),
)

FIELDS = ("name", "title", "company", "phone", "email", "website")
DEFAULT_PHONE_PATTERN = r"^\+\d[\d \-()]{8,}\d(?:\s*(?:доб\.?|ext\.?|x)\s*\d{1,6})?$"
_FIELD_WORDS = {
    "name": ("имени и фамилии", "name"), "title": ("должности", "job title"), "company": ("компании", "company"),
    "phone": ("телефона", "phone"), "email": ("email", "email"), "website": ("сайта", "website"),
}


@lru_cache(maxsize=32)
def _phone_pattern(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.I)
    except re.error as e:
        raise ConfigError(f"signature.phone_pattern: not a valid regular expression: {e}") from None


def _validate(options: dict, config_dir: Path | None = None) -> None:
    _phone_pattern(options["phone_pattern"])
    unknown = [f for f in options["required"] if f not in FIELDS]
    if unknown:
        raise ConfigError(f"signature.required: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    if options["max_lines"] < 1:
        raise ConfigError("signature.max_lines: must be at least 1")


def normalized_phone(phone: str) -> str:
    """A Russian number in the standard form: "8 (916) 123-45-67" -> "+7 916 123-45-67"; others unchanged."""
    digits = re.sub(r"\D", "", phone.split("доб")[0].split("ext")[0])
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "3489":
        return ""
    return f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


def _join(items: list[str], language: str) -> str:
    if len(items) == 1:
        return items[0]
    conj = tr(language, ru=" и ", en=" or ")   # "нет должности и телефона" / "has no job title or phone"
    return ", ".join(items[:-1]) + conj + items[-1]


def _between_colleagues(message: Message) -> bool:
    """Every recipient is at the sender's own domain: an internal email, where a first name is enough."""
    domain = message.sender.email.rpartition("@")[2].lower() if message.sender else ""
    recipients = message.to + message.cc
    return bool(domain) and bool(recipients) and all(a.email.rpartition("@")[2].lower() == domain for a in recipients)


def _typed_lines(sig: block.Signature) -> list[block.Line]:
    """The lines a person typed: the block without its machine-made footer."""
    return [line for line in sig.lines if sig.footer is None or line.start < sig.footer]


def _missing_fields(sig: block.Signature, message: Message, options: dict) -> list[str]:
    full = not options["full_name"] or len(sig.name.split()) >= 2 or _between_colleagues(message)
    present = {
        "name": bool(sig.name) and full,
        "title": sig.title,
        "company": bool(sig.company),   # misspelt ("АльфаСолар") is there: signature.nonstandard says so
        "phone": bool(sig.phones), "email": bool(sig.emails), "website": bool(sig.websites),
    }
    return [f for f in options["required"] if not present[f]]


def _standard_company(sig: block.Signature, options: dict) -> bool:
    low = "\n".join(line.text for line in sig.lines).lower()
    return any(s.lower() in low for s in options["company"])


def _incomplete(sig: block.Signature, message: Message, options: dict):
    lang = message.language
    missing = _missing_fields(sig, message, options)
    if not missing:
        return
    words = [_FIELD_WORDS[f][0 if lang == "ru" else 1] for f in missing]
    if "name" in missing and sig.name:
        words[missing.index("name")] = tr(lang, ru="фамилии", en="surname")
    yield Hit("signature.incomplete", *sig.span,
              tr(lang, ru=f"В подписи нет {_join(words, lang)}", en=f"The signature has no {_join(words, lang)}"),
              suggestion=tr(lang, ru="Стандарт подписи: имя и фамилия, должность, компания, телефон",
                            en="The standard signature: full name, job title, company, phone"))


def _nonstandard(sig: block.Signature, message: Message, options: dict):
    lang = message.language
    pattern = _phone_pattern(options["phone_pattern"])
    for start, end, phone in sig.phones:
        if pattern.search(phone):
            continue
        fixed = normalized_phone(phone)
        yield Hit("signature.nonstandard", start, end,
                  tr(lang, ru=f"Телефон «{phone}» записан не по стандарту", en=f"The phone “{phone}” is off-standard"),
                  suggestion=tr(lang, ru=f"Международный формат: «{fixed or '+7 XXX XXX-XX-XX'}»",
                                en=f"Use the international format: “{fixed or '+<country code> ...'}”"),
                  replacements=[fixed] if fixed else [])
    if options["company"] and sig.company and not _standard_company(sig, options):
        shown = sig.company[0].text
        yield Hit("signature.nonstandard", sig.company[0].start, sig.company[0].end,
                  tr(lang, ru=f"Компания названа не по стандарту: «{shown}»",
                     en=f"The company name is off-standard: “{shown}”"),
                  suggestion=tr(lang, ru=f"Принятое написание: {options['company'][0]}",
                                en=f"The accepted spelling: {options['company'][0]}"),
                  replacements=[options["company"][0]])
    for line in block.quotes_and_banners(sig, options["banned"]):
        yield Hit("signature.nonstandard", line.start, line.end,
                  tr(lang, ru=f"Лишнее в подписи: {_quoted(line.text, '«', '»')}",
                     en=f"Does not belong in a signature: {_quoted(line.text, '“', '”')}"),
                  suggestion=tr(lang, ru="Уберите баннеры, цитаты и афоризмы из деловой подписи",
                                en="Remove banners, quotes and aphorisms from a business signature"))
    if len(sig.lines) > options["max_lines"]:
        yield Hit("signature.nonstandard", *sig.span,
                  tr(lang, ru=f"Подпись слишком длинная: строк — {len(sig.lines)}, по стандарту не больше "
                              f"{options['max_lines']}",
                     en=f"The signature is {len(sig.lines)} lines long; the standard is at most "
                        f"{options['max_lines']}"),
                  suggestion=tr(lang, ru="Оставьте имя, должность, компанию и телефон",
                                en="Keep the name, job title, company and phone"))


def _quoted(text: str, left: str, right: str) -> str:
    return text if text[:1] in "«\"“„" else f"{left}{text}{right}"


def _last_line(message: Message) -> tuple[int, int]:
    new = message.new_text.rstrip()
    return new.rfind("\n") + 1, len(new)


def _hits(message: Message, ctx: Context) -> Iterator[Hit]:
    options = ctx.options
    lang = message.language
    sig = block.find(message, tuple(options["company"])) if message.new_text.strip() else None
    # A role or a company alone ("Главный бухгалтер", "Отдел продаж") signs, incompletely; a footer alone does not.
    if sig is None or not (sig.name or sig.title or sig.company or len(_typed_lines(sig)) > 1):
        # nothing written (a bare forward) is unsigned too: the finding points at the text's first line
        start, end = sig.span if sig else _last_line(message) if message.new_text.strip() else message.lead_line
        yield Hit("signature.missing", start, end,
                  tr(lang, ru="В письме нет подписи", en="The email has no signature"),
                  suggestion=tr(lang, ru="Подпишитесь: «С уважением,\nИван Петров\nменеджер по продажам\n"
                                         "ООО «Альфа Солар»\n+7 916 123-45-67»",
                                en="Sign off: “Best regards,\nIvan Petrov\nSales Manager\nAlfa Solar LLC\n"
                                   "+7 916 123-45-67”"))
        return
    yield from _incomplete(sig, message, options)
    yield from _nonstandard(sig, message, options)


def run(message: Message, ctx: Context) -> CheckResult:
    return CheckResult(list(_hits(message, ctx)))


CHECK = Check(name="signature", title=("Подпись", "Signature"),
              doc=__doc__, rules=RULES, run=run, options={
    "required": ["name", "title", "company", "phone"],
    "company": [],
    "phone_pattern": DEFAULT_PHONE_PATTERN,
    "max_lines": 8,
    "full_name": True,
    "banned": [],
}, validate=_validate)

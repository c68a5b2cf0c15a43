"""The word-list syntax the splitter's data is written in (mail_lint/data/<language>/<name>.txt)."""
import re

import pytest

from mail_lint.wordlists import DATA, LANGUAGES, all_languages, alternation, entry_pattern


def _matches(entry: str, text: str) -> bool:
    return re.match(entry_pattern(entry), text, re.I) is not None


@pytest.mark.parametrize("entry, text, expected", [
    ("sent by", "Sent  by Outlook", True),               # a space is any run of spaces
    ("sent by", "sent bytes", False),                    # a whole word
    ("конфиденциальн*", "Конфиденциальная информация", True),
    ("предназначен* исключительно", "предназначено исключительно для", True),
    ("intended [only] for", "intended only for the addressee", True),
    ("intended [only] for", "intended for the addressee", True),
    ("не являетесь [*] адресат*", "не являетесь надлежащим адресатом", True),
    ("не являетесь [*] адресат*", "не являетесь адресатом", True),
    ("von meinem ... gesendet", "Von meinem iPhone gesendet", True),
    ("... from mobile$", "Yahoo Mail from mobile", True),
    ("... from mobile$", "I wrote it from mobile phone", False),
    ("发自我的*", "发自我的iPhone", True),
])
def test_entry_syntax(entry, text, expected):
    assert _matches(entry, text) is expected


def test_the_longest_entry_wins_a_tie():
    m = re.match(alternation({"с уважением", "с уважением и наилучшими пожеланиями"}),
                 "С уважением и наилучшими пожеланиями", re.I)
    assert m.group() == "С уважением и наилучшими пожеланиями"


@pytest.mark.parametrize("name", ["greetings", "signoffs", "thanks", "mobile_footers", "disclaimers",
                                  "quote_headers", "quote_separators"])
def test_every_structure_list_has_russian_and_english_entries(name):
    assert (DATA / "ru" / f"{name}.txt").is_file() and (DATA / "en" / f"{name}.txt").is_file()
    entries = all_languages(name)
    assert entries and all(e == e.lower() for e in entries)
    for entry in entries:
        re.compile(entry_pattern(entry))


def test_quote_header_entries_name_a_kind():
    for language in LANGUAGES:
        for entry in (DATA / language / "quote_headers.txt").read_text(encoding="utf-8").splitlines():
            entry = entry.split("#", 1)[0].strip()
            if entry:
                assert entry.partition(":")[0] in ("from", "date", "to", "other"), entry

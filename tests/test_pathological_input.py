"""Hostile text must not freeze the service (issue 12, "Freeze").

A regular expression that backtracks over a long run holds the GIL, so one bad draft stalls every
request of the process, /healthz included. Each input below took the code before the fix from 12 s to
hours (most were stopped after a minute); now each must be parsed and linted within a CPU budget
measured here (process time: other work on a loaded machine does not count against it) and still give
a complete verdict.
"""
from __future__ import annotations

import html
import json
import time
from pathlib import Path

import jsonschema
import pytest

import mail_lint
from mail_lint.annotate import annotate_text
from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.message import from_draft, parse
from mail_lint.mime import MAX_TEXT_CHARS
from mail_lint.verdict import TRUNCATED

CPU_SECONDS = 5.0       # per input of up to 200 KB (400 KB of HTML): linear code needs a second or two
SIZE = MAX_TEXT_CHARS   # the longest text that is linted whole
CONFIG = validate({})
SCHEMA = json.loads((Path(mail_lint.__file__).parent / "schema" / "verdict.schema.json").read_text())

GREETING = "Мария, добрый день!\n\nПришлите, пожалуйста, договор до пятницы.\n"
SIGNATURE = "\n\nС уважением,\nИван Петров\nменеджер по продажам\nООО «Альфа Солар»\n+7 916 123-45-67\n"


def run_of(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


def padded(line: str, size: int) -> str:
    """A line padded with spaces (as some clients align their attribution lines), to about size chars."""
    return line + " " * (size - len(line))


TEXTS = {
    "underscores": run_of("_"),
    "one Latin letter": run_of("a"),
    "one Cyrillic letter": run_of("я"),
    "digits": run_of("1"),
    "dots": run_of("."),
    "dashes": run_of("-"),
    "letter-dot pairs": run_of("a."),
    "letter-dash pairs": run_of("a-"),
    "dots before a letter": run_of(".", SIZE - 1) + "a",
    "blank lines inside the text": GREETING + "\n" * (SIZE - 300) + "Жду ответа." + SIGNATURE,
    "blank lines of spaces inside the text": GREETING + run_of(" \t\n", SIZE - 300) + "Жду ответа." + SIGNATURE,
    "one Russian sentence repeated": run_of("Пришлите договор до пятницы, см. ниже. "),
    "one English sentence repeated": run_of("Please send the contract by Friday, see below. "),
    "a deadline in every sentence": run_of("Жду к среде. "),
    "spaces after a deadline": GREETING + "Подпишите акт до пятницы" + " " * (SIZE - 300) + "." + SIGNATURE,
    "a denied attachment, again and again": run_of("Договор не во вложении, "),
    "'to please', again and again": run_of("to please "),
    "deeply nested quotes": "Жду ответа.\n" + "\n".join(
        "> " * (depth % 25 + 1) + padded("Иван Петров <ivan@alfa-solar.ru> wrote", 240) + ">"
        for depth in range(SIZE // 270)) + "\nЖду.",
    "many quote headers": run_of(padded("Иван Петров <ivan@alfa-solar.ru> wrote", 240) + "*\n"),
    "a long gap in a signature line": GREETING + "\n-- \nменеджер" + " " * (SIZE - 300) + "по продажам",
    "quotation marks in a signature": GREETING + "\n-- \nИван Петров\n" + "«" * (SIZE - 300),
    # the shortened email: thousands of edits, and constructions whose verbs are read to the sentence's end
    "one filler on one line": run_of("очень "),
    "a stock closer on every line": run_of("Будем рады сотрудничеству.\n"),
    "spaces after a stock closer": GREETING + "Будем рады сотрудничеству" + " " * (SIZE - 300) + "x" + SIGNATURE,
    "requests as nouns in one sentence": run_of("Просьба уточнить сроки и сообщить цену, "),
    "our people in one sentence": run_of("наши специалисты свяжутся и согласуют, "),
    "courtesy in one sentence": run_of("будем признательны, если вы пришлёте план и ответите, "),
}
HTML_SOUP = ("<html><body>" + run_of("<div><p>Пришлите <b>договор</b>&nbsp;до пятницы.<br><blockquote>", 120_000)
             + run_of("<table><tr><td>", 60_000) + '<div style="' + run_of("border-top:", 60_000) + '">Текст</div>'
             + run_of("<!--x>", 60_000))


def mime(body: str, content_type: str = "text/plain") -> bytes:
    return ("From: Иван <ivan@alfa-solar.ru>\r\nTo: Мария <maria@client.ru>\r\nSubject: Договор\r\n"
            "Date: Wed, 03 Dec 2025 10:00:00 +0300\r\n"
            f"Content-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}").encode()


def draft(text: str = "", html_text: str = ""):
    return from_draft(text=text, html=html_text, subject="Договор", to=["Мария <maria@client.ru>"],
                      date="2025-12-03T10:00:00+03:00")


def as_html(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))


@pytest.fixture(scope="module", autouse=True)
def loaded():
    """Word lists, dictionaries and models load on first use: that is no input's cost."""
    for text in ("Мария, добрый день! Пришлите договор до пятницы, см. ниже.", "Hi John, please send it by Friday."):
        lint(draft(text), CONFIG)


def within_budget(work):
    """work()'s result, after asserting that it took less than the CPU budget."""
    start = time.process_time()
    result = work()
    seconds = time.process_time() - start
    assert seconds < CPU_SECONDS, f"took {seconds:.1f} s of CPU (budget {CPU_SECONDS} s)"
    return result


def assert_complete(verdict) -> None:
    """A well-formed verdict in which every check ran (grammar needs a LanguageTool server: not here)."""
    data = verdict.to_json()
    jsonschema.validate(data, SCHEMA)
    assert not [f.message for f in verdict.findings if f.name.startswith("internal.") and f.name != TRUNCATED]
    assert [name for name, c in data["checks"].items() if c["status"] == "unavailable"] == ["grammar"]


@pytest.mark.parametrize("name", TEXTS)
def test_draft_text(name):
    verdict = within_budget(lambda: lint(draft(TEXTS[name]), CONFIG))
    assert_complete(verdict)
    assert verdict.message.text == TEXTS[name] and not verdict.message.truncated  # linted whole


@pytest.mark.parametrize("name", ["underscores", "blank lines inside the text", "one Russian sentence repeated",
                                  "many quote headers"])
def test_raw_message(name):
    assert_complete(within_budget(lambda: lint(parse(mime(TEXTS[name])), CONFIG)))


@pytest.mark.parametrize("name", ["underscores", "dots before a letter", "one English sentence repeated"])
def test_html_draft(name):
    assert_complete(within_budget(lambda: lint(draft(html_text=as_html(TEXTS[name])), CONFIG)))


def test_html_soup_as_draft_and_as_message():
    assert_complete(within_budget(lambda: lint(draft(html_text=HTML_SOUP), CONFIG)))
    assert_complete(within_budget(lambda: lint(parse(mime(HTML_SOUP, "text/html")), CONFIG)))


def test_html_that_never_closes_its_tags():
    verdict = within_budget(lambda: lint(draft(html_text="<p>Пришлите договор до пятницы.</p>" + run_of("<a ")),
                                         CONFIG))
    assert_complete(verdict)
    assert verdict.message.text == "Пришлите договор до пятницы."  # the unclosed tail is dropped, as in HTML5


def test_markup_html_parser_rejects_is_read_as_text():
    assert draft(html_text="<p>Пришлите договор.</p><![ x]>").text == "Пришлите договор.\n\n<![ x]>"


def test_annotated_html_of_thousands_of_findings():
    verdict = lint(draft(run_of("очень ")), CONFIG).to_json()
    assert len(verdict["findings"]) > 30_000
    page = within_budget(lambda: annotate_text(verdict["text"], verdict["findings"]))
    assert page.count('<mark class="finding') >= len(verdict["findings"])


def test_a_draft_over_the_text_cap_is_cut_and_says_so():
    text = run_of("Пришлите, пожалуйста, договор до пятницы. ", 3 * SIZE)
    verdict = within_budget(lambda: lint(draft(text), CONFIG))
    assert_complete(verdict)
    assert verdict.message.text == text[:SIZE]
    notes = [f for f in verdict.findings if f.name == TRUNCATED]
    assert len(notes) == 1 and (notes[0].start, notes[0].end) == (SIZE, SIZE)
    assert "200 000" in notes[0].message and "\n" not in notes[0].message

"""The shortened email (issue 16): which edits are applied, and how they are put together."""
from __future__ import annotations

from dataclasses import dataclass

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.message import from_draft
from mail_lint.rewrite import apply_edits, build, choose_edits, rewritten_message_text

GREETING = "Мария, добрый день!\n\n"
SIGNATURE = "\n\nС уважением,\nИван Петров\nменеджер, Альфа Солар\n+7 916 123-45-67\n"


@dataclass
class Fix:
    start: int
    end: int
    fix: str | None
    name: str = "wordiness.stop-word"


def _verdict(text: str, config: dict | None = None):
    return lint(from_draft(text=text), validate(config or {}))


# --- choosing edits -----------------------------------------------------------------------------------------

def test_only_findings_with_a_fix_are_applied():
    text = "abc def ghi"
    edits = choose_edits(text, (0, len(text)), [Fix(0, 4, ""), Fix(4, 7, None)])
    assert [(e.start, e.end, e.replacement) for e in edits] == [(0, 4, "")]


def test_of_overlapping_edits_the_first_then_the_longest_wins():
    text = "one two three four five"
    edits = choose_edits(text, (0, len(text)), [
        Fix(4, 8, "", "b"), Fix(4, 14, "", "a"),   # same start: the longer one
        Fix(8, 18, "x", "c"),                      # starts inside "a": dropped
        Fix(19, 23, "5", "d"),
    ])
    assert [e.name for e in edits] == ["a", "d"]
    assert apply_edits(text, edits) == "one four 5"


def test_edits_outside_the_writing_span_or_adding_words_are_dropped():
    text = "Hello there. Thanks, Ivan"
    writing = (0, 12)
    edits = choose_edits(text, writing, [Fix(13, 20, ""), Fix(6, 11, "over here"), Fix(6, 11, "all")])
    assert [(e.start, e.replacement) for e in edits] == [(6, "all")]


def test_an_edit_that_ends_inside_a_word_is_counted_on_whole_words():
    # a deletion at a sentence's start takes the next word's first letter to capitalise it
    text = "Сообщаем, что склад закрыт."
    message = from_draft(text=text)
    start = 0
    end = text.index("склад") + 1
    rewrite = build(message, [Fix(start, end, "С")])
    assert rewrite.text.startswith("Склад закрыт.")
    assert (rewrite.words_before, rewrite.words_after) == (4, 2)


# --- the verdict's rewrite ------------------------------------------------------------------------------------

def test_rewrite_is_the_writing_with_the_wordiness_fixes_applied():
    verdict = _verdict(GREETING + "В настоящее время мы осуществили оплату. Сообщаем, что склад закрыт. "
                       "Мы, собственно, готовы отгрузить очень быстро." + SIGNATURE)
    rewrite = verdict.rewrite
    assert rewrite.text == GREETING + "Сейчас мы оплатили. Склад закрыт. Мы готовы отгрузить быстро."
    lo, hi = verdict.message.writing
    assert rewrite.text == apply_edits(verdict.message.text, rewrite.edits, lo, hi)
    assert verdict.stats["removable_words"] == rewrite.words_before - rewrite.words_after == 7
    assert rewrite.words_before == verdict.stats["words"]
    whole = rewritten_message_text(verdict.message.text, rewrite)
    assert whole.endswith(SIGNATURE) and whole.startswith(rewrite.text)


def test_advice_makes_no_edit_and_saves_no_word():
    # «в кратчайшие сроки» wants a date only the writer knows: advice, never «быстро» in its place
    verdict = _verdict(GREETING + "Отгрузим панели в кратчайшие сроки." + SIGNATURE)
    (finding,) = [f for f in verdict.findings if f.name == "wordiness.stop-word"]
    assert finding.fix is None and finding.suggestion
    assert verdict.rewrite.edits == [] and verdict.stats["removable_words"] == 0
    assert verdict.rewrite.text == verdict.message.span_text(verdict.message.writing)


def test_conciseness_is_scored_on_the_words_the_rewrite_saves():
    from mail_lint.rules.wordiness import conciseness_score, sentences
    verdict = _verdict(GREETING + "В настоящее время мы осуществили оплату. Очень ждём документы." + SIGNATURE)
    removable, words = verdict.stats["removable_words"], verdict.stats["words"]
    assert removable == 4
    assert verdict.checks["wordiness"]["score"] == round(conciseness_score(removable, words))


def test_edits_never_touch_the_signature_or_the_quoted_history():
    text = (GREETING + "Договор подписан." + "\n\nС уважением,\nИван Петров\nОчень надёжный партнёр\n\n"
            "> В настоящее время мы осуществляем проверку.\n")
    verdict = _verdict(text)
    lo, hi = verdict.message.writing
    assert all(lo <= e.start <= e.end <= hi for e in verdict.rewrite.edits)
    assert rewritten_message_text(verdict.message.text, verdict.rewrite) == verdict.message.text


def test_an_empty_email_has_an_unchanged_empty_rewrite():
    rewrite = _verdict("").rewrite
    assert (rewrite.text, rewrite.words_before, rewrite.words_after, rewrite.edits) == ("", 0, 0, [])


def test_the_rewrite_is_stored_with_the_verdict(tmp_path):
    from mail_lint.store import Store
    verdict = _verdict(GREETING + "В настоящее время мы осуществили оплату." + SIGNATURE)
    store = Store.open(f"sqlite:///{tmp_path / 'verdicts.db'}")
    try:
        stored = store.get(store.save(verdict, "cli"))["verdict"]
    finally:
        store.close()
    assert stored["rewrite"] == verdict.to_json()["rewrite"]
    assert stored["rewrite"]["text"].endswith("Сейчас мы оплатили.")

"""Wordiness: lemma matching, shorter forms in the text's grammatical form, stats, score, company lists."""
from __future__ import annotations

import re

import pytest
import yaml

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.errors import ConfigError
from mail_lint.message import from_draft
from mail_lint.rules.support.lemmas import lemma_candidates, tokenize
from mail_lint.rules.support.phrases import DATA, builtin_phrases, parse_list, phrase_index
from mail_lint.rules.wordiness import CATEGORY, CHECK, conciseness_score, words_ru


def _verdict(text: str, config: dict | None = None, config_path=None):
    return lint(from_draft(text=text), validate(config or {}, config_path))


def _hits(text: str, name: str = "wordiness.stop-word", config: dict | None = None):
    verdict = _verdict(text, config)
    return [(verdict.message.text[f.start:f.end], f) for f in verdict.findings if f.name == name]


def _apply(text: str, findings) -> str:
    """The text with every finding's first replacement applied (right to left)."""
    for f in sorted(findings, key=lambda f: -f.start):
        if f.replacements:
            text = text[:f.start] + f.replacements[0] + text[f.end:]
    return text


# --- the lists ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, minimum", [("ru", 150), ("en", 80)])
def test_lists_are_large_enough_and_load(language, minimum):
    phrases = builtin_phrases(language)
    assert len(phrases) >= minimum
    assert {p.category for p in phrases} <= set(CATEGORY)


def test_every_list_file_documents_its_format():
    for language in ("ru", "en"):
        head = (DATA / language / "wordiness.yaml").read_text(encoding="utf-8").split("\nlanguage:")[0]
        assert "replace: false" in head and "delete_sentence" in head and "except" in head


# --- matching on lemmas -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, found, shorter", [
    ("Вчера мы осуществили оплату.", "осуществили оплату", "оплатили"),
    ("Завтра бухгалтер осуществит оплату.", "осуществит оплату", "оплатит"),
    ("Осуществите оплату до пятницы.", "Осуществите оплату", "Оплатите"),
    ("Пришлите данного договора копию.", "данного", "этого"),
    ("Имеем возможность отгрузить в марте месяце.", "Имеем возможность", "Можем"),
    ("Поставку перенесли на март месяц.", "март месяц", "март"),
])
def test_russian_inflected_forms_match_and_get_an_inflected_replacement(text, found, shorter):
    hits = _hits(f"Мария, добрый день!\n\n{text}\n")
    assert (found, [shorter]) in [(span, f.replacements) for span, f in hits]


def test_look_alike_forms_do_not_match():
    assert _hits("Мария, добрый день!\n\nПришлите данные. Крайний срок — пятница. Это позволит сэкономить.\n") == []


def test_english_inflected_forms_match_without_a_wrong_drop_in():
    hits = _hits("Hi John,\n\nWe made a decision yesterday. Don't hesitate to call.\n")
    by_span = {span: f for span, f in hits}
    assert by_span["made a decision"].suggestion == "decide"
    assert by_span["made a decision"].replacements == []  # "decide" would be the wrong tense
    assert by_span["Don't hesitate to"].replacements == ["Please"]


def test_longest_phrase_wins_and_commas_inside_a_phrase_are_allowed():
    hits = _hits("Мария, добрый день!\n\nПереносим монтаж, в связи с тем, что панели задерживаются.\n")
    assert [(span, f.replacements) for span, f in hits] == [("в связи с тем, что", ["потому что"])]


def test_a_phrase_does_not_match_across_a_sentence_end():
    assert _hits("Hi John,\n\nWe met in order. To be sure, call me.\n") == []


def test_replacements_leave_tidy_text():
    text = "Мария, добрый день!\n\nМы, собственно, очень ждём ответа. В настоящее время склад пуст.\n"
    verdict = _verdict(text)
    fixed = _apply(verdict.message.text, [f for f in verdict.findings if f.name == "wordiness.stop-word"])
    assert "Мы ждём ответа. Сейчас склад пуст." in fixed


def test_a_hint_is_not_offered_as_a_replacement():
    (span, finding), = _hits("Мария, добрый день!\n\nПредлагаем широкий спектр услуг монтажа.\n")
    assert span == "широкий спектр" and finding.replacements == []
    assert finding.message == "Штамп: «широкий спектр» — перечислите, что именно"
    assert finding.suggestion == "перечислите, что именно"


def test_messages_are_in_the_language_of_the_email():
    (_, ru), = _hits("Мария, добрый день!\n\nВ настоящее время склад пуст.\n")
    (_, en), = _hits("Hi John,\n\nAt this point in time the warehouse is empty.\n")
    assert ru.message == "Лишние слова о времени: «В настоящее время» → «Сейчас»"
    assert en.message == "Time filler: “At this point in time” → “Now”"


def test_only_the_authors_prose_is_read():
    text = ("Мария, добрый день!\n\nДоговор подписан.\n\nС уважением,\nИван Петров\nОчень надёжный партнёр\n\n"
            "> В настоящее время мы осуществляем проверку.\n")
    verdict = _verdict(text)
    assert [f for f in verdict.findings if f.check == "wordiness"] == []
    assert verdict.stats["removable_words"] == 0


# --- kinds of wordiness seen on real mail -----------------------------------------------------------------
# Each kind: a sentence that has it, the words flagged (as written) and the words the shortened email saves
# (0 where the better wording is advice only: it cannot be put in the sentence as it stands).

@pytest.mark.parametrize("text, found, saved", [
    # passive officialese: the doer hidden in the instrumental
    ("Нами было принято решение перенести монтаж на среду.", "Нами было принято решение", 0),
    ("Нами было получено ваше письмо от 3 декабря.", "Нами было получено", 0),
    # a request as a noun
    ("Просьба подтвердить адрес доставки до среды.", "Просьба подтвердить", 1),
    ("Просим предоставить реквизиты до пятницы.", "Просим предоставить", 1),
    # long openers
    ("Пишу вам, чтобы сообщить, что склад закрыт до понедельника.", "Пишу вам, чтобы сообщить, что", 5),
    ("Сообщаем, что склад закрыт до понедельника.", "Сообщаем, что", 2),
    ("Обращаемся к вам с просьбой продлить договор до марта.", "Обращаемся к вам с просьбой", 0),
    # courtesy that only delays the request
    ("Будем признательны, если вы пришлёте план кровли до пятницы.", "Будем признательны, если вы пришлёте", 3),
    ("Буду благодарен за ответ до среды.", "Буду благодарен за ответ", 0),
    # stock closers and phrases
    ("Готовы ответить на все ваши вопросы.", "Готовы ответить на все ваши вопросы", 6),
    ("Пришлите заявку любым удобным способом до среды.", "любым удобным способом", 3),
    ("Спасибо за проявленный интерес к нашим панелям.", "проявленный интерес", 1),
    ("Мы внимательно изучим ваш проект до среды.", "внимательно изучим", 1),
    ("Мы примем все необходимые меры до среды.", "все необходимые меры", 2),
    ("В случае отказа сообщите до среды.", "В случае", 0),
    # words that repeat what the reader knows, stock phrases of auto-replies, the passive of empty verbs
    ("Спасибо за обращение в нашу компанию.", "обращение в нашу компанию", 3),
    ("Благодарим вас за заявку на монтаж.", "Благодарим вас за", 1),
    ("Наши специалисты перезвонят вам до 12:00.", "Наши специалисты перезвонят", 1),
    ("Мы свяжемся с вами для обсуждения деталей.", "свяжемся с вами для обсуждения деталей", 3),
    ("Доставка осуществляется за три рабочих дня.", "осуществляется", 0),
    ("Приглашаем вас посетить наш стенд на выставке 12 мая.", "Приглашаем вас посетить", 0),
    ("Вопросы по договору решит ответственное лицо.", "ответственное лицо", 1),
    ("По вопросам оплаты необходимо обращаться к Ольге.", "необходимо обращаться", 1),
    # a list announced in words before the list itself
    ("Прошу выставить счёт на следующие позиции: панели 40 шт., инвертор 1 шт.", "следующие позиции", 3),
    # English: long openers, fillers, hedges, courtesy, time fillers
    ("I am writing to let you know that the panels ship on Dec 8.", "I am writing to let you know that", 8),
    ("Just a reminder that the site visit is on Tuesday at 10:00.", "Just a reminder that", 3),
    ("I would appreciate it if you could sign the quote by Friday.", "I would appreciate it if you could", 6),
    ("We are more than happy to move the visit.", "more than happy", 2),
    ("Please call me when you get a chance.", "when you get a chance", 5),
    ("Please give me a call on Monday.", "give me a call", 2),
    ("The client disagrees as to whether the fee applies.", "as to whether", 2),
    ("We talked as to who signs the contract.", "as to who", 2),
    ("Do you have any interest in joining the site visit?", "have any interest in", 0),
    ("I think the inverters arrive on Dec 8.", "I think", 0),
    ("I have the feeling that the client wants a discount.", "I have the feeling that", 0),
    ("A little birdie told me that the tender opens in May.", "A little birdie told me that", 4),
    ("Thank you very much for the quote.", "very much", 2),
])
def test_kinds_of_wordiness_seen_on_real_mail(text, found, saved):
    greeting = "Hi John,\n\n" if text.isascii() else "Мария, добрый день!\n\n"
    verdict = _verdict(greeting + text + "\n")
    hits = [(verdict.message.text[f.start:f.end], f) for f in verdict.findings if f.name == "wordiness.stop-word"]
    (span, _), = hits
    # a deletion takes the space after it, and at a sentence's start the next word too (it gets the capital)
    assert span.startswith(found) and re.fullmatch(r",?\s*[\w-]*", span[len(found):])
    assert verdict.stats["removable_words"] == saved == verdict.rewrite.words_before - verdict.rewrite.words_after


@pytest.mark.parametrize("text", [
    "По вопросам доставки звоните Ивану: +7 916 123-45-67.",       # where to ask, not "о доставке"
    "Следующие позиции отгрузим в среду.",                        # no list follows: the words carry the meaning
    "Отгрузим на следующей неделе.",
    "Клиент просит предоставить скидку 5%.",                      # someone else's request, reported
    "Клиент проявил интерес к панелям.",
    "Наш специалист Олег приедет в среду к 10:00.",                # one named person, not "мы"
    "Наши специалисты имеют опыт монтажа на 300 объектах.",        # a claim about expertise
    "Клиент благодарил вас за быстрый монтаж.",
    "Панели производятся в Казани.",                              # "made", not an empty verb
    "Меня интересует вопрос цены.",
    "Мы думали, что склад закрыт.",
    "В прошлом году нами был открыт склад в Казани.",              # not in the list of hidden doers
    "I thought the inverters had arrived.",                         # past: a report, not a hedge
    "We believed the quote was final.",
    "I wanted to buy the panels in May, but the price rose.",       # past wish, not an opener
    "We have a particular interest in the roof panels.",
    "We have an interest in the solar park.",                      # a stake, not a wish
    "Let me know if you could join the call on Monday.",
    "We ship the panels as well as to install them.",              # not the wordy "as to"
])
def test_look_alikes_of_those_kinds_are_not_flagged(text):
    greeting = "Hi John,\n\n" if text.isascii() else "Мария, добрый день!\n\n"
    assert _hits(greeting + text + "\n") == []


def test_deleting_a_sentence_opener_capitalises_the_next_word():
    text = "Мария, добрый день!\n\nСообщаем, что склад закрыт. Мы, собственно, готовы.\n"
    verdict = _verdict(text)
    fixed = _apply(verdict.message.text, [f for f in verdict.findings if f.name == "wordiness.stop-word"])
    assert "\n\nСклад закрыт. Мы готовы." in fixed


def test_a_drop_in_deletion_never_leaves_a_sentence_without_its_verb():
    (span, finding), = _hits("Hi John,\n\nThe letter comes next week, but I wanted to let you know.\n")
    assert span == "I wanted to let you know" and finding.replacements == []


# --- stats and score ----------------------------------------------------------------------------------------

def test_removable_words_sum_the_words_each_shorter_form_saves():
    # "в настоящее время" -> "сейчас" saves 2, "осуществили оплату" -> "оплатили" saves 1, "очень" saves 1
    verdict = _verdict("Мария, добрый день!\n\nВ настоящее время мы осуществили оплату. Очень ждём документы.\n")
    assert verdict.stats["removable_words"] == 4
    words = verdict.stats["words"]
    assert verdict.checks["wordiness"]["score"] == round(100 * (1 - 4 / words) ** 3)


def test_score_formula():
    assert conciseness_score(0, 100) == 100
    assert conciseness_score(10, 100) == pytest.approx(72.9)
    assert conciseness_score(5, 100, long_sentences=1) == pytest.approx(100 * 0.95 ** 3 - 5)
    assert conciseness_score(0, 0) == 100
    assert conciseness_score(50, 40) == 0


def test_a_disabled_rule_costs_nothing():
    text = "Мария, добрый день!\n\nВ настоящее время мы осуществили оплату.\n"
    verdict = _verdict(text, {"rules": {"disable": ["wordiness.stop-word"]}})
    assert verdict.checks["wordiness"]["score"] == 100 and verdict.stats["removable_words"] == 0


def test_readability_is_in_stats():
    verdict = _verdict("Hi John,\n\nHere is the quote. Please sign it by Friday.\n")
    assert isinstance(verdict.stats["readability"], float)
    assert _verdict("").stats["readability"] is None


# --- long sentences and long emails ----------------------------------------------------------------------

def test_too_long_uses_the_default_limit_of_250_words():
    sentence = "Панели смонтированы на складе и подключены к сети. "  # 8 words
    assert _hits("Мария, добрый день!\n\n" + sentence * 30, "wordiness.too-long") == []  # 3 + 240 words
    (span, finding), = _hits("Мария, добрый день!\n\n" + sentence * 32, "wordiness.too-long")
    assert finding.severity == "warning" and "259 слов" in finding.message


def test_bulleted_lines_are_separate_sentences():
    items = "\n".join(f"- панель модели {i} на кровлю склада" for i in range(10))  # 6 words each, 60 in all
    assert _hits(f"Мария, добрый день!\n\nСостав поставки:\n{items}\n", "wordiness.long-sentence") == []


def test_a_wrapped_line_continues_its_sentence():
    text = ("Hi John,\n\nWe are sending the proposal for forty panels on the roof of your warehouse\n"
            "together with delivery, installation and five years of maintenance by our engineers\n"
            "and a spare inverter.\n")
    (span, finding), = _hits(text, "wordiness.long-sentence")
    assert span.startswith("We are") and span.endswith("inverter") and "30 words" in finding.message


def test_russian_word_counts_agree_with_the_number():
    assert [words_ru(n) for n in (1, 3, 11, 21, 34, 37, 112)] == [
        "1 слово", "3 слова", "11 слов", "21 слово", "34 слова", "37 слов", "112 слов"]


# --- a company's own phrases ---------------------------------------------------------------------------

def test_company_list_file_relative_to_the_config(tmp_path):
    (tmp_path / "ours.yaml").write_text(
        "language: ru\nphrases:\n  cliche:\n    решение под ключ:\n      shorter: монтаж и запуск\n"
        "      replace: false\n", encoding="utf-8")
    config_path = tmp_path / "mail-lint.toml"
    verdict = _verdict("Мария, добрый день!\n\nПредлагаем решения под ключ.\n",
                       {"wordiness": {"lists": ["ours.yaml"]}}, config_path)
    (finding,) = [f for f in verdict.findings if f.name == "wordiness.stop-word"]
    assert verdict.message.text[finding.start:finding.end] == "решения под ключ"
    assert finding.suggestion == "монтаж и запуск"


def test_a_broken_company_list_is_reported_by_name_when_the_config_loads(tmp_path):
    with pytest.raises(ConfigError, match="wordiness.lists.*missing.yaml"):
        validate({"wordiness": {"lists": ["missing.yaml"]}}, tmp_path / "mail-lint.toml")


@pytest.mark.parametrize("raw, error", [
    ({"phrases": {"filler": {True: ""}}, "language": "en"}, "quote it"),
    ({"phrases": {"filler": {"kind of": 3}}, "language": "en"}, "expected a shorter form"),
    ({"phrases": {"filler": {"kind of": {"shorter": "", "colour": 1}}}, "language": "en"}, "unknown key"),
    ({"phrases": {"filler": {"kind of": ""}}, "language": "de"}, "language must be"),
    ({"entries": []}, "phrases"),
])
def test_bad_list_entries_name_the_problem(raw, error):
    with pytest.raises(ConfigError, match=error):
        parse_list(raw, None, "ours.yaml")


def test_a_yes_key_read_as_boolean_must_be_quoted():
    with pytest.raises(ConfigError, match="quote it"):
        parse_list(yaml.safe_load("language: en\nphrases:\n  filler:\n    yes: ''\n"), None, "ours.yaml")


def test_extra_phrases_without_a_language_table_are_an_error_when_the_config_loads():
    with pytest.raises(ConfigError, match="extra_phrases.ru"):
        validate({"wordiness": {"extra_phrases": {"по факту": ""}}})


def test_extra_phrases_extend_the_index():
    index = phrase_index("en", (), '{"per our records": "we see"}')
    tokens = tokenize("Per our records, the invoice is paid.", "en")
    (match,) = list(index.find(tokens, "Per our records, the invoice is paid."))
    assert match.phrase.shorter == "we see" and match.phrase.replace


# --- tokens, lemmas, docs -------------------------------------------------------------------------------------

def test_tokens_carry_offsets_into_the_whole_text():
    text = "Subject. Мы осуществили оплату."
    tokens = tokenize(text, "ru", 9)
    assert [text[t.start:t.end] for t in tokens] == ["Мы", "осуществили", "оплату"]
    assert "осуществить" in tokens[1].lemmas


@pytest.mark.parametrize("word, base", [("hesitating", "hesitate"), ("made", "make"), ("planned", "plan"),
                                        ("companies", "company"), ("is", "be"), ("don't", "do")])
def test_english_lemma_candidates(word, base):
    assert base in lemma_candidates(word, "en")


def test_docs_under_fixed_headings():
    for heading in ("What it checks", "Why it matters", "Bad", "Better", "Options"):
        assert f"\n{heading}\n" in CHECK.doc
    assert [r.name for r in CHECK.rules] == ["wordiness.stop-word", "wordiness.long-sentence", "wordiness.too-long"]
    assert [r.code for r in CHECK.rules] == ["EM301", "EM302", "EM303"]
    assert all(r.summary and r.why and r.bad and r.better for r in CHECK.rules)

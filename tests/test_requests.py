"""The request detector (rules/support/requests.py) on single sentences and on a message's text."""
from __future__ import annotations

import pytest

from mail_lint.rules.support.requests import ASKS, find_requests, is_request, request_cue, sentences


@pytest.mark.parametrize("sentence", [
    "Пришлите, пожалуйста, реквизиты.",
    "Подтвердите количество до пятницы.",
    "Сообщите, когда вам удобно.",
    "Прошу подписать договор.",
    "Просим согласовать спецификацию.",
    "Просьба оплатить счёт до 10 декабря.",
    "Необходимо подписать акт до конца недели.",
    "Нужно согласовать макет.",
    "Вы могли бы уточнить адрес доставки?",
    "Сможете подтвердить до среды?",
    "Когда удобно созвониться?",
    "Давайте созвонимся в четверг.",
    "Жду вашего ответа до пятницы.",
    "Пришли договор, пожалуйста.",
])
def test_russian_requests(sentence):
    assert is_request(sentence, "ru", ASKS)


@pytest.mark.parametrize("sentence", [
    "Будем рады сотрудничеству.",
    "Надеемся на сотрудничество.",
    "Мы поставили более 500 объектов.",
    "Вы получите скидку 5% при оплате до пятницы.",
    "Здравствуйте, Мария!",
    "Спасибо за внимание.",
    "Если возникнут вопросы, звоните.",
    "Обратите внимание: цены действуют до 15 декабря.",
    "Цена за 40 панелей составляет 1,2 млн рублей.",
])
def test_russian_non_requests(sentence):
    assert not is_request(sentence, "ru", ASKS)


@pytest.mark.parametrize("sentence", [
    "Please send us your company details.",
    "Could you confirm the quantity by Friday?",
    "Would you review the draft?",
    "Can you call me tomorrow?",
    "Let me know if the date works.",
    "I need the signed contract from you by Monday.",
    "Kindly confirm receipt.",
    "Send me the invoice.",
    "John, call me when you land.",
    "Don't sign anything before we talk.",
    "When can we talk?",
])
def test_english_requests(sentence):
    assert is_request(sentence, "en", ASKS)


@pytest.mark.parametrize("sentence", [
    "Thank you for your time.",
    "We look forward to working with you.",
    "Please find attached our quote.",
    "Please do not hesitate to contact me.",
    "Our quote is 21,000 USD.",
    "If you have any questions, please let me know.",
    "Looking forward to hearing from you.",
])
def test_english_non_requests(sentence):
    assert not is_request(sentence, "en", ASKS)


def test_a_standing_offer_is_an_intent_but_not_an_ask():
    kind, _ = request_cue("Feel free to call me.", "en")
    assert kind == "offer" and kind not in ASKS
    assert is_request("Feel free to call me.", "en")  # the data set's sense of "intent"


def test_sentences_keep_abbreviations_together_and_split_lines():
    text = "Условия см. ниже. Цена 1.2 млн!\nПришлите реквизиты\n- ИНН\n- КПП"
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts == ["Условия см. ниже.", "Цена 1.2 млн!", "Пришлите реквизиты", "- ИНН", "- КПП"]


def test_find_requests_returns_sentence_spans_inside_the_span():
    text = "Мария, добрый день!\n\nМы подготовили договор. Подпишите его до пятницы.\n\n> Пришлите счёт."
    span = (0, text.index(">"))
    found = find_requests(text, "ru", span)
    assert [text[r.start:r.end] for r in found] == ["Подпишите его до пятницы."]
    assert found[0].kind == "imperative"


@pytest.mark.parametrize("sentence", [
    "If you have a question about the invoice, call our accountant directly.",
    "When the panels arrive, check the packaging before you sign.",
    "Rob, lets discuss the price on the call.",
    "Visit our showroom to see the new inverters.",
    "You will need to sign the acceptance certificate.",
])
def test_english_asks_found_after_a_leading_clause_or_without_an_apostrophe(sentence):
    assert is_request(sentence, "en", ASKS)


@pytest.mark.parametrize("sentence", [
    "I shall call you on Monday about the survey.",
    "Saturday is good.",
    "Here are the figures for us to discuss.",
    "I'd be happy to walk you through the quote.",
])
def test_english_plans_and_offers_are_intents_but_not_asks(sentence):
    assert is_request(sentence, "en")
    assert not is_request(sentence, "en", ASKS)


@pytest.mark.parametrize("sentence, language", [
    ("Цены на новые инверторы на 10% ниже прошлогодних моделей.", "ru"),  # "прош*" once matched "прошлогодних"
    ("Прошлый заказ мы отгрузили в срок.", "ru"),
    ("If the volume grows, we can add a second inverter.", "en"),         # a leading clause, then no imperative
])
def test_words_that_only_look_like_asks(sentence, language):
    assert not is_request(sentence, language, ASKS)


@pytest.mark.parametrize("sentence, language", [
    ("If you no longer wish to receive these emails, please click here.", "en"),
    ("If you'd like to turn off these notifications, please visit your settings.", "en"),
    ("Если вы не хотите получать наши письма, нажмите «Отписаться».", "ru"),
    ("Чтобы отписаться от рассылки, перейдите по ссылке.", "ru"),
    ("I'd like to share some great news with you.", "en"),
    ("We would like to thank you for your order.", "en"),
    ("Presents sure to please every budget.", "en"),
])
def test_opt_out_boilerplate_announcements_and_the_verb_please_are_no_intents(sentence, language):
    assert not is_request(sentence, language)


@pytest.mark.parametrize("sentence", [
    "I'd like to schedule a call for Tuesday.",
    "We would like to invite you to our showroom.",
    "I would like you to please confirm the order.",
    "If you want the discount, please sign by Friday.",
])
def test_wishes_that_propose_and_a_courteous_please_stay_intents(sentence):
    assert is_request(sentence, "en", ASKS)


@pytest.mark.parametrize("sentence", [
    "I'll call you tomorrow at 10.",
    "I will send you the revised quote on Monday.",
    "I can meet around 10:00.",
    "I could meet you during the break on Monday.",
    "Any help you can give would be much appreciated.",
])
def test_dated_promises_offered_meetings_and_wishes_are_intents_but_not_asks(sentence):
    assert is_request(sentence, "en")
    assert not is_request(sentence, "en", ASKS)


@pytest.mark.parametrize("sentence", [
    "So as long as they buy spot, they can meet the benchmark.",
    "I called you yesterday.",
])
def test_a_meeting_verb_without_a_proposal_or_a_date_is_no_intent(sentence):
    assert not is_request(sentence, "en")


@pytest.mark.parametrize("sentence, expected", [
    ("I would like to deliver the panels before the end of the month.", False),  # the writer's own wish
    ("I'd like to meet next week.", True),                                        # a meeting: a proposal
    ("I'd like to have the signed copy by Friday.", True),
    ("I would like to show you the new inverter line.", True),                    # the reader is in it
])
def test_a_wish_proposes_when_it_involves_the_reader_or_a_meeting(sentence, expected):
    assert is_request(sentence, "en", ASKS) is expected


@pytest.mark.parametrize("sentence, language, expected", [
    ("To ensure delivery to your inbox, please add news@shop.com to your contacts.", "en", False),
    ("Чтобы наши письма не попадали в спам, добавьте адрес news@shop.ru в контакты.", "ru", False),
    ("To make sure you receive the goods on time, please confirm the order by Friday.", "en", True),
    ("Чтобы получить скидку, пришлите заявку до пятницы.", "ru", True),
])
def test_delivery_boilerplate_is_no_request_but_a_goal_clause_before_one_is(sentence, language, expected):
    assert is_request(sentence, language, ASKS) is expected

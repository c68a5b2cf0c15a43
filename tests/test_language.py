"""Language of the new text: ru or en, not fooled by English footers, names or quotes."""
from __future__ import annotations

import pytest

from mail_lint.language import detect_language


@pytest.mark.parametrize("text,expected", [
    ("Добрый день, Мария!\n\nНаправляю коммерческое предложение. Прошу подтвердить до пятницы.", "ru"),
    ("Hi John,\n\nPlease find the quote attached. Could you confirm by Friday?", "en"),
    ("Коллеги, обновил прайс в CRM и выгрузил PDF для Alfa Solar, проверьте Excel-файл.", "ru"),
    ("Ivan, the meeting with Альфа Солар is on Friday at our office.", "en"),
])
def test_language_of_plain_prose(text, expected):
    assert detect_language(text) == expected


def test_english_disclaimer_under_a_russian_email_does_not_make_it_english():
    text = ("Добрый день!\n\nСогласен с условиями, подпишем завтра.\n\nС уважением,\nИван Петров\n\n"
            "This e-mail and any attachments are confidential and may be privileged. If you are not the intended "
            "recipient, please notify the sender immediately and delete this message from your system. Any "
            "unauthorised use, disclosure or copying of this message is strictly prohibited.")
    assert detect_language(text) == "ru"


def test_english_quote_under_a_russian_reply_does_not_make_it_english():
    text = ("Да, подходит.\n\nOn Wed, Dec 3, 2025 at 10:15 AM John Smith <john@example.com> wrote:\n\n"
            "> Does Thursday at 10 work for you? We would like to discuss the price list and the delivery terms.\n")
    assert detect_language(text) == "ru"


def test_russian_quote_under_an_english_reply_does_not_make_it_russian():
    text = ("Sounds good, see you on Thursday.\n\nср, 3 дек. 2025 г. в 10:15, Иван Петров <ivan@example.ru>:\n\n"
            "> Давайте встретимся в четверг и обсудим условия поставки и оплаты.\n")
    assert detect_language(text) == "en"


def test_links_and_addresses_do_not_count_as_english():
    text = "Смотрите https://example.com/very/long/english/path/with/words и пишите на sales.manager@example.com"
    assert detect_language(text) == "ru"


@pytest.mark.parametrize("text", ["", "   ", "12345 +7 (495) 123-45-67", "https://example.com"])
def test_no_words_gives_the_default(text):
    assert detect_language(text) == "ru"
    assert detect_language(text, default="en") == "en"

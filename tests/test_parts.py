"""The greeting / body / signature / quoted-history split, one Russian and one English case per
client format, plus the invariants every split keeps and the Russian discourse gold cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from mail_lint.model import Parts
from mail_lint.parts import split_parts
from support.corpora import corpora_dir

REPO = Path(__file__).resolve().parent.parent




def pieces(text: str, quote_hint: int | None = None) -> dict[str, str | None]:
    parts = split_parts(text, quote_hint)
    assert_well_formed(text, parts)
    return {name: (text[span[0]:span[1]] if span else None) for name, span in
            (("greeting", parts.greeting), ("body", parts.body), ("signature", parts.signature),
             ("quoted", parts.quoted))}


def assert_well_formed(text: str, parts: Parts) -> None:
    spans = [s for s in (parts.greeting, parts.body, parts.signature, parts.quoted) if s]
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
    ordered = sorted(spans)
    for (_, end), (start, _) in zip(ordered, ordered[1:]):
        assert end <= start, f"overlapping spans {ordered}"


# ------------------------------------------------------------------ quoted history, per format
QUOTE_CASES = {
    "gt-ru": ("Согласен, подписываем.\n\n> Иван, вы согласны с условиями?\n> Мария\n",
              "Согласен, подписываем.", "> Иван, вы согласны"),
    "gt-en": ("Agreed, let's sign.\n\n> Ivan, do you agree with the terms?\n> Maria\n",
              "Agreed, let's sign.", "> Ivan, do you agree"),
    "outlook-separator-ru": ("Договор во вложении.\n\n-----Исходное сообщение-----\nОт: Мария\nТема: Договор\n\nПришлите договор.",
                             "Договор во вложении.", "-----Исходное сообщение-----"),
    "outlook-separator-en": ("The contract is attached.\n\n-----Original Message-----\nFrom: Maria\nSubject: Contract\n\nSend it.",
                             "The contract is attached.", "-----Original Message-----"),
    "outlook-headers-ru": ("Встреча в силе.\n\nОт: Мария Смирнова <maria@example.ru>\nОтправлено: 3 декабря 2025 г. 10:15\n"
                           "Кому: Иван Петров <ivan@example.ru>\nТема: Встреча\n\nВстреча в силе?",
                           "Встреча в силе.", "От: Мария Смирнова"),
    "outlook-headers-en": ("The meeting is on.\n\nFrom: Maria Smith <maria@example.com>\nSent: Wednesday, December 3, 2025 10:15 AM\n"
                           "To: Ivan Petrov <ivan@example.com>\nSubject: Meeting\n\nIs the meeting on?",
                           "The meeting is on.", "From: Maria Smith"),
    "outlook-bold-rule-en": ("Done.\n\n ------------------------------\n\n*From:* Maria\n*Sent:* 2025-12-03\n*To:* Ivan\n*Subject:* Task\n\nDo it.",
                             "Done.", "------------------------------"),
    "outlook-underscores-ru": ("Готово.\n________________________________\nОт: Мария\nДата: 3 декабря 2025 г.\nКому: Иван\nТема: Задача\n\nСделайте.",
                               "Готово.", "________________________________"),
    "from-date-variant-ru": ("Принято.\n\nFrom: Мария <maria@example.ru>\nDate: среда, 3 декабря 2025 г., 10:15\nTo: Иван\nSubject: Счёт\n",
                             "Принято.", "From: Мария"),
    "from-date-variant-en": ("Noted.\n\nFrom: Maria <maria@example.com>\nReply-To: Maria <maria@example.com>\nDate: Wednesday, 3 December 2025 at 10:15\n"
                             "To: Ivan\nSubject: Invoice\n", "Noted.", "From: Maria"),
    "gmail-ru": ("Спасибо, получил.\n\nср, 3 дек. 2025 г. в 10:15, Иван Петров <ivan@example.ru>:\n\n> Отправил счёт.\n",
                 "Спасибо, получил.", "ср, 3 дек. 2025 г. в 10:15"),
    "gmail-ru-wrapped": ("Спасибо, получил.\n\nср, 3 дек. 2025 г. в 10:15, Иван Петров <\nivan@example.ru>:\n\n> Отправил счёт.\n",
                         "Спасибо, получил.", "ср, 3 дек. 2025 г. в 10:15"),
    "gmail-en": ("Thanks, got it.\n\nOn Wed, Dec 3, 2025 at 10:15 AM Ivan Petrov <ivan@example.com> wrote:\n\n> I sent the invoice.\n",
                 "Thanks, got it.", "On Wed, Dec 3, 2025"),
    "gmail-en-wrapped": ("Thanks, got it.\n\nOn Wed, Dec 3, 2025 at 10:15 AM Ivan Petrov <\nivan@example.com> wrote:\n\n> I sent the invoice.\n",
                         "Thanks, got it.", "On Wed, Dec 3, 2025"),
    "gmail-ru-polzovatel": ("Да.\n\n20 окт. 2025 г. 19:37 пользователь \"Иван Петров\" <\nivan@example.ru> написал:\n\n> Берём?\n",
                            "Да.", "20 окт. 2025 г. 19:37"),
    "yandex-ru": ("Согласен.\n\n03.12.2025, 10:15, \"Иван Петров\" <ivan@example.ru>:\n> Подтверждаете?\n",
                  "Согласен.", "03.12.2025, 10:15"),
    "yandex-en": ("Agreed.\n\n03.12.2025, 10:15, \"Ivan Petrov\" <ivan@example.com>:\n> Do you confirm?\n",
                  "Agreed.", "03.12.2025, 10:15"),
    "mailru-ru": ("Жду ответа.\n\nСреда, 3 декабря 2025, 10:15 +03:00 от Иван Петров <ivan@mail.ru>:\nКогда оплата?\n",
                  "Жду ответа.", "Среда, 3 декабря 2025"),
    "mailru-en": ("Waiting for your answer.\n\nWednesday, 3 December 2025, 10:15 +03:00 from Ivan Petrov <ivan@mail.ru>:\nWhen is the payment?\n",
                  "Waiting for your answer.", "Wednesday, 3 December 2025"),
    "pishet-ru": ("Хорошо.\n\n03.12.2025 10:15, Иван Петров пишет:\n> Созвонимся?\n", "Хорошо.", "03.12.2025 10:15, Иван Петров пишет:"),
    "pishet-no-date-ru": ("Хорошо.\n\nИван Петров пишет:\n> Созвонимся?\n", "Хорошо.", "Иван Петров пишет:"),
    "pisal-ru": ("Принято.\n\n03.12.2025 10:15, Иван Петров <ivan@example.ru> писал(а):\n> Счёт отправлен.\n",
                 "Принято.", "03.12.2025 10:15, Иван Петров"),
    "writes-en": ("OK.\n\nIvan Petrov writes:\n> Shall we call?\n", "OK.", "Ivan Petrov writes:"),
    "apple-ru": ("Да, подойдёт.\n\n3 дек. 2025 г., в 10:15, Иван <ivan@example.ru> написал(а):\n\n> Четверг подходит?\n",
                 "Да, подойдёт.", "3 дек. 2025 г., в 10:15"),
    "apple-en": ("Yes, that works.\n\n> On 3 Dec 2025, at 10:15, Ivan <ivan@example.com> wrote:\n>\n> Does Thursday work?\n",
                 "Yes, that works.", "> On 3 Dec 2025, at 10:15"),
    "forward-ru": ("Посмотрите, пожалуйста.\n\n---------- Пересылаемое сообщение ----------\nОт: Клиент <c@example.ru>\n"
                   "Дата: 3 декабря 2025 г.\nТема: Заказ\n\nТекст заказа", "Посмотрите, пожалуйста.",
                   "---------- Пересылаемое сообщение ----------"),
    "forward-ru-thunderbird": ("Для информации.\n\n-------- Перенаправленное сообщение --------\nТема: Заказ\nДата: Wed, 3 Dec 2025 10:15:00 +0300\n",
                               "Для информации.", "-------- Перенаправленное сообщение --------"),
    "forward-ru-yandex": ("Смотрите ниже.\n\n-------- Начало переадресованного сообщения --------\n03.12.2025, 10:15, \"Клиент\" <c@example.ru>:\n",
                          "Смотрите ниже.", "-------- Начало переадресованного сообщения --------"),
    "forward-en": ("Please have a look.\n\n---------- Forwarded message ---------\nFrom: Client <c@example.com>\n"
                   "Date: Wed, Dec 3, 2025 at 10:15 AM\nSubject: Order\n\nOrder text", "Please have a look.",
                   "---------- Forwarded message ---------"),
    "forward-apple-en": ("FYI, the client's order.\n\nBegin forwarded message:\n\nFrom: Client <c@example.com>\nSubject: Order\n",
                         "FYI, the client's order.", "Begin forwarded message:"),
    "forward-apple-ru": ("К сведению, заказ клиента.\n\nНачало переадресованного сообщения:\n\nОт: Клиент <c@example.ru>\nТема: Заказ\n",
                         "К сведению, заказ клиента.", "Начало переадресованного сообщения:"),
    "android-en": ("Sure.\n\n---- Ivan Petrov wrote ----\n\n> Can you call me?\n", "Sure.", "---- Ivan Petrov wrote ----"),
    "shares-line-en": ("Fine by me On Wed, Dec 3, 2025 at 10:15 AM, ivan@example.com wrote:\n> Is it fine?",
                       "Fine by me", "On Wed, Dec 3, 2025"),
}


@pytest.mark.parametrize("name", sorted(QUOTE_CASES))
def test_quoted_history_starts_where_the_client_put_it(name):
    text, body, quoted_start = QUOTE_CASES[name]
    got = pieces(text)
    assert got["body"] == body
    assert got["quoted"] is not None and got["quoted"].startswith(quoted_start)
    assert got["quoted"] == text[text.index(quoted_start):].strip()


@pytest.mark.parametrize("text", [
    "Посмотрите ссылку:\n\n> это не цитата, а выделение\nи после него продолжается текст.",
    "Visit us now for assistance...\n>>> >>>  http://www.domain.com <<<\nVisit our site by clicking the link above",
    "Встреча 03.12.2025 в 10:15, адрес уточню.\nПишите на ivan@example.ru.",
    "Agenda for 03.12.2025, 10:15, room 5:\n- prices\n- terms",
])
def test_prose_that_only_resembles_a_quote_is_kept(text):
    assert pieces(text)["quoted"] is None


def test_reply_below_the_quote_is_the_body():
    text = "On Wed, Dec 3, 2025 at 10:15 AM Ivan <ivan@example.com> wrote:\n\n> Price?\n\n100 EUR per panel."
    got = pieces(text)
    assert got["body"] == "100 EUR per panel." and got["quoted"] is None


def test_html_quote_hint_cuts_the_text():
    text = "Добрый день!\n\nДа, подтверждаю.\n\nВопрос клиента ниже\nи ещё строка"
    hint = text.index("Вопрос клиента")
    got = pieces(text, hint)
    assert got["body"] == "Да, подтверждаю."
    assert got["quoted"] == "Вопрос клиента ниже\nи ещё строка"


def test_quote_hint_earlier_than_a_text_marker_wins_and_later_one_loses():
    text = "Ok.\n\nquoted html part\n\n> more\n"
    assert pieces(text, text.index("quoted"))["quoted"].startswith("quoted html part")
    assert pieces(text, text.index("more"))["quoted"].startswith("> more")


# ------------------------------------------------------------------ greeting
@pytest.mark.parametrize("first_line,greeting", [
    ("Добрый день, Мария!", "Добрый день, Мария!"),
    ("Мария, здравствуйте!", "Мария, здравствуйте!"),
    ("Здравствуйте, Мария Ивановна.", "Здравствуйте, Мария Ивановна."),
    ("Коллеги, добрый день!", "Коллеги, добрый день!"),
    ("Уважаемый Иван Петрович,", "Уважаемый Иван Петрович,"),
    ("Добрый день! Направляю счёт на оплату.", "Добрый день!"),
    ("Hi John,", "Hi John,"),
    ("Dear Ms. Smith,", "Dear Ms. Smith,"),
    ("Good morning, team!", "Good morning, team!"),
    ("Hello John, the quote is attached.", "Hello John,"),
    ("John,", "John,"),
])
def test_greeting_on_the_first_line(first_line, greeting):
    got = pieces(f"{first_line}\n\nПодробности во вложении.\n")
    assert got["greeting"] == greeting
    assert got["body"] is not None and got["body"].endswith("Подробности во вложении.")


@pytest.mark.parametrize("first_line", ["Направляю счёт на оплату.", "Да, подходит.", "Please see the attached quote.",
                                        "Thanks, that works.", "Yes,"])
def test_no_greeting_when_the_first_line_is_not_one(first_line):
    got = pieces(f"{first_line}\nВторая строка.")
    assert got["greeting"] is None
    assert got["body"].startswith(first_line)


# ------------------------------------------------------------------ signature
SIGNATURE_CASES = {
    "s-uvazheniem-ru": ("Добрый день!\n\nСчёт во вложении.\n\nС уважением,\nИван Петров\nменеджер по продажам\n"
                        "ООО «Альфа Солар»\n+7 (495) 123-45-67", "Счёт во вложении.", "С уважением,"),
    "best-regards-en": ("Hi Maria,\n\nThe invoice is attached.\n\nBest regards,\nIvan Petrov\nSales Manager\nAlfa Solar\n+7 495 123 45 67",
                        "The invoice is attached.", "Best regards,"),
    "nailuchshimi-ru": ("Коллеги, добрый день!\n\nПрошу подтвердить участие.\n\nС наилучшими пожеланиями\nИван",
                        "Прошу подтвердить участие.", "С наилучшими пожеланиями"),
    "regards-en": ("Team,\n\nPlease confirm.\n\nRegards,\nIvan", "Please confirm.", "Regards,"),
    "spasibo-ru": ("Мария, добрый день!\n\nПришлите, пожалуйста, реквизиты.\n\nСпасибо,\nИван", "Пришлите, пожалуйста, реквизиты.", "Спасибо,"),
    "thanks-en": ("Hi Tom,\n\nPlease send the details.\n\nThanks,\nIvan", "Please send the details.", "Thanks,"),
    "cheers-en": ("Hi Tom,\n\nAll set for Friday.\n\nCheers,\nIvan", "All set for Friday.", "Cheers,"),
    "delimiter-ru": ("Добрый день!\n\nДоговор подписан.\n\n-- \nИван Петров\n+7 495 123-45-67", "Договор подписан.", "-- "),
    "delimiter-en": ("Hello,\n\nThe contract is signed.\n\n--\nIvan Petrov\nAlfa Solar", "The contract is signed.", "--"),
    "iphone-ru": ("Ок, договорились.\n\nОтправлено с iPhone", "Ок, договорились.", "Отправлено с iPhone"),
    "iphone-en": ("OK, deal.\n\nSent from my iPhone", "OK, deal.", "Sent from my iPhone"),
    "mailru-mobile-ru": ("Перезвоню через час.\n\nОтправлено из мобильной Почты Mail.ru", "Перезвоню через час.",
                         "Отправлено из мобильной Почты Mail.ru"),
    "contacts-only-ru": ("Добрый день!\n\nЖду ответа до пятницы.\n\nИван Петров\nООО «Альфа Солар»\n+7 (495) 123-45-67",
                         "Жду ответа до пятницы.", "Иван Петров"),
    "dash-name-en": ("Hi Tom,\n\nSee you there.\n\nBest regards,\n\n//Ivan", "See you there.", "Best regards,"),
    "dash-name-ru": ("Добрый день!\n\nДо встречи.\n\n—Иван", "До встречи.", "—Иван"),
    "name-only-en": ("Hi Tom,\nThe call is moved to 3 pm.\nIvan", "The call is moved to 3 pm.", "Ivan"),
}


@pytest.mark.parametrize("name", sorted(SIGNATURE_CASES))
def test_signature_is_the_sign_off_and_the_block_below_it(name):
    text, body, signature_start = SIGNATURE_CASES[name]
    got = pieces(text)
    assert got["body"] == body
    assert got["signature"] == text[text.rindex(signature_start):].strip()


@pytest.mark.parametrize("text,footer", [
    ("Добрый день!\n\nУточню и вернусь.\n\nС уважением,\nИван Петров\n\nЭто сообщение и любые приложения к нему "
     "конфиденциальны и предназначены исключительно для адресата. Если вы получили его по ошибке, удалите его.",
     "Это сообщение"),
    ("Hello,\n\nI will check and come back.\n\nBest regards,\nIvan\n\nThis e-mail and any attachments are confidential "
     "and intended solely for the addressee. If you are not the intended recipient, please delete it.",
     "This e-mail"),
])
def test_disclaimer_belongs_to_the_signature_as_its_footer(text, footer):
    parts = split_parts(text)
    sig = text[parts.signature[0]:parts.signature[1]]
    assert sig.startswith(("С уважением", "Best regards"))
    assert sig.endswith(("delete it.", "удалите его."))
    assert text[parts.footer[0]:].startswith(footer)


def test_english_disclaimer_under_russian_mail_and_quote():
    text = ("Добрый день!\n\nСогласен.\n\nС уважением,\nИван\n\nThis message is confidential and intended only for the "
            "addressee.\n\nср, 3 дек. 2025 г. в 10:15, Мария <maria@example.ru>:\n> Согласны?")
    got = pieces(text)
    assert got["body"] == "Согласен."
    assert got["signature"].startswith("С уважением,") and got["signature"].endswith("addressee.")
    assert got["quoted"].startswith("ср, 3 дек.")


@pytest.mark.parametrize("text", ["Спасибо за звонок.\nЗавтра пришлю договор.", "Thanks for the call.\nI'll send the contract tomorrow.",
                                  "Hi Tom,\n\nGreat news.\n\nThanks for your help!"])
def test_a_thank_you_sentence_is_not_a_signature(text):
    assert pieces(text)["signature"] is None


@pytest.mark.parametrize("last_line", ["Best price for you!", "Успехов в переговорах с ними", "Regards to your team"])
def test_a_short_last_sentence_starting_like_a_sign_off_stays_in_the_body(last_line):
    got = pieces(f"Hi Tom,\n\nThe offer is attached.\n{last_line}")
    assert got["signature"] is None and got["body"].endswith(last_line)


@pytest.mark.parametrize("text,signature", [
    ("Добрый день!\n\nСогласен.\n\nС уважением, Иван Петров", "С уважением, Иван Петров"),
    ("Hi Tom,\n\nAgreed.\n\nBest regards, Ivan", "Best regards, Ivan"),
])
def test_sign_off_and_name_on_one_line(text, signature):
    assert pieces(text)["signature"] == signature


def test_a_message_of_only_a_signature_has_no_body():
    assert pieces("С уважением,\nИван") == {"greeting": None, "body": None, "signature": "С уважением,\nИван",
                                            "quoted": None}


def test_a_lone_thank_you_is_the_body():
    assert pieces("Спасибо!") == {"greeting": None, "body": "Спасибо!", "signature": None, "quoted": None}
    assert pieces("Thanks!") == {"greeting": None, "body": "Thanks!", "signature": None, "quoted": None}


# ------------------------------------------------------------------ robustness
@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n", ">", "--", "-- \n", "От:", "ᐧ", "\r\n\r\n",
                                  "a" * 5000, "> " * 3000, ("From: a\nTo: b\n" * 50)])
def test_odd_input_yields_well_formed_parts(text):
    pieces(text)


def test_crlf_text_is_split_like_lf():
    text = "Добрый день!\r\n\r\nСогласен.\r\n\r\nС уважением,\r\nИван\r\n\r\n> цитата\r\n"
    got = pieces(text)
    assert got["greeting"] == "Добрый день!" and got["body"] == "Согласен."
    assert got["signature"] == "С уважением,\r\nИван" and got["quoted"] == "> цитата"


def test_every_case_keeps_the_span_invariants():
    for text, *_ in [*QUOTE_CASES.values(), *SIGNATURE_CASES.values()]:
        pieces(text)


# ------------------------------------------------------------------ the shared corpora
def _discourse() -> Path:
    root = corpora_dir()
    if root is None or not (root / "discourse-email-reply-trimmer").is_dir():
        pytest.skip("../shared/corpora/discourse-email-reply-trimmer is absent (team workspace only)")
    return root / "discourse-email-reply-trimmer"


@pytest.mark.parametrize("name", ["embedded_email_russian_1", "embedded_email_russian_2"])
def test_russian_discourse_replies_split_like_the_gold(name):
    folder = _discourse()
    text = (folder / "emails" / f"{name}.txt").read_text(encoding="utf-8")
    gold = (folder / "trimmed" / f"{name}.txt").read_text(encoding="utf-8").strip()
    elided = (folder / "elided" / f"{name}.txt").read_text(encoding="utf-8").strip()
    got = pieces(text)
    assert got["body"] == gold
    assert got["quoted"].split()[:6] == elided.split()[:6]  # the attribution line opens the quote


def test_every_discourse_email_keeps_the_span_invariants():
    folder = _discourse()
    for path in sorted((folder / "emails").glob("*.txt")):
        pieces(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- what the splitter read, for the checks
@pytest.mark.parametrize("text, phrase, persons, greeting", [
    ("Мария, добрый день!\n\nНаправляю КП.", "добрый день", [["Мария"]], "Мария, добрый день!"),
    ("Добрый день, Иван Петрович!\n\nНаправляю КП.", "добрый день", [["Иван", "Петрович"]],
     "Добрый день, Иван Петрович!"),
    ("Уважаемый клиент,\n\nБлагодарим за обращение.", "уважаемый", [], "Уважаемый клиент,"),
    ("Добрый день, прошу выставить счёт.", "добрый день", [], "Добрый день,"),
    ("Dear Ms. Smith,\n\nPlease find the quote attached.", "dear", [["Smith"]], "Dear Ms. Smith,"),
    # the address ends where the prose begins: "Mary" below is not greeted
    ("Hi John thanks for the call with Mary today.", "hi", [["John"]], "Hi John"),
    ("Hello team,\n\nThe quote is attached.", "hello", [], "Hello team,"),
])
def test_the_opening_is_read_once_with_its_phrase_and_address(text, phrase, persons, greeting):
    parts = split_parts(text)
    assert parts.opening.phrase == phrase
    assert [[w.text for w in p] for p in parts.opening.persons] == persons
    assert text[parts.greeting[0]:parts.greeting[1]] == greeting


@pytest.mark.parametrize("text, in_greeting", [
    ("Мария!\n\nНаправляю КП.", True),                  # alone on its line: the greeting
    ("Иван Петрович, направляю договор.", False),       # more on the line: the greeting check judges the name
    ("John,\n\nthe quote is attached.", True),
    ("Thanks,\n\nthe quote is attached.", False),
])
def test_a_bare_address_is_exposed_for_the_greeting_check_to_judge(text, in_greeting):
    parts = split_parts(text)
    assert parts.opening.bare and parts.opening.phrase == ""
    assert (parts.greeting is not None) is in_greeting


@pytest.mark.parametrize("text, signoff, footer", [
    ("Добрый день!\n\nСогласен.\n\nС уважением, Иван Петров\nменеджер\n\nОтправлено с iPhone", "С уважением",
     "Отправлено с iPhone"),
    ("Hi Maria,\n\nAgreed.\n\nBest regards,\nJohn Smith\n--\nSent from my iPhone", "Best regards", "--"),
    ("Hi Maria,\n\nAgreed.\n\nThanks, John", "Thanks", None),
])
def test_the_signoff_phrase_and_footer_are_exposed(text, signoff, footer):
    parts = split_parts(text)
    assert text[parts.signoff[0]:parts.signoff[1]] == signoff
    assert parts.signoff[0] == parts.signature[0]
    if footer:
        assert text[parts.footer[0]:].startswith(footer)
    else:
        assert parts.footer is None


@pytest.mark.parametrize("text, reply", [
    ("Please see below.\n\n\n\nLarry Joe Hunter\n05/12/99 02:03 PM\nTo: Kelly Minear/HOU/ECT@ECT\n"
     "cc: Dale Neuner/HOU/ECT@ECT\nSubject: PG&E Financial Power Deal\n\nKelly,\n\nPlease advise.\n\nThanks,\nJoe",
     "Please see below."),
    ("Смотрите ниже.\n\nИван Петров\n03.12.2025 10:15\nКому: Мария Соколова\nТема: Счёт\n\nМария, пришлите счёт.",
     "Смотрите ниже."),
])
def test_a_lotus_notes_header_under_a_sender_and_date_starts_the_quote(text, reply):
    parts = split_parts(text)
    assert text[:parts.quoted[0]].strip() == reply
    assert parts.signature is None


def test_a_to_line_in_prose_without_a_date_above_is_not_a_quote():
    text = "Добрый день!\n\nАдрес для писем:\nКому: ООО «Альфа»\nТема: заявка\n\nС уважением,\nИван"
    assert split_parts(text).quoted is None
